"""Contain user containers and Dask clusters (network.contain), at every start of the hub.

This runs while JupyterHub reads its configuration, after every other ``update_*``: the open
ports are those the configuration gives containers (the hub's API, each service whose URL is
on the address containers use for the hub, the public port when it listens there), so a
service added later is reachable without touching this file. ``make up``, the USB kit and
Ansible all start the hub through this configuration: one code path applies the rules.
"""

from __future__ import annotations

import logging
from urllib.parse import urlparse

from traitlets.config import Config

from ..containment import iptables
from ..containment.rules import ContainmentError, ContainmentPlan, make_plan
from ..engine import docker_client_or_none
from ..settings import Settings
from ..spawner.network import bridge_interface
from .hub_service import configured

log = logging.getLogger("ungp_hub")
# Unit tests replace it (tests/unit/conftest.py): they must never change the host's rules.
apply_rules = iptables.apply


def hub_ports(c: Config, hub_ip: str) -> set[int]:
    """The ports containers may open on hub_ip: the hub's API and every service there."""
    ports = {int(c.JupyterHub.hub_port)}
    public = urlparse(c.JupyterHub.get("bind_url", ""))
    if public.hostname in ("0.0.0.0", hub_ip):
        ports.add(public.port or (443 if public.scheme == "https" else 80))
    for service in configured(c.JupyterHub, "services"):
        url = urlparse(service.get("url") or "")
        if url.hostname == hub_ip and url.port:
            ports.add(url.port)
    return ports


def containment_plan(c: Config, settings: Settings) -> ContainmentPlan:
    hub_ip = c.JupyterHub.hub_connect_ip
    network = settings.get("docker.network")
    extra = []
    client = docker_client_or_none()
    if client is not None:
        try:
            extra.append(bridge_interface(client, network))
        except Exception:  # noqa: BLE001 - no network yet: the name pattern covers it
            pass
    return make_plan(network, hub_ip, hub_ports(c, hub_ip), settings.get("network.allow"), extra)


def update_containment(c: Config, settings: Settings, spawner_kind: str) -> None:
    if spawner_kind != "docker":
        return  # demo without Docker: no containers
    if not settings.get("network.contain"):
        log.warning(
            "network.contain is off: user containers and Dask workers reach every port of "
            "this machine, the LAN and the cloud metadata address. Only for a test machine."
        )
        return
    plan = containment_plan(c, settings)
    try:
        apply_rules(plan)
    except ContainmentError as error:
        if not settings.get("hub.demo"):
            raise
        log.warning("DEMO MODE: user containers are not contained: %s", error)
        return
    log.info(
        "Contained user containers (%s): host ports %s on %s, %d allow-list entries",
        ", ".join(plan.interfaces),
        ",".join(map(str, plan.hub_ports)),
        plan.hub_ip,
        len(plan.allow),
    )
