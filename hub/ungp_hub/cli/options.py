"""Options shared by every command, and where the site settings come from."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ..settings import Settings, SettingsError, load_settings
from ..settings.loader import DEFAULT_SITE_SETTINGS

DEFAULT_SETTINGS = Path(DEFAULT_SITE_SETTINGS)
# What `make up` runs with; its state folder (../state) exists once the demo has started.
DEMO_SETTINGS = Path("settings") / "demo.yaml"


def settings_path(given: str | None) -> Path | None:
    """The settings file a command uses, in this order: --settings, $UNGP_SETTINGS,
    /etc/ungp-hub/settings.yaml, the checkout's settings/demo.yaml once `make up` has made its
    state folder; None (defaults only) if none of them applies."""
    if given:
        return Path(given)
    if os.environ.get("UNGP_SETTINGS"):
        return Path(os.environ["UNGP_SETTINGS"])
    if DEFAULT_SETTINGS.exists():
        return DEFAULT_SETTINGS
    return demo_settings()


def demo_settings() -> Path | None:
    """The checkout's demo settings when its hub has run here (its state folder exists)."""
    root = project_root()
    demo = root / DEMO_SETTINGS
    if not (root / "pyproject.toml").is_file() or not demo.is_file():
        return None
    try:
        state = load_settings(demo, environ={}).state_dir
    except SettingsError:  # a broken demo file is reported when someone names it, not here
        return None
    return demo if state.is_dir() else None


settings_option = click.option(
    "--settings",
    "settings_file",
    type=click.Path(dir_okay=False),
    help="Site settings file (default: $UNGP_SETTINGS, /etc/ungp-hub/settings.yaml, or the "
    "checkout's settings/demo.yaml after `make up`).",
)


def load(settings_file: str | None) -> Settings:
    """The site settings; a file the user did not name is named on stderr."""
    path = settings_path(settings_file)
    if path is not None and not settings_file and not os.environ.get("UNGP_SETTINGS"):
        click.echo(f"settings: {path.resolve()}", err=True)
    return load_settings(path)


def project_root() -> Path:
    """The source checkout this ungp_hub was installed from (editable installs)."""
    return Path(__file__).resolve().parents[3]
