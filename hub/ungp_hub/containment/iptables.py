"""Put a ContainmentPlan in the kernel with iptables, the tool Docker itself uses.

iptables (not nft) because Docker 20-27 writes its own rules with it and makes the
``DOCKER-USER`` chain for rules like these; whichever backend the host's ``iptables`` is
(nf_tables or legacy), ours land next to Docker's. Applying is idempotent: the chains are
replaced in one ``iptables-restore --noflush`` transaction, each jump is added once at the top
of its parent, and stale jumps to our chains (a bridge renamed since) are removed.

Rules are kept when the hub stops: user servers keep running across hub restarts
(``cleanup_servers`` is off), so their containment must not lapse. ``remove`` takes them away
(tests, or an admin dismantling a hub).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Sequence

from .rules import ContainmentError, ContainmentPlan

Runner = Callable[..., subprocess.CompletedProcess]


class Iptables:
    """iptables or ip6tables, with the lock wait that keeps us from racing Docker."""

    def __init__(self, family: int = 4, run: Runner = subprocess.run):
        self.family = family
        self.command = "iptables" if family == 4 else "ip6tables"
        self._run = run

    def available(self) -> bool:
        return shutil.which(self.command) is not None

    def __call__(self, *args: str, check: bool = True, stdin: str | None = None) -> str:
        command = [self.command, "-w", *args]
        result = self._run(command, input=stdin, capture_output=True, text=True, check=False)
        if check and result.returncode != 0:
            raise ContainmentError(
                f"`{' '.join(command)}` failed: {(result.stderr or result.stdout).strip()}. "
                "The hub needs root and CAP_NET_ADMIN in the host's network namespace to "
                "contain user containers (network.contain)."
            )
        return result.stdout if result.returncode == 0 else ""

    def ok(self, *args: str) -> bool:
        return (
            self._run([self.command, "-w", *args], capture_output=True, check=False).returncode == 0
        )

    def restore(self, script: str) -> None:
        command = [f"{self.command}-restore", "-w", "5", "--noflush"]
        result = self._run(command, input=script, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise ContainmentError(
                f"`{' '.join(command)}` failed: {result.stderr.strip()}. The hub needs root "
                "and CAP_NET_ADMIN in the host's network namespace (network.contain)."
            )

    def forward_parent(self) -> str:
        """DOCKER-USER, which Docker jumps to first and never flushes; FORWARD without it."""
        return "DOCKER-USER" if self.ok("-n", "-L", "DOCKER-USER") else "FORWARD"

    def jumps_to(self, parent: str, chain: str) -> list[list[str]]:
        """The rules of ``parent`` that jump to ``chain``, as argument lists without ``-A``."""
        found = []
        for line in self("-S", parent, check=False).splitlines():
            words = line.split()
            if words[:2] == ["-A", parent] and words[-2:] == ["-j", chain]:
                found.append(words[2:])
        return found


def apply(plan: ContainmentPlan, run: Runner = subprocess.run) -> None:
    """Make the kernel's rules match the plan (IPv4, and IPv6 where ip6tables exists)."""
    v4 = Iptables(4, run)
    if not v4.available():
        raise ContainmentError(
            "iptables is not installed: user containers cannot be contained. Install it "
            "(apt-get install iptables) or, on a test machine only, set network.contain: false"
        )
    v4.restore(plan.restore_script())
    _set_jumps(v4, plan)
    v6 = Iptables(6, run)
    if v6.available() and v6.ok("-n", "-L", "INPUT"):
        v6.restore(plan.restore_script_v6())
        _set_jumps(v6, plan)


def _set_jumps(tables: Iptables, plan: ContainmentPlan) -> None:
    wanted = plan.jumps(tables.forward_parent())
    for parent, chain in {(p, rule[-1]) for p, rule in wanted}:
        for rule in tables.jumps_to(parent, chain):
            if (parent, rule) not in wanted:
                tables("-D", parent, *rule, check=False)
    for parent, rule in wanted:
        if not tables.ok("-C", parent, *rule):
            tables("-I", parent, "1", *rule)


def remove(plan: ContainmentPlan, run: Runner = subprocess.run) -> None:
    """Take the plan's chains and every jump to them away (missing ones are fine)."""
    for family in (4, 6):
        tables = Iptables(family, run)
        if not tables.available():
            continue
        for parent in ("INPUT", "FORWARD", "DOCKER-USER"):
            for chain in (plan.input_chain, plan.forward_chain):
                for rule in tables.jumps_to(parent, chain):
                    tables("-D", parent, *rule, check=False)
        for chain in (plan.input_chain, plan.forward_chain):
            tables("-F", chain, check=False)
            tables("-X", chain, check=False)


def listing(plan: ContainmentPlan, run: Runner = subprocess.run) -> dict[str, Sequence[str]]:
    """The chains as the kernel holds them (``iptables -S``): what the tests read."""
    tables = Iptables(4, run)
    return {
        chain: tables("-S", chain, check=False).splitlines()
        for chain in (plan.input_chain, plan.forward_chain)
    }
