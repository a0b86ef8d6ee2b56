"""Voila dashboards: the service, named servers, the dashboard spawner and its run settings.

The service listens, like the exchange, on the address containers use for the hub
(``hub_connect_ip``) so that `ungp dashboards` works from an analyst's terminal; the proxy
routes /services/dashboards/ to it for browsers. See docs/decisions/dashboards.md.
"""

from __future__ import annotations

from traitlets.config import Config

from ..dashboards import SERVICE_NAME
from ..dashboards.consent import DashboardClients
from ..settings import Settings
from ..state import StateDir
from .hub_service import add_hub_service, configured

DOCKER_SPAWNER = "ungp_hub.spawner.docker.UngpDockerSpawner"
DASHBOARD_SPAWNER = "ungp_hub.dashboards.spawner.DashboardSpawner"
# What the service does for publishers: start/remove their dash-* servers, share them with
# the audience's group, keep the group of all users, read who is in which group.
SERVICE_SCOPES = [
    "list:users",
    "read:users",
    "read:users:groups",
    "servers",
    "delete:servers",
    "shares",
    "read:shares",
    "access:servers",
    "read:groups",
    "list:groups",
    "read:groups:name",
    "read:users:name",
    "groups",
]


def update_dashboards(c: Config, settings: Settings) -> None:
    if not settings.get("dashboards.enabled"):
        return
    if c.JupyterHub.get("spawner_class") != DOCKER_SPAWNER:
        return  # demo without Docker: no containers to run dashboards in
    root = StateDir(settings.state_dir).path / "dashboards"
    root.mkdir(parents=True, exist_ok=True)
    c.JupyterHub.allow_named_servers = True
    c.JupyterHub.spawner_class = DASHBOARD_SPAWNER
    c.DashboardSpawner.dashboards_root = str(root)
    role = {
        "description": "Starts dashboard servers and shares them with their audience.",
        "scopes": SERVICE_SCOPES,
    }
    # Every user (and their server's token, for the CLI in a container) may call the service.
    add_hub_service(c, settings, SERVICE_NAME, role, "UNGP_DASHBOARDS_URL", path="/")
    # No "Authorize access" page between a viewer and a dashboard shared with them.
    no_confirm = [
        f"service-{s['name']}" for s in c.JupyterHub.services if s.get("oauth_no_confirm")
    ]
    c.JupyterHub.tornado_settings = {
        **configured(c.JupyterHub, "tornado_settings", {}),
        "oauth_no_confirm_list": DashboardClients(str(root), no_confirm),
    }
