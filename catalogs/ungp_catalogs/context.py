"""The build context a domain generator writes through.

Why a context instead of letting domains write files freely: the context is what makes every
build reproducible and self-describing. It hands out random generators derived from
(seed, domain, stream) so a domain's data do not change when another domain is added or when
only one domain is rebuilt; it writes files with the pinned writers of `writers.py`; and it
records each file's size, row count and sha256 in the entry's metadata as it is written, so
the catalogue can never list a file the build did not produce.
"""

from __future__ import annotations

import re
import shutil
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from . import writers
from .checksum import sha256_file
from .errors import BuildError
from .formats import FORMATS
from .metadata import ACCESS_LEVELS, ROLES, EntryRecord, FileRecord, Variable

if TYPE_CHECKING:
    from .domains import Domain

SCALES: tuple[str, ...] = ("small", "medium", "large")
ENTRY_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def stream_key(text: str) -> int:
    """A stable 32-bit key for a name (Python's hash() is salted per process)."""
    return zlib.crc32(text.encode("utf-8"))


def arrow_type_matches(actual: Any, declared: str, pa: Any) -> bool:
    """True if a pyarrow type is the declared one ("float64", "date32", "timestamp[s, tz=UTC]")."""
    if str(actual) == declared:
        return True
    try:
        return bool(actual == pa.type_for_alias(declared))
    except (ValueError, KeyError):
        return False


class EntryBuilder:
    """Collects the files of one entry, written under `<domain dir>/<entry name>/`."""

    def __init__(self, record: EntryRecord, domain_dir: Path) -> None:
        self.record = record
        self._domain_dir = domain_dir

    def _path(self, relpath: str) -> tuple[str, Path]:
        rel = f"{self.record.name}/{relpath}"
        if any(f.path == rel for f in self.record.files):
            raise BuildError(f"entry '{self.record.name}' writes {rel} twice")
        return rel, self._domain_dir / rel

    def _record(self, rel: str, path: Path, kind: str = "data") -> FileRecord:
        rows = None
        if kind == "data":
            rows = FORMATS[self.record.format].count_rows(path, self.record.read_options)
        record = FileRecord(rel, path.stat().st_size, sha256_file(path), rows, kind)
        self.record.files.append(record)
        return record

    def write_parquet(self, relpath: str, table: Any) -> FileRecord:
        rel, path = self._path(relpath)
        self._check_schema(table)
        writers.write_parquet(table, path)
        return self._record(rel, path)

    def _check_schema(self, table: Any) -> None:
        """The columns written must be the variables declared, in order, with their types."""
        import pyarrow as pa

        declared = [v.name for v in self.record.variables]
        if list(table.column_names) != declared:
            raise BuildError(
                f"entry '{self.record.name}': columns {table.column_names} differ from the "
                f"declared variables {declared}"
            )
        for v, fld in zip(self.record.variables, table.schema, strict=True):
            if v.dtype and not arrow_type_matches(fld.type, v.dtype, pa):
                raise BuildError(
                    f"entry '{self.record.name}': column {v.name} is {fld.type}, declared {v.dtype}"
                )

    def write_geoparquet(self, relpath: str, frame: Any, columns: dict[str, Any]) -> FileRecord:
        """GeoParquet: `columns` (pyarrow arrays) plus `frame`'s geometry as WKB `geometry`."""
        rel, path = self._path(relpath)
        table = writers.geoparquet_table(frame, columns)
        self._check_schema(table)
        writers.write_geoparquet(table, path)
        return self._record(rel, path)

    def write_geotiff(
        self,
        relpath: str,
        bands: Any,
        *,
        crs: str,
        transform: tuple[float, ...],
        nodata: float | None = None,
    ) -> FileRecord:
        """A (band, y, x) raster; band names are the entry's declared variables, in order."""
        names = [v.name for v in self.record.variables]
        if len(names) != bands.shape[0]:
            raise BuildError(
                f"entry '{self.record.name}': {bands.shape[0]} bands but variables {names}"
            )
        rel, path = self._path(relpath)
        writers.write_geotiff(bands, path, crs=crs, transform=transform, names=names, nodata=nodata)
        return self._record(rel, path)

    def write_csv(self, relpath: str, frame: Any) -> FileRecord:
        rel, path = self._path(relpath)
        writers.write_csv(frame, path)
        return self._record(rel, path)

    def write_text(self, relpath: str, text: str) -> FileRecord:
        rel, path = self._path(relpath)
        writers.write_text(text, path)
        return self._record(rel, path)

    def copy_file(self, source: Path, relpath: str | None = None, kind: str = "data") -> FileRecord:
        """Copy a file unchanged (reference data keeps its bytes and its checksum).

        kind="document" marks a file that travels with the data (LICENSE, README): it is
        checksummed and validated but not read as data.
        """
        rel, path = self._path(relpath or source.name)
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, path)
        return self._record(rel, path, kind)


