"""The metadata every catalogue entry carries, and its YAML shape.

The catalogue promises *trusted data*: a trainee reading an entry must learn where the data
comes from (provenance), under which licence, how it was made (method notes), what it covers
(temporal/spatial coverage, variables with units) and how to check it is intact (sha256,
sizes and row counts of every file). `EntryRecord.to_metadata()` is the single place that
decides the YAML layout of that block; the reader and the validator read it back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Access = Literal["open", "restricted"]
Role = Literal["data", "truth", "benchmark", "reference"]
ACCESS_LEVELS: tuple[str, ...] = ("open", "restricted")
ROLES: tuple[str, ...] = ("data", "truth", "benchmark", "reference")


@dataclass(frozen=True)
class Variable:
    """One column (or band, field) with its unit; unit "1" means dimensionless."""

    name: str
    unit: str
    description: str
    dtype: str = ""

    def to_dict(self) -> dict[str, str]:
        out = {"name": self.name, "dtype": self.dtype, "unit": self.unit}
        out["description"] = self.description
        return out


@dataclass(frozen=True)
class FileRecord:
    """A file of an entry; `path` is relative to the domain catalogue's directory."""

    path: str
    bytes: int
    sha256: str
    rows: int | None
    kind: str = "data"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"path": self.path, "kind": self.kind, "bytes": self.bytes}
        out["rows"] = self.rows
        out["sha256"] = self.sha256
        return out


@dataclass
class EntryRecord:
    """Everything the catalogue says about one entry."""

    name: str
    title: str
    description: str
    domain: str
    task_team: str
    format: str
    licence: str
    method_notes: str
    temporal_coverage: dict[str, str]
    spatial_coverage: dict[str, Any]
    variables: list[Variable]
    version: str
    provenance: dict[str, Any]
    access: Access = "open"
    role: Role = "data"
    attribution: str = ""
    truth_of: list[str] = field(default_factory=list)
    files: list[FileRecord] = field(default_factory=list)
    read_options: dict[str, Any] = field(default_factory=dict)

    @property
    def rows(self) -> int | None:
        counts = [f.rows for f in self.files if f.rows is not None]
        return sum(counts) if counts else None

    @property
    def bytes(self) -> int:
        return sum(f.bytes for f in self.files)

    def to_metadata(self) -> dict[str, Any]:
        md: dict[str, Any] = {
            "title": self.title,
            "domain": self.domain,
            "task_team": self.task_team,
            "role": self.role,
            "access": self.access,
            "version": self.version,
            "licence": self.licence,
        }
        if self.attribution:
            md["attribution"] = self.attribution
        md["provenance"] = dict(self.provenance)
        md["method_notes"] = self.method_notes
        md["temporal_coverage"] = dict(self.temporal_coverage)
        md["spatial_coverage"] = dict(self.spatial_coverage)
        if self.truth_of:
            md["truth_of"] = list(self.truth_of)
        md["format"] = self.format
        md["variables"] = [v.to_dict() for v in self.variables]
        md["rows"] = self.rows
        md["bytes"] = self.bytes
        md["files"] = [f.to_dict() for f in self.files]
        return md
