"""The cluster options a user sees (the widget of ``gateway.cluster_options()``), per group.

dask-gateway validates a request against these fields before anything starts, so a request over
the group's limit fails at once, with a message that names the limit and the setting behind it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dask_gateway_server.options import Float, Integer, Options

from ..spawner.profiles import describe_memory
from .limits import DaskLimits, LimitsTable

GIB = 2**30


class OverLimit(ValueError):
    """A request above a group's limit; the gateway returns the message to the user (HTTP 422)."""


class _Bounded:
    """Mixin for dask-gateway number fields: say which limit (and setting) a value breaks."""

    def __init__(self, *args, limit_setting: str = "", unit: str = "", **kwargs):
        self.limit_setting = limit_setting
        self.unit = unit
        super().__init__(*args, **kwargs)

    def validate(self, x):
        value = self.validate_type(x)
        if self.max is not None and value > self.max:
            raise OverLimit(
                f"{self.field}={x:g}{self.unit} is over your limit of {self.max:g}{self.unit} "
                f"per worker (site setting {self.limit_setting}); ask for at most "
                f"{self.max:g}{self.unit}."
            )
        if self.min is not None and value < self.min:
            raise OverLimit(f"{self.field}={x:g}{self.unit} is below the minimum {self.min:g}.")
        return value


class BoundedInteger(_Bounded, Integer):
    def validate_type(self, x):
        if isinstance(x, bool) or not isinstance(x, int):
            raise OverLimit(f"{self.field} must be a whole number, got {x!r}")
        return x


class BoundedFloat(_Bounded, Float):
    def validate_type(self, x):
        if isinstance(x, bool) or not isinstance(x, (int, float)):
            raise OverLimit(f"{self.field} must be a number, got {x!r}")
        return float(x)


def options_for(limits: DaskLimits, idle_timeout: float, record_groups: bool = False) -> Options:
    """The options of one group: worker cores and memory (GiB) up to the group's limits."""
    setting = f"dask.limits.{limits.group}"
    max_gib = round(limits.max_worker_memory / GIB, 3)
    default_gib = round(limits.default_worker_memory / GIB, 3)

    def to_config(options, user) -> dict[str, Any]:
        return {
            "worker_cores": int(options.worker_cores),
            "worker_memory": int(options.worker_memory * GIB),
            "cluster_max_workers": limits.max_workers,
            "idle_timeout": float(idle_timeout),
            # The container backend mounts the catalogue domains the owner may see.
            **({"owner_groups": sorted(user.groups)} if record_groups else {}),
        }

    return Options(
        BoundedInteger(
            "worker_cores",
            default=1,
            min=1,
            max=limits.max_worker_cores,
            label="Worker cores",
            limit_setting=f"{setting}.max_worker_cores",
        ),
        BoundedFloat(
            "worker_memory",
            default=default_gib,
            min=min(0.25, max_gib),
            max=max_gib,
            label=f"Worker memory (GiB, at most {describe_memory(limits.max_worker_memory)})",
            limit_setting=f"{setting}.max_worker_memory",
            unit=" GiB",
        ),
        handler=to_config,
    )


def cluster_options(
    table: LimitsTable, idle_timeout: float, record_groups: bool = False
) -> Callable:
    """The value for ``c.Backend.cluster_options``: options chosen by the user's groups."""

    def for_user(user) -> Options:
        limits = table.for_user(user.groups, user.admin)
        return options_for(limits, idle_timeout, record_groups)

    return for_user
