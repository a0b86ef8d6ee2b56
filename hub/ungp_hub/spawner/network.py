"""The Docker network of user containers: no traffic between containers.

With ``enable_icc=false`` the bridge drops container-to-container packets, so one trainee's
container cannot open another's Jupyter server; the host (hub and proxy) still reaches every
container, and containers reach the hub's API on the gateway address. The bridge is named
``<tag>-users`` so that the containment rules (:mod:`ungp_hub.containment`) find it by name.
"""

from __future__ import annotations

import ipaddress

import docker
import docker.errors
import docker.types

from ..containment.rules import users_bridge_name


def gateway_address(subnet: str) -> str:
    return str(next(ipaddress.ip_network(subnet).hosts()))


def ensure_user_network(client: docker.DockerClient, name: str, subnet: str) -> str:
    """Create the network if missing; return the gateway address containers use for the hub."""
    gateway = gateway_address(subnet)
    try:
        network = client.networks.get(name)
    except docker.errors.NotFound:
        pool = docker.types.IPAMPool(subnet=subnet, gateway=gateway)
        network = client.networks.create(
            name,
            driver="bridge",
            ipam=docker.types.IPAMConfig(pool_configs=[pool]),
            options={
                "com.docker.network.bridge.enable_icc": "false",
                "com.docker.network.bridge.name": users_bridge_name(name),
            },
            labels={"org.ungp.network": "users"},
        )
        return gateway
    configs = network.attrs.get("IPAM", {}).get("Config") or [{}]
    return configs[0].get("Gateway") or gateway


def bridge_interface(client: docker.DockerClient, name: str) -> str:
    """The host interface of the network's bridge: its configured name, else Docker's
    ``br-<id>`` (a network made before bridges were named, kept while servers use it)."""
    network = client.networks.get(name)
    options = network.attrs.get("Options") or {}
    return options.get("com.docker.network.bridge.name") or f"br-{network.id[:12]}"