class BuildContext:
    """What a domain's `build(ctx)` receives; see the package docstring for the contract."""

    def __init__(
        self,
        domain: Domain,
        scale: str,
        seed: int,
        domain_dir: Path,
        data_dir: Path,
        reference_dir: Path | None = None,
        report: Callable[[str], None] | None = None,
    ) -> None:
        if scale not in SCALES:
            raise BuildError(f"unknown scale '{scale}'; use one of {', '.join(SCALES)}")
        self.domain = domain
        self.scale = scale
        self.seed = seed
        self.domain_dir = domain_dir
        self.data_dir = data_dir
        self.reference_dir = reference_dir
        self._report = report
        self.entries: list[EntryBuilder] = []

    def rng(self, stream: str) -> np.random.Generator:
        """A generator private to (seed, this domain, stream): independent and reproducible."""
        seq = np.random.SeedSequence([self.seed, stream_key(self.domain.name), stream_key(stream)])
        return np.random.Generator(np.random.PCG64(seq))

    def report(self, step: str) -> None:
        """Tell the progress display what the domain is doing (long steps only)."""
        if self._report is not None:
            self._report(step)

    def pick(self, sizes: dict[str, Any]) -> Any:
        """The value for the current scale from {"small": ..., "medium": ..., "large": ...}."""
        return sizes[self.scale]

    def generated_provenance(self, **extra: Any) -> dict[str, Any]:
        prov = {
            "kind": "generated",
            "generator": self.domain.module,
            "generator_version": self.domain.version,
            "seed": self.seed,
            "scale": self.scale,
        }
        prov.update(extra)
        return prov

    def entry(
        self,
        name: str,
        *,
        title: str,
        description: str,
        format: str,
        method_notes: str,
        temporal_coverage: dict[str, str],
        spatial_coverage: dict[str, Any],
        variables: Iterable[Variable],
        licence: str = "CC-BY-4.0",
        role: str = "data",
        access: str = "open",
        provenance: dict[str, Any] | None = None,
        attribution: str = "",
        truth_of: Iterable[str] = (),
        read_options: dict[str, Any] | None = None,
        version: str | None = None,
    ) -> EntryBuilder:
        """Start an entry; write its files through the returned builder."""
        if not ENTRY_NAME.match(name):
            raise BuildError(f"entry name '{name}' must match {ENTRY_NAME.pattern}")
        if any(e.record.name == name for e in self.entries):
            raise BuildError(f"domain '{self.domain.name}' defines entry '{name}' twice")
        if format not in FORMATS:
            raise BuildError(f"entry '{name}': unknown format '{format}' ({', '.join(FORMATS)})")
        if access not in ACCESS_LEVELS or role not in ROLES:
            raise BuildError(f"entry '{name}': access must be {ACCESS_LEVELS}, role {ROLES}")
        for label, value in (("title", title), ("description", description)):
            if not value.strip():
                raise BuildError(f"entry '{name}' needs a {label}")
        record = EntryRecord(
            name=name,
            title=title,
            description=description,
            domain=self.domain.name,
            task_team=self.domain.task_team,
            format=format,
            licence=licence,
            method_notes=method_notes,
            temporal_coverage=temporal_coverage,
            spatial_coverage=spatial_coverage,
            variables=list(variables),
            version=version or self.domain.version,
            provenance=provenance or self.generated_provenance(),
            access=access,  # type: ignore[arg-type]
            role=role,  # type: ignore[arg-type]
            attribution=attribution,
            truth_of=list(truth_of),
            read_options=dict(read_options or {}),
        )
        builder = EntryBuilder(record, self.domain_dir)
        self.entries.append(builder)
        return builder

    def read_entry(self, name: str) -> Any:
        """Read (checksum-verified) an entry of an already built domain listed in `requires`."""
        from .catalog_files import find_entry

        return find_entry(self.data_dir, name).read()
