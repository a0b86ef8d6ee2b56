"""How many named servers a person may have: ``c.JupyterHub.named_server_limit_per_user``.

JupyterHub counts every named server record of the user when one more is created. Dashboards
are named servers too (``dash-<slug>``, one per published dashboard, created by the dashboards
service for their publisher): the limit is for the servers people make themselves, so each
dashboard the person has published adds one, and the service, which publishes only for its
publishers, has no limit. A ``dash-*`` record without a published dashboard of its owner
(a person can create one; its spawn fails) adds nothing, so it cannot raise the limit.
"""

from __future__ import annotations

from dataclasses import dataclass

from jupyterhub.user import User

from ..dashboards import SERVER_PREFIX
from ..dashboards.errors import DashboardError
from ..dashboards.registry import Registry


@dataclass(frozen=True)
class NamedServerLimit:
    """JupyterHub calls it with the request handler; 0 means no limit."""

    limit: int
    dashboards_root: str = ""

    def __call__(self, handler) -> int:  # noqa: ANN001 - a JupyterHub BaseHandler
        user = handler.current_user
        if not self.limit or not isinstance(user, User):
            return 0
        return self.limit + self.published_dashboards(user.name, list(user.orm_spawners))

    def published_dashboards(self, owner: str, server_names: list[str]) -> int:
        if not self.dashboards_root:
            return 0
        registry = Registry(self.dashboards_root)
        count = 0
        for name in server_names:
            if not name.startswith(SERVER_PREFIX):
                continue
            try:
                dashboard = registry.get(name[len(SERVER_PREFIX) :])
            except DashboardError:
                continue
            count += dashboard.owner == owner
        return count
