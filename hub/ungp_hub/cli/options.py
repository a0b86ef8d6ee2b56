"""Options shared by every command."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ..settings import Settings, load_settings

DEFAULT_SETTINGS = Path("/etc/ungp-hub/settings.yaml")


def settings_path(given: str | None) -> Path | None:
    if given:
        return Path(given)
    if os.environ.get("UNGP_SETTINGS"):
        return Path(os.environ["UNGP_SETTINGS"])
    return DEFAULT_SETTINGS if DEFAULT_SETTINGS.exists() else None


settings_option = click.option(
    "--settings",
    "settings_file",
    type=click.Path(dir_okay=False),
    help="Site settings file (default: $UNGP_SETTINGS or /etc/ungp-hub/settings.yaml).",
)


def load(settings_file: str | None) -> Settings:
    return load_settings(settings_path(settings_file))


def project_root() -> Path:
    """The source checkout this ungp_hub was installed from (editable installs)."""
    return Path(__file__).resolve().parents[3]
