"""Voila dashboards: the service, named servers, the dashboard spawner and its run settings.

The service listens, like the exchange, on the address containers use for the hub
(``hub_connect_ip``) so that `ungp dashboards` works from an analyst's terminal; the proxy
routes /services/dashboards/ to it for browsers. See docs/decisions/dashboards.md.
"""

from __future__ import annotations

import json
import sys
from urllib.parse import urlparse

from traitlets.config import Config

from ..dashboards import SERVICE_NAME
from ..dashboards.consent import DashboardClients
from ..settings import Settings
from ..spawner.profiles import memory_in_bytes
from ..state import StateDir
from .hub_service import add_service, configured
from .spawner import profile_images

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


def dashboards_port(settings: Settings) -> int:
    public = urlparse(settings.get("hub.bind_url")).port or 8000
    return settings.get("dashboards.port") or public + 6


def service_url(c: Config, settings: Settings) -> str:
    host = c.JupyterHub.hub_connect_ip if "hub_connect_ip" in c.JupyterHub else "127.0.0.1"
    return f"http://{host}:{dashboards_port(settings)}"


def run_config(settings: Settings, c: Config) -> dict:
    """What the service needs to run notebooks in containers (written to service.json)."""
    state = StateDir(settings.state_dir)
    analyst = profile_images(settings)["analyst"]
    spawner = c.UngpDockerSpawner
    return {
        "root": str(state.path / "dashboards"),
        "image": analyst["image"],
        "cpu": float(analyst.get("cpu", 2.0)),
        "memory_bytes": memory_in_bytes(analyst.get("memory", "4G")),
        "pids": int(analyst.get("pids", 1024)),
        "run_timeout": settings.get("dashboards.run_timeout"),
        "check_every": settings.get("dashboards.check_every"),
        "publisher_groups": list(settings.get("dashboards.publisher_groups")),
        "node_modules": settings.get("dashboards.node_modules") or "",
        "data_host_path": str(settings.data_dir),
        "data_mount": settings.get("docker.data_mount"),
        "data_view_path": spawner.data_view_path if "data_view_path" in spawner else "",
        "restricted_groups": dict(spawner.restricted_groups)
        if "restricted_groups" in spawner
        else {},
    }


def update_dashboards(c: Config, settings: Settings) -> None:
    if not settings.get("dashboards.enabled"):
        return
    if c.JupyterHub.get("spawner_class") != DOCKER_SPAWNER:
        return  # demo without Docker: no containers to run dashboards in
    state = StateDir(settings.state_dir)
    root = state.path / "dashboards"
    root.mkdir(parents=True, exist_ok=True)
    config_file = root / "service.json"
    config_file.write_text(json.dumps(run_config(settings, c), indent=2))

    c.JupyterHub.allow_named_servers = True
    c.JupyterHub.spawner_class = DASHBOARD_SPAWNER
    c.DashboardSpawner.dashboards_root = str(root)
    url = service_url(c, settings)
    service = {
        "name": SERVICE_NAME,
        "url": url,
        "display": False,
        "oauth_no_confirm": True,
        "command": [sys.executable, "-m", "ungp_hub.dashboards", "--config", str(config_file)],
    }
    role = {
        "name": "dashboards-service",
        "description": "Starts dashboard servers and shares them with their audience.",
        "scopes": SERVICE_SCOPES,
    }
    # Every user (and their server's token, for the CLI in a container) may call the service.
    add_service(c, service, role, {"UNGP_DASHBOARDS_URL": f"{url}/services/{SERVICE_NAME}/"})
    # No "Authorize access" page between a viewer and a dashboard shared with them.
    no_confirm = [
        f"service-{s['name']}" for s in c.JupyterHub.services if s.get("oauth_no_confirm")
    ]
    c.JupyterHub.tornado_settings = {
        **configured(c.JupyterHub, "tornado_settings", {}),
        "oauth_no_confirm_list": DashboardClients(str(root), no_confirm),
    }
