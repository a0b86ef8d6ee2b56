"""File formats the checksum-verifying reader understands.

A format says which Intake container it produces, how to read a list of files into one object
and how to count the rows of one file at build time. Add a format here (GeoTIFF, Zarr,
GeoParquet...) when a domain needs one; `register_format` keeps the table open for extension.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Reader = Callable[[list[Path], dict[str, Any]], Any]
RowCounter = Callable[[Path, dict[str, Any]], "int | None"]


@dataclass(frozen=True)
class DataFormat:
    name: str
    container: str
    read: Reader
    count_rows: RowCounter


def _read_parquet(paths: list[Path], options: dict[str, Any]) -> Any:
    import pyarrow as pa
    import pyarrow.parquet as pq

    tables = [pq.read_table(p, columns=options.get("columns")) for p in paths]
    return pa.concat_tables(tables).to_pandas()


def _count_parquet(path: Path, options: dict[str, Any]) -> int:
    import pyarrow.parquet as pq

    return pq.ParquetFile(path).metadata.num_rows


def _read_csv(paths: list[Path], options: dict[str, Any]) -> Any:
    import pandas as pd

    frames = []
    for p in paths:
        frame = pd.read_csv(p, **options.get("csv", {}))
        for column, pattern in options.get("columns_from_filename", {}).items():
            frame[column] = _from_filename(p.name, pattern)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def _from_filename(filename: str, pattern: str) -> str | None:
    import re

    match = re.fullmatch(pattern, filename)
    return match.group(1) if match else None


def _count_csv(path: Path, options: dict[str, Any]) -> int:
    """Data lines after the header; our CSVs have no quoted line breaks (the folder-driven
    tests compare this count with what pandas reads)."""
    raw = path.read_bytes()
    lines = raw.count(b"\n") + (0 if raw.endswith(b"\n") or not raw else 1)
    return max(0, lines - 1)


def _read_lines(paths: list[Path], options: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    for p in paths:
        lines.extend(p.read_text(encoding="ascii").splitlines())
    return lines


def _count_lines(path: Path, options: dict[str, Any]) -> int:
    return len(path.read_text(encoding="ascii").splitlines())


def _read_text(paths: list[Path], options: dict[str, Any]) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in paths)


def _no_rows(path: Path, options: dict[str, Any]) -> None:
    return None


FORMATS: dict[str, DataFormat] = {}


def register_format(fmt: DataFormat) -> None:
    """Make a format usable by entries (`format:` in an entry's metadata)."""
    FORMATS[fmt.name] = fmt


register_format(DataFormat("parquet", "dataframe", _read_parquet, _count_parquet))
register_format(DataFormat("csv", "dataframe", _read_csv, _count_csv))
register_format(DataFormat("lines", "python", _read_lines, _count_lines))
register_format(DataFormat("text", "python", _read_text, _no_rows))
