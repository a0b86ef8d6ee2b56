"""The most clusters a user may hold at a time, for any dask-gateway backend."""

from __future__ import annotations

from dask_gateway_server.backends.base import PublicException
from traitlets import Dict
from traitlets.config import LoggingConfigurable

from .limits import LimitsTable


class TooManyClusters(PublicException):
    """Shown to the user by the gateway (HTTP 422) when they already hold their quota."""

    def __init__(self, group: str, limit: int, names: list[str]):
        running = ", ".join(names)
        super().__init__(
            f"You already have {len(names)} Dask cluster(s) ({running}); {group}s may have at "
            f"most {limit} at a time (site setting dask.limits.{group}.max_clusters). Shut one "
            "down first: `cluster.shutdown()`, or `gateway.stop_cluster(name)` for a cluster "
            "from `gateway.list_clusters()`."
        )


class ClusterQuota(LoggingConfigurable):
    """Put first in a backend's bases: refuses a new cluster over the user's group quota."""

    group_limits = Dict(
        help="""Limits per group as written by ungp_hub.dask.plan (LimitsTable.to_dict()):
        {"trainee": {"max_clusters": 1, "max_workers": 4, ...}, ...}. Empty: no cluster quota
        (worker sizes are still bounded by the cluster options).""",
    ).tag(config=True)

    async def start_cluster(self, user, cluster_options):
        if self.group_limits:
            limits = LimitsTable.from_dict(self.group_limits).for_user(user.groups, user.admin)
            active = await self.list_clusters(username=user.name)
            if len(active) >= limits.max_clusters:
                raise TooManyClusters(
                    limits.group, limits.max_clusters, sorted(c.name for c in active)
                )
        return await super().start_cluster(user, cluster_options)
