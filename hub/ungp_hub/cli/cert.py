"""``ungp cert``: the offline ``verify`` of ungp_credentials plus the hub admin's commands.

``list``, ``search``, ``revoke ID --reason``, ``rotate-key``, ``export`` (key set and status
list for offline verification). They work on STATE_DIR/certification directly, so they run on
the hub host as the hub's user; a revocation republishes the status list at once.
"""

from __future__ import annotations

import getpass
import json
from pathlib import Path
from typing import TYPE_CHECKING

import click
from ungp_credentials.cli import cert

from ..state import StateDir
from .options import load, settings_option

if TYPE_CHECKING:
    from ..certification.issuing import Certifier
    from ..certification.registry import IssuedCredential


def _certifier(settings_file: str | None) -> Certifier:
    from ..certification.issuing import Certifier
    from ..certification.site import install_state, public_url

    settings = load(settings_file)
    # The hub's own certificates: with the wrong settings, say so rather than make new keys.
    StateDir(settings.state_dir).require(settings.source)
    root = install_state(settings)
    return Certifier(root, public_url(settings), settings.get("certification.issuer_name"))


def _show(found: list[IssuedCredential], as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps([c.summary() for c in found], indent=2))
        return
    if not found:
        click.echo("no certificates")
    for c in found:
        state = f"REVOKED {c.revoked_at} ({c.revocation_reason})" if c.revoked_at else "valid"
        click.echo(f"{c.id}  {c.candidate:<20} {c.track:<18} {c.issued_at[:10]}  {state}")


@cert.command("list")
@settings_option
@click.option("--track", help="Only this track.")
@click.option("--candidate", help="Only this username.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_(
    settings_file: str | None, track: str | None, candidate: str | None, as_json: bool
) -> None:
    """List issued certificates (newest first)."""
    _show(_certifier(settings_file).registry.credentials(candidate, None, track), as_json)


@cert.command()
@settings_option
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def search(settings_file: str | None, text: str, as_json: bool) -> None:
    """Find certificates whose id, username or name contains TEXT."""
    _show(_certifier(settings_file).registry.credentials(text=text), as_json)


@cert.command()
@settings_option
@click.argument("credential_id")
@click.option("--reason", required=True, help="Why (kept in the registry, shown to verifiers).")
def revoke(settings_file: str | None, credential_id: str, reason: str) -> None:
    """Revoke a certificate and republish the status list."""
    revoked = _certifier(settings_file).revoke(credential_id, reason, f"cli:{getpass.getuser()}")
    click.echo(f"revoked {revoked.id} ({revoked.candidate}, {revoked.track}): {reason}")


@cert.command("rotate-key")
@settings_option
def rotate_key(settings_file: str | None) -> None:
    """Make a new signing key current; old keys stay published, old certificates verify."""
    certifier = _certifier(settings_file)
    key = certifier.keys.rotate()
    certifier.publish_status_list()
    click.echo(f"new signing key {key.id}")


@cert.command()
@settings_option
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def export(settings_file: str | None, folder: Path) -> None:
    """Write issuer.json and status.json into FOLDER, for offline `ungp cert verify`."""
    certifier = _certifier(settings_file)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "issuer.json").write_text(json.dumps(certifier.key_set(), indent=2) + "\n")
    (folder / "status.json").write_text(json.dumps(certifier.status_list(), indent=2) + "\n")
    click.echo(f"wrote {folder / 'issuer.json'} and {folder / 'status.json'}")


__all__ = ["cert"]
