"""What a user may ask of Dask Gateway, by the group that decides their profile."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from ..spawner.profiles import describe_memory, memory_in_bytes, profile_for


@dataclass(frozen=True)
class DaskLimits:
    """Limits of one group; memory in bytes. ``group`` names it in error messages."""

    group: str
    max_worker_cores: int
    max_worker_memory: int
    default_worker_memory: int
    max_workers: int
    max_clusters: int

    @classmethod
    def from_settings(cls, group: str, values: Mapping[str, Any]) -> DaskLimits:
        maximum = memory_in_bytes(values["max_worker_memory"])
        default = min(memory_in_bytes(values["default_worker_memory"]), maximum)
        return cls(
            group=group,
            max_worker_cores=int(values["max_worker_cores"]),
            max_worker_memory=maximum,
            default_worker_memory=default,
            max_workers=int(values["max_workers"]),
            max_clusters=int(values["max_clusters"]),
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def describe(self) -> str:
        return (
            f"{self.group}s may use up to {self.max_clusters} cluster(s) of at most "
            f"{self.max_workers} workers, each with at most {self.max_worker_cores} core(s) "
            f"and {describe_memory(self.max_worker_memory)}"
        )


class LimitsTable:
    """The limits of every group; picks a user's by their JupyterHub groups."""

    def __init__(self, by_group: Mapping[str, DaskLimits]):
        self.by_group = dict(by_group)

    @classmethod
    def from_settings(cls, limits: Mapping[str, Mapping[str, Any]]) -> LimitsTable:
        return cls({name: DaskLimits.from_settings(name, row) for name, row in limits.items()})

    @classmethod
    def from_dict(cls, data: Mapping[str, Mapping[str, Any]]) -> LimitsTable:
        return cls({name: DaskLimits(**values) for name, values in data.items()})

    def to_dict(self) -> dict[str, dict[str, Any]]:
        return {name: limits.to_dict() for name, limits in self.by_group.items()}

    def for_user(self, groups: Iterable[str], is_admin: bool) -> DaskLimits:
        """Same ranking as the notebook profiles: instructors/admins > analysts > trainees."""
        return self.by_group[profile_for(groups, is_admin)]
