"""How user servers run: Docker containers, or local processes in demo mode."""

from __future__ import annotations

import logging
import os
import sys

from traitlets.config import Config

from ..engine import docker_client_or_none
from ..images.errors import ImageMissingError
from ..settings import Settings
from ..spawner.network import ensure_user_network, gateway_address
from ..spawner.profiles import profile_images

log = logging.getLogger("ungp_hub")


def update_spawner(c: Config, settings: Settings) -> str:
    """Configure the spawner; return "docker" or "local" (the demo fallback)."""
    kind = settings.get("hub.spawner")
    client = docker_client_or_none() if kind == "docker" else None
    if kind == "docker" and client is None and settings.get("hub.demo"):
        log.warning(
            "DEMO MODE: no Docker engine answers, so user servers run as local processes of "
            "the hub's user, without isolation. Install and start Docker for real use."
        )
        kind = "local"
    if kind == "local":
        c.JupyterHub.spawner_class = "ungp_hub.spawner.local.DemoLocalSpawner"
        c.Spawner.cmd = [sys.executable, "-m", "jupyterhub.singleuser"]
        c.Spawner.default_url = "/lab"
        c.Spawner.start_timeout = settings.get("docker.start_timeout")
        c.Spawner.http_timeout = settings.get("docker.start_timeout")
        if os.geteuid() == 0:
            # `make up` as root on a machine without Docker: Jupyter refuses root unless told.
            c.Spawner.args = ["--allow-root"]
        c.JupyterHub.hub_ip = "127.0.0.1"
        return "local"

    docker = settings.get("docker")
    profiles = profile_images(settings)
    if profiles["trainee"]["image"] == "ungp/user:unbuilt":
        log.error("%s", ImageMissingError("ungp/user"))
    c.JupyterHub.spawner_class = "ungp_hub.spawner.docker.UngpDockerSpawner"
    c.UngpDockerSpawner.profiles = profiles
    c.UngpDockerSpawner.image = profiles["trainee"]["image"]
    c.UngpDockerSpawner.pull_policy = "never"
    c.UngpDockerSpawner.remove = True
    c.UngpDockerSpawner.network_name = docker["network"]
    c.UngpDockerSpawner.use_internal_ip = True
    c.UngpDockerSpawner.name_template = "ungp-{username}--{servername}"
    c.UngpDockerSpawner.data_host_path = str(settings.data_dir)
    c.UngpDockerSpawner.data_mount_path = docker["data_mount"]
    c.UngpDockerSpawner.start_timeout = docker["start_timeout"]
    c.UngpDockerSpawner.http_timeout = docker["start_timeout"]
    c.Spawner.default_url = "/lab"
    settings.data_dir.mkdir(parents=True, exist_ok=True)

    gateway = gateway_address(docker["subnet"])
    if client is not None:
        gateway = ensure_user_network(client, docker["network"], docker["subnet"])
        # Containers reach the hub's API on the network's gateway; nothing else listens there.
        c.JupyterHub.hub_ip = gateway
    else:
        log.error(
            "No Docker engine answers: servers cannot start until it does. Start it "
            "(`dockerd` or `systemctl start docker`); the hub keeps running meanwhile."
        )
        c.JupyterHub.hub_ip = "0.0.0.0"
    c.JupyterHub.hub_connect_ip = gateway
    return "docker"
