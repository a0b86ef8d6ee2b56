"""One private Docker network per cluster: its scheduler and workers, nobody else.

Docker isolates bridge networks from each other, so notebooks (on the users' network) and other
users' clusters cannot open a connection to a scheduler or worker; the host, where the gateway's
proxy runs, reaches every bridge. The network is not ``internal``: a scheduler must reach the
gateway's API on the users' network gateway address for its heartbeats, and an internal network
has no route (and no usable address for ``get_ip``) off its bridge.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

import docker
import docker.errors
import docker.types

from ..containment.rules import cluster_bridge_name


class NoFreeSubnet(RuntimeError):
    def __init__(self, pool: str, prefix: int):
        super().__init__(
            f"no free /{prefix} subnet left in the Dask network pool {pool}: too many clusters, "
            "or the pool overlaps other networks. Enlarge dask.subnet_pool or shrink "
            "dask.cluster_subnet_prefix."
        )


def free_subnet(pool: str, prefix: int, used: Iterable[str]) -> str:
    """The first /prefix subnet of pool that overlaps none of the used ones."""
    taken = [ipaddress.ip_network(net, strict=False) for net in used if net]
    for candidate in ipaddress.ip_network(pool).subnets(new_prefix=prefix):
        if not any(candidate.overlaps(net) for net in taken):
            return str(candidate)
    raise NoFreeSubnet(pool, prefix)


def used_subnets(client: docker.DockerClient) -> list[str]:
    subnets = []
    for network in client.networks.list():
        for config in (network.attrs.get("IPAM") or {}).get("Config") or []:
            if config.get("Subnet"):
                subnets.append(config["Subnet"])
    return subnets


def create_cluster_network(
    client: docker.DockerClient,
    name: str,
    pool: str,
    prefix: int,
    labels: dict[str, str],
    bridge_prefix: str = "",
) -> str:
    """Create the network in the first free subnet; return the subnet. Not thread-safe.

    With a bridge_prefix the bridge is named after it (and the subnet), so the hub's
    containment rules, which match that prefix, cover the cluster from its first packet."""
    subnet = free_subnet(pool, prefix, used_subnets(client))
    ipam = docker.types.IPAMConfig(pool_configs=[docker.types.IPAMPool(subnet=subnet)])
    options = {}
    if bridge_prefix:
        options["com.docker.network.bridge.name"] = cluster_bridge_name(bridge_prefix, pool, subnet)
    client.networks.create(name, driver="bridge", ipam=ipam, labels=labels, options=options)
    return subnet


def remove_network(client: docker.DockerClient, name: str) -> None:
    try:
        client.networks.get(name).remove()
    except docker.errors.NotFound:
        pass
