"""Catalogue entries as Dask DataFrames: one partition per data file, checksums verified.

``dask.dataframe.read_parquet`` on the entry's folder would work too, but it would skip the
catalogue's sha256 check. Here each partition is read by the catalogue's own format reader
after the file's sha256 is compared with the catalogue, on the worker that reads it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def entry_files(name: str, catalog_path: str | os.PathLike[str] | None = None) -> list[Path]:
    """The data files of a catalogue entry, in the catalogue's order (one per partition)."""
    from ungp_catalogs import catalog_location
    from ungp_catalogs.catalog_files import find_entry

    entry = find_entry(catalog_location(catalog_path), name)
    return [entry.catalog_dir / f["path"] for f in entry.files if f.get("kind", "data") == "data"]


class _VerifiedPart:
    """Reads partition ``i`` of an entry; pickled to the workers, so it holds plain data."""

    def __init__(self, name: str, root: str, columns: list[str] | None) -> None:
        self.name, self.root, self.columns = name, root, columns

    def __call__(self, index: int) -> Any:
        from ungp_catalogs.catalog_files import find_entry

        source = find_entry(self.root, self.name).source()
        source.read_options = {**source.read_options, "columns": self.columns}
        return source.read_partition(index)


def entry_frame(
    name: str,
    catalog_path: str | os.PathLike[str] | None = None,
    *,
    columns: list[str] | None = None,
) -> Any:
    """A lazy Dask DataFrame of a parquet catalogue entry, one partition per file.

    ``columns`` reads only those columns (less I/O and memory: ask for what you use).
    Nothing is read until ``.compute()`` (or ``.persist()``) except each file's schema.
    """
    import dask.dataframe as dd
    import pyarrow.parquet as pq
    from ungp_catalogs import catalog_location

    files = entry_files(name, catalog_path)
    if not files:
        raise ValueError(f"catalogue entry {name!r} has no data files")
    meta = pq.read_schema(files[0]).empty_table().to_pandas()
    if columns is not None:
        meta = meta[list(columns)]
    reader = _VerifiedPart(name, str(catalog_location(catalog_path)), columns)
    return dd.from_map(reader, range(len(files)), meta=meta, label=f"read-{name}")
