"""The checksum-verifying Intake reader named by every catalogue entry.

`driver: ungp_catalogs.source.VerifiedSource` in the YAML. Before returning any data it
recomputes the sha256 of each file it is about to read and compares it with the entry's
metadata; on a mismatch it raises ChecksumMismatch naming the entry and the file, so a
notebook never silently computes on a corrupted or tampered copy. It is an Intake v1
DataSource, which Intake 2 still loads from v1 YAML catalogues (see docs/decisions/data.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from intake.source.base import DataSource, Schema

from .checksum import sha256_file
from .errors import CatalogError, ChecksumMismatch, MissingDataFile
from .formats import FORMATS


class VerifiedSource(DataSource):
    """Reads an entry's data files after checking their sha256 against the catalogue."""

    name = "ungp_verified"
    version = "1.0"
    container = "dataframe"
    partition_access = True

    def __init__(
        self,
        entry: str,
        format: str,
        read_options: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(metadata=metadata)
        if format not in FORMATS:
            raise CatalogError(
                f"entry '{entry}': unknown format '{format}'; this ungp_catalogs knows "
                f"{', '.join(FORMATS)}. Upgrade the package or fix the catalogue."
            )
        self.entry_name = entry
        self.format = FORMATS[format]
        self.container = self.format.container
        self.read_options = dict(read_options or {})
        md = self.metadata or {}
        base = Path(md.get("catalog_dir") or ".")
        self._data_files = [
            (base / f["path"], f) for f in md.get("files", []) if f.get("kind", "data") == "data"
        ]
        self.npartitions = len(self._data_files)

    def verify(self, indices: list[int] | None = None) -> None:
        """Raise unless every (selected) data file exists and matches its sha256."""
        chosen = range(len(self._data_files)) if indices is None else indices
        for i in chosen:
            path, record = self._data_files[i]
            if not path.is_file():
                raise MissingDataFile(self.entry_name, str(path))
            actual = sha256_file(path)
            if actual != record["sha256"]:
                raise ChecksumMismatch(self.entry_name, str(path), record["sha256"], actual)

    def _get_schema(self) -> Schema:
        md = self.metadata or {}
        columns = {v["name"]: v.get("dtype", "") for v in md.get("variables", [])}
        return Schema(
            datashape=None,
            dtype=columns,
            shape=(md.get("rows"), len(columns)),
            npartitions=self.npartitions,
            extra_metadata={},
        )

    def _get_partition(self, i: int) -> Any:
        self.verify([i])
        return self.format.read([self._data_files[i][0]], self.read_options)

    def read(self) -> Any:
        self.verify()
        return self.format.read([p for p, _ in self._data_files], self.read_options)

    def _close(self) -> None:
        pass
