"""What user containers and Dask clusters may reach, as iptables rules (no side effects here).

Every bridge the hub makes for untrusted code is named ``<tag>-...`` (the tag comes from the
users' network name, so several hubs on one engine keep apart), and one interface pattern
``<tag>-+`` sends all their traffic through two chains of the hub's own:

- ``<TAG>-IN`` (from ``INPUT``: packets to the host itself): the hub's ports on the address
  containers use for the hub pass; the rest of the host (its other ports and addresses) is
  dropped.
- ``<TAG>-FWD`` (from ``DOCKER-USER``: packets the host would route on): traffic that stays on
  its own bridge is left to Docker (which drops it between users' servers: ``enable_icc``
  false, and keeps a cluster's scheduler and workers together); the allow list passes; the
  LAN, other Docker networks, the internet are dropped.

Both chains drop the link-local range (169.254.0.0/16, the cloud metadata address) before
anything can pass, so no allow-list entry reopens it. Allowed traffic *returns* to the host's
own rules rather than being accepted: these chains only take rights away. Replies
(``ESTABLISHED``) pass, so the hub and its proxy still reach every container.
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import UserError

LINK_LOCAL = "169.254.0.0/16"
# iptables' multiport match takes at most 15 ports.
MULTIPORT_MAX = 15
# Linux interface names have at most 15 characters.
IFNAMSIZ = 15


class ContainmentError(UserError):
    """The containment rules cannot be made, or an allow-list entry is wrong."""


def bridge_tag(network_name: str) -> str:
    """``ungp`` and 4 hex digits of the users' network name: the prefix of the hub's bridges."""
    return "ungp" + hashlib.sha1(network_name.encode()).hexdigest()[:4]


def users_bridge_name(network_name: str) -> str:
    return f"{bridge_tag(network_name)}-users"


def cluster_bridge_name(prefix: str, pool: str, subnet: str) -> str:
    """The bridge of one Dask cluster's network: the prefix and the subnet's index in the pool
    in hex. Subnets of a pool never overlap, so neither do these names (a random suffix short
    enough for 15 characters would collide)."""
    pool_net = ipaddress.ip_network(pool)
    sub = ipaddress.ip_network(subnet)
    index = (int(sub.network_address) - int(pool_net.network_address)) >> (
        sub.max_prefixlen - sub.prefixlen
    )
    name = f"{prefix}{index:x}"
    if len(name) > IFNAMSIZ:
        raise ContainmentError(
            f"the Dask subnet pool {pool} holds too many /{sub.prefixlen} networks to name "
            f"their bridges ({name!r} is longer than {IFNAMSIZ} characters): use a smaller "
            "dask.subnet_pool or a shorter dask.cluster_subnet_prefix"
        )
    return name


@dataclass(frozen=True)
class AllowedDestination:
    """One entry of ``network.allow``: an IPv4 address or range, ports (none: all), protocol."""

    network: ipaddress.IPv4Network
    ports: tuple[int, ...] = ()
    protocol: str = "tcp"

    @classmethod
    def from_setting(cls, entry: Mapping[str, Any]) -> AllowedDestination:
        address = str(entry.get("address", ""))
        try:
            network = ipaddress.ip_network(address, strict=False)
        except ValueError:
            raise ContainmentError(
                f"network.allow: {address!r} is not an IPv4 address or range; write e.g. "
                "10.1.2.3 or 10.1.2.0/24 (host names are not accepted: a name can change "
                "address after the rule is made)"
            ) from None
        if network.version != 4:
            raise ContainmentError(
                f"network.allow: {address!r} is IPv6; user networks are IPv4 only"
            )
        # A wider range (0.0.0.0/0: the internet) is fine: link-local is dropped first.
        if network.subnet_of(ipaddress.ip_network(LINK_LOCAL)):
            raise ContainmentError(
                f"network.allow: {address!r} is in {LINK_LOCAL} (link-local, the cloud "
                "metadata address), which stays closed to user containers"
            )
        return cls(network, tuple(entry.get("ports") or ()), entry.get("protocol") or "tcp")

    def matches(self) -> list[list[str]]:
        """iptables match arguments, one list per multiport group."""
        base = ["-d", str(self.network), "-p", self.protocol]
        if not self.ports:
            return [base]
        return [
            [*base, "-m", "multiport", "--dports", ",".join(map(str, group))]
            for group in _groups(self.ports)
        ]


def _groups(ports: Iterable[int]) -> list[tuple[int, ...]]:
    ordered = sorted(set(ports))
    return [tuple(ordered[i : i + MULTIPORT_MAX]) for i in range(0, len(ordered), MULTIPORT_MAX)]


@dataclass(frozen=True)
class ContainmentPlan:
    """The rules of one users' network and the Dask clusters of its hub."""

    tag: str
    hub_ip: str
    hub_ports: tuple[int, ...]
    allow: tuple[AllowedDestination, ...] = ()
    # Bridges of networks made before bridges were named <tag>-... (br-<id>).
    extra_interfaces: tuple[str, ...] = field(default=())

    @property
    def interfaces(self) -> tuple[str, ...]:
        return (f"{self.tag}-+", *self.extra_interfaces)

    @property
    def input_chain(self) -> str:
        return f"{self.tag.upper()}-IN"

    @property
    def forward_chain(self) -> str:
        return f"{self.tag.upper()}-FWD"

    def input_rules(self) -> list[list[str]]:
        rules = [
            ["-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "RETURN"],
            ["-d", LINK_LOCAL, "-j", "DROP"],
        ]
        for group in _groups(self.hub_ports):
            ports = ",".join(map(str, group))
            rules.append(
                ["-d", self.hub_ip, "-p", "tcp", "-m", "multiport", "--dports", ports]
                + ["-j", "RETURN"]
            )
        rules += [[*match, "-j", "RETURN"] for entry in self.allow for match in entry.matches()]
        rules.append(["-j", "DROP"])
        return rules

    def forward_rules(self) -> list[list[str]]:
        rules = [
            ["-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "RETURN"],
            ["-d", LINK_LOCAL, "-j", "DROP"],
            # Bridged, not routed: it stays on its own network, where Docker decides.
            ["-m", "physdev", "--physdev-is-bridged", "-j", "RETURN"],
        ]
        rules += [[*match, "-j", "RETURN"] for entry in self.allow for match in entry.matches()]
        rules.append(["-j", "DROP"])
        return rules

    def jumps(self, forward_parent: str) -> list[tuple[str, list[str]]]:
        """(parent chain, rule) pairs that send the bridges' traffic to the two chains."""
        return [
            pair
            for interface in self.interfaces
            for pair in (
                ("INPUT", ["-i", interface, "-j", self.input_chain]),
                (forward_parent, ["-i", interface, "-j", self.forward_chain]),
            )
        ]

    def restore_script(self) -> str:
        """The two chains for ``iptables-restore --noflush``: created or replaced in one
        transaction, so there is no moment without rules during a re-apply."""
        lines = ["*filter", f":{self.input_chain} - [0:0]", f":{self.forward_chain} - [0:0]"]
        lines += [" ".join(["-A", self.input_chain, *rule]) for rule in self.input_rules()]
        lines += [" ".join(["-A", self.forward_chain, *rule]) for rule in self.forward_rules()]
        return "\n".join([*lines, "COMMIT", ""])

    def restore_script_v6(self) -> str:
        """IPv6: the networks have none, so everything from these bridges is dropped."""
        lines = ["*filter", f":{self.input_chain} - [0:0]", f":{self.forward_chain} - [0:0]"]
        lines += [f"-A {self.input_chain} -j DROP", f"-A {self.forward_chain} -j DROP"]
        return "\n".join([*lines, "COMMIT", ""])


def make_plan(
    network_name: str,
    hub_ip: str,
    hub_ports: Iterable[int],
    allow: Iterable[Mapping[str, Any]] = (),
    extra_interfaces: Iterable[str] = (),
) -> ContainmentPlan:
    ports = tuple(sorted({int(port) for port in hub_ports if port}))
    if not ports:
        raise ContainmentError("no hub port to open to containers: the hub would be unreachable")
    return ContainmentPlan(
        tag=bridge_tag(network_name),
        hub_ip=str(ipaddress.ip_address(hub_ip)),
        hub_ports=ports,
        allow=tuple(AllowedDestination.from_setting(entry) for entry in allow),
        extra_interfaces=tuple(
            name for name in extra_interfaces if not name.startswith(bridge_tag(network_name))
        ),
    )
