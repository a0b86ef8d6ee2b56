"""Checking a data directory against its catalogues: every file, every checksum, every count."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .catalog_files import CatalogEntry, load_entries
from .checksum import sha256_file
from .formats import FORMATS


@dataclass(frozen=True)
class Problem:
    entry: str
    file: str
    kind: str
    message: str


@dataclass
class ValidationReport:
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    bytes: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems


def planned_files(
    location: Path, entries: dict[str, CatalogEntry] | None = None
) -> list[tuple[str, Path, dict]]:
    """(entry, absolute path, file record) for every file of every entry."""
    out = []
    for name, entry in (entries or load_entries(location)).items():
        for record in entry.files:
            out.append((name, entry.catalog_dir / record["path"], record))
    return out


def validate_catalog(
    location: Path, on_file: Callable[[int, int], None] | None = None
) -> ValidationReport:
    """Recompute sha256, size and row count of every file; `on_file(done, total)` per file."""
    start = time.perf_counter()
    entries = load_entries(location, strict=True)
    files = planned_files(location, entries)
    report = ValidationReport()
    for done, (name, path, record) in enumerate(files, 1):
        problem = _check_file(name, path, record, entries[name].metadata.get("format", ""), entries)
        if problem is not None:
            report.problems.append(problem)
        else:
            report.files += 1
            report.bytes += record["bytes"]
        if on_file is not None:
            on_file(done, len(files))
    report.seconds = time.perf_counter() - start
    return report


def _check_file(name: str, path: Path, record: dict, fmt: str, entries: dict) -> Problem | None:
    shown = str(path)
    if not path.is_file():
        return Problem(name, shown, "missing", f"entry '{name}': file {shown} is missing")
    size = path.stat().st_size
    if size != record.get("bytes"):
        return Problem(
            name,
            shown,
            "size",
            f"entry '{name}': file {shown} has {size} bytes, catalogue says {record.get('bytes')}",
        )
    actual = sha256_file(path)
    if actual != record["sha256"]:
        return Problem(
            name,
            shown,
            "sha256",
            f"entry '{name}': file {shown} sha256 {actual} differs from "
            f"the catalogue's {record['sha256']}",
        )
    if record.get("rows") is not None and record.get("kind", "data") == "data" and fmt in FORMATS:
        options = entries[name].args.get("read_options", {}) or {}
        rows = FORMATS[fmt].count_rows(path, options)
        if rows != record["rows"]:
            return Problem(
                name,
                shown,
                "rows",
                f"entry '{name}': file {shown} has {rows} rows, catalogue says {record['rows']}",
            )
    return None
