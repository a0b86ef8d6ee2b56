"""``ungp settings``: check a settings file, print the reference."""

from __future__ import annotations

import click

from ..settings.example import settings_example
from ..settings.reference import settings_reference
from .options import load, settings_option


@click.group()
def settings() -> None:
    """Check the site settings file and print its reference."""


@settings.command()
@settings_option
def validate(settings_file: str | None) -> None:
    """Check the settings file; exit 1 naming each bad key."""
    loaded = load(settings_file)
    click.echo(f"settings ok: {loaded.source or 'defaults only'}")


@settings.command()
def reference() -> None:
    """Print the settings reference (Markdown) generated from the schema."""
    click.echo(settings_reference(), nl=False)


@settings.command()
def example() -> None:
    """Print a settings file with every key set to its default, explained (YAML)."""
    click.echo(settings_example(), nl=False)
