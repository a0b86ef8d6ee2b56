"""``ungp cert``: offline verification of issued credentials.

Exit codes follow the project convention: 0 valid, 1 invalid, 2 usage (including a key set or
status list file that cannot be read, which is a problem with the command, not the credential).
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from .errors import CredentialError
from .limits import DEFAULT_LIMITS
from .verify import verify_credential


def _read_json(path: Path, what: str) -> Any:
    try:
        return DEFAULT_LIMITS.parse(path.read_bytes())
    except (OSError, ValueError, CredentialError) as exc:
        raise click.UsageError(f"cannot read {what} {path}: {exc}") from exc


def _parse_now(value: str | None) -> datetime:
    if value is None:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(
            f"{value!r} is not an ISO 8601 date-time (e.g. 2026-05-01T12:00:00Z)",
            param_hint="--now",
        ) from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@click.group(name="cert")
def cert() -> None:
    """Certificates: verify Open Badges 3.0 credentials issued by the hub."""


@cert.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--keys",
    "keys_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The issuer's published key set (controller document with Multikey entries).",
)
@click.option(
    "--status-list",
    "status_paths",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A BitstringStatusListCredential to check revocation against (repeatable).",
)
@click.option("--now", "now_text", help="Check validity at this ISO 8601 time (default: now).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def verify(
    file: Path,
    keys_path: Path,
    status_paths: tuple[Path, ...],
    now_text: str | None,
    as_json: bool,
) -> None:
    """Verify the credential in FILE, offline, and print why it is valid or not."""
    now = _parse_now(now_text)
    key_set = _read_json(keys_path, "key set")
    status_lists = [_read_json(path, "status list") for path in status_paths]
    try:
        text = file.read_bytes()
    except OSError as exc:
        raise click.UsageError(f"cannot read {file}: {exc}") from exc
    result = verify_credential(text, key_set, status_lists, now)
    if as_json:
        click.echo(json.dumps(result.to_json(), indent=2))
    else:
        click.echo(f"{file}: {'valid' if result.valid else 'INVALID'}")
        for check in result.checks:
            mark = {True: "ok", False: "FAIL", None: "--"}[check.passed]
            click.echo(f"  [{mark}] {check.name}: {check.message}")
    sys.exit(0 if result.valid else 1)
