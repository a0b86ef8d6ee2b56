"""Check a kit against its signed manifest before anything is installed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from . import signing
from .errors import KitTampered
from .manifest import MANIFEST, PUBLIC_KEY, SIGNATURE, check_files, read_manifest


def verify_kit(
    kit: Path,
    expected_fingerprint: str | None = None,
    on_file: Callable[[str], None] = lambda name: None,
) -> str:
    """Raise KitTampered naming every bad file; return the signing key's fingerprint."""
    for name in (MANIFEST, SIGNATURE, PUBLIC_KEY):
        if not (kit / name).is_file():
            raise KitTampered([f"{name}: missing (is {kit} a kit folder?)"])
    pem = (kit / PUBLIC_KEY).read_bytes()
    try:
        print_ = signing.fingerprint(pem)
    except ValueError:
        raise KitTampered([f"{PUBLIC_KEY}: not a public key"]) from None
    if expected_fingerprint and _plain(expected_fingerprint) != _plain(print_):
        raise KitTampered([f"{PUBLIC_KEY}: key {print_} is not the organiser's key"])
    manifest = (kit / MANIFEST).read_bytes()
    if not signing.verify(pem, manifest, (kit / SIGNATURE).read_bytes()):
        raise KitTampered([f"{MANIFEST}: its signature does not verify"])
    try:
        entries = read_manifest(kit)
    except ValueError as error:
        raise KitTampered([str(error)]) from None
    problems = check_files(kit, entries, on_file)
    if problems:
        raise KitTampered(problems)
    return print_


def _plain(text: str) -> str:
    return "".join(text.split()).lower()
