"""The kit's MANIFEST: one line per file, ``<sha256>  <relative path>`` (sha256sum's format).

sha256sum's format, so the bash ``install`` script checks a kit with coreutils alone, before
any package is installed; the Python side reads the same file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

MANIFEST = "MANIFEST"
SIGNATURE = "MANIFEST.sig"
PUBLIC_KEY = "MANIFEST.pub"
# The manifest cannot list itself or its signature; the public key is checked by fingerprint.
UNLISTED = frozenset({MANIFEST, SIGNATURE, PUBLIC_KEY})


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
