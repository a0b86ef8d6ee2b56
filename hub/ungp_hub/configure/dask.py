"""Dask Gateway as a hub-managed service, and notebooks preconfigured to use it.

Addresses: user containers reach the host only on their network's gateway address, so the
gateway's proxy (HTTP API, dashboards and the TLS scheduler proxy, multiplexed on one port)
listens there, and the hub's proxy routes /services/dask-gateway/ to it for browsers. The
gateway's private API listens on 127.0.0.1 only. See docs/dask.md and docs/decisions/dask.md.
"""

from __future__ import annotations

import logging
import os
import sys
from importlib import resources

from traitlets.config import Config

from ..dask.plan import PLAN_ENV, SERVICE_NAME, GatewayPlan, make_plan, plan_path
from ..engine import docker_client_or_none
from ..settings import Settings
from ..spawner.network import gateway_address
from ..spawner.profiles import profile_images
from ..state import StateDir
from .hub import internal_ports
from .hub_service import add_service

log = logging.getLogger("ungp_hub")


def update_dask(c: Config, settings: Settings) -> GatewayPlan | None:
    """Add the gateway service, its roles and the notebooks' client settings; return the plan."""
    if not settings.get("dask.enabled"):
        return None
    if settings.get("hub.spawner") != "docker":
        log.warning("Dask Gateway is off: user servers run as local processes (demo mode).")
        return None
    listen_ip = _listen_ip(settings)
    if listen_ip is None:
        log.error("Dask Gateway is off: no Docker engine answers (start it and restart the hub).")
        return None
    _, hub_port = internal_ports(settings.get("hub.bind_url"))
    image = profile_images(settings)["trainee"]["image"]
    plan = make_plan(settings, listen_ip, f"http://{listen_ip}:{hub_port}/hub/api", image)
    path = plan.write(plan_path(settings.state_dir))
    state = StateDir(settings.state_dir)

    environment = {PLAN_ENV: str(path)}
    for name in ("DOCKER_HOST", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH", "KUBECONFIG"):
        if os.environ.get(name):
            environment[name] = os.environ[name]
    config_file = resources.files("ungp_hub.dask").joinpath("gateway_config_file.py")
    service = {
        "name": SERVICE_NAME,
        "url": plan.service_url,
        "api_token": state.secret("dask-gateway-api-token"),
        "command": [sys.executable, "-m", "dask_gateway_server", "-f", str(config_file)],
        "cwd": str(path.parent),
        "environment": environment,
        "display": False,
    }
    # Users and their notebooks' tokens reach the gateway; clusters exist only with Docker.
    add_service(c, service, None, plan.client_environment(), ("UngpDockerSpawner",))
    return plan


def _listen_ip(settings: Settings) -> str | None:
    """The users' network gateway address (the network exists: update_spawner made it)."""
    client = docker_client_or_none()
    if client is None:
        return None
    name = settings.get("docker.network")
    try:
        configs = client.networks.get(name).attrs.get("IPAM", {}).get("Config") or [{}]
        return configs[0].get("Gateway") or gateway_address(settings.get("docker.subnet"))
    except Exception:  # noqa: BLE001 - no network yet: the subnet's first address
        return gateway_address(settings.get("docker.subnet"))
    finally:
        client.close()
