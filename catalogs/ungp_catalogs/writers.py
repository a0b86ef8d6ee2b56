"""Byte-deterministic file writers.

Same seed -> byte-identical files is what lets `validate` and the tests compare builds by
sha256. Parquet is the risky one: every option that changes the bytes is pinned here
(compression and level, row-group size, format and page versions, dictionary use, statistics)
and the schema metadata is dropped, because pandas writes its version and index layout there.
Text is written with "\n" line ends and UTF-8 whatever the platform.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

PARQUET_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 3,
    "row_group_size": 1_048_576,
    "version": "2.6",
    "data_page_version": "1.0",
    "use_dictionary": True,
    "write_statistics": True,
    "write_page_index": False,
    "store_schema": True,
}


def write_parquet(table: Any, path: Path) -> None:
    """Write a pyarrow Table (or a pandas DataFrame, converted without its index)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not isinstance(table, pa.Table):
        table = pa.Table.from_pandas(table, preserve_index=False)
    table = table.replace_schema_metadata(None)
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, **PARQUET_OPTIONS)


def write_csv(frame: Any, path: Path) -> None:
    """Write a pandas DataFrame as CSV without index, "\n" line ends, full float precision."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        frame.to_csv(f, index=False, lineterminator="\n", float_format="%.10g")


def write_text(text: str, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)
