"""The kit's MANIFEST: one line per file, ``<sha256>  <relative path>`` (sha256sum's format).

sha256sum's format, so the bash ``install`` script checks a kit with coreutils alone, before
any package is installed; the Python side reads the same file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from . import openpgp, signing

MANIFEST = "MANIFEST"
SIGNATURE = "MANIFEST.sig"
PUBLIC_KEY = "MANIFEST.pub"
# The same signature and key in OpenPGP form, for gpgv (see openpgp.py).
OPENPGP_KEY = "MANIFEST.gpg"
OPENPGP_SIGNATURE = "MANIFEST.gpgsig"
# The manifest cannot list itself or its signatures; the public key is checked by fingerprint.
UNLISTED = frozenset({MANIFEST, SIGNATURE, PUBLIC_KEY, OPENPGP_KEY, OPENPGP_SIGNATURE})


def file_sha256(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def kit_files(kit: Path) -> list[str]:
    """Every file of the kit, as sorted POSIX paths relative to the kit, but the unlisted."""
    names = [p.relative_to(kit).as_posix() for p in kit.rglob("*") if p.is_file()]
    return sorted(name for name in names if name not in UNLISTED)


def write_manifest(kit: Path, on_file: Callable[[str], None] = lambda name: None) -> Path:
    lines = []
    for name in kit_files(kit):
        on_file(name)
        lines.append(f"{file_sha256(kit / name)}  {name}\n")
    path = kit / MANIFEST
    path.write_text("".join(lines))
    return path


def read_manifest(kit: Path) -> dict[str, str]:
    """path -> sha256; a malformed line is an error (a manifest is machine-written)."""
    entries: dict[str, str] = {}
    for number, line in enumerate((kit / MANIFEST).read_text().splitlines(), 1):
        digest, sep, name = line.partition("  ")
        if not sep or len(digest) != 64 or not name or name.startswith("/") or ".." in name:
            raise ValueError(f"{MANIFEST} line {number} is malformed")
        entries[name] = digest
    return entries


def check_files(
    kit: Path, entries: dict[str, str], on_file: Callable[[str], None] = lambda name: None
) -> list[str]:
    """What does not match: changed, missing and unlisted files, each named."""
    problems = []
    for name, digest in entries.items():
        on_file(name)
        path = kit / name
        if not path.is_file():
            problems.append(f"{name}: missing")
        elif file_sha256(path) != digest:
            problems.append(f"{name}: altered (its sha256 differs from the manifest)")
    for name in kit_files(kit):
        if name not in entries:
            problems.append(f"{name}: not in the manifest")
    return problems


def sign_kit(kit: Path, key: Ed25519PrivateKey) -> None:
    """Write MANIFEST and its signatures: raw Ed25519 (for Python) and OpenPGP (for gpgv)."""
    write_manifest(kit)
    manifest = (kit / MANIFEST).read_bytes()
    (kit / SIGNATURE).write_bytes(signing.sign(key, manifest))
    (kit / PUBLIC_KEY).write_bytes(signing.public_pem(key))
    (kit / OPENPGP_KEY).write_bytes(openpgp.public_key(key))
    (kit / OPENPGP_SIGNATURE).write_bytes(openpgp.detached_signature(key, manifest))
