"""Check a kit (or a results bundle) against its signed manifest before anything is used.

The signature alone proves nothing about who signed: the public key travels with the files.
So every check takes the fingerprints the caller trusts (pinned in settings, given with
--expect-key, or confirmed by a person) and refuses any other key before reading further.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from pathlib import Path

from . import signing
from .errors import KitTampered, UntrustedKey
from .manifest import MANIFEST, PUBLIC_KEY, SIGNATURE, check_files, read_manifest

KIT_TRUST = 'pass it with --expect-key "FINGERPRINT" (Ansible: ungp_kit_fingerprint).'


def kit_fingerprint(kit: Path) -> str:
    """The fingerprint of the key the kit says signed it: to show a person, not yet trusted."""
    for name in (MANIFEST, SIGNATURE, PUBLIC_KEY):
        if not (kit / name).is_file():
            raise KitTampered([f"{name}: missing (is {kit} a kit folder?)"])
    try:
        return signing.fingerprint((kit / PUBLIC_KEY).read_bytes())
    except ValueError:
        raise KitTampered([f"{PUBLIC_KEY}: not a public key"]) from None


def verify_kit(
    kit: Path,
    trusted: Collection[str],
    on_file: Callable[[str], None] = lambda name: None,
    what: str = "the kit",
    how_to_trust: str = KIT_TRUST,
) -> str:
    """Raise UntrustedKey unless a `trusted` key signed the kit, KitTampered naming every bad
    file; return the signing key's fingerprint."""
    print_ = kit_fingerprint(kit)
    if signing.plain(print_) not in {signing.plain(key) for key in trusted}:
        raise UntrustedKey(what, print_, how_to_trust)
    manifest = (kit / MANIFEST).read_bytes()
    pem = (kit / PUBLIC_KEY).read_bytes()
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
