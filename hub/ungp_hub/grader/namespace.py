"""One network namespace for the sandboxes of a grading run.

A sandbox has no network. Docker gives each container with ``network_mode: none`` a
namespace of its own (a loopback interface only), and making and tearing down one costs about
0.18 CPU-s per container on the 2-core machine: a sixth of all the CPU that grading a small
notebook takes. The sandboxes of one run therefore join the namespace of a holder container,
which has no network either and only sleeps. They share that loopback and nothing else (each
has its own file systems, processes and user). Nothing of a sandbox listens on it: the Python
kernel talks to its executor over Unix sockets in the sandbox's own /tmp (see
``ForkedKernel``), which no other sandbox can open. Kernels that use TCP (R) keep a
namespace of their own per sandbox.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import docker

from .limits import SandboxLimits
from .sandbox import locked_down

ROLE = "ungp.grader.role"


def holder_options(limits: SandboxLimits, labels: dict[str, str]) -> dict:
    """The holder: the course image asleep, locked down like a sandbox, and tiny."""
    return {
        **locked_down({**labels, ROLE: "namespace"}),
        "image": limits.image,
        "command": ["sleep", "infinity"],
        "read_only": True,
        "mem_limit": "32m",
        "memswap_limit": "32m",
        "pids_limit": 4,
        "nano_cpus": 100_000_000,
    }


@contextmanager
def shared_namespace(
    client: docker.DockerClient, limits: SandboxLimits, labels: dict[str, str]
) -> Iterator[str]:
    """Yield the ``network_mode`` that puts a sandbox into the run's namespace."""
    holder = client.containers.run(**holder_options(limits, labels))
    try:
        yield f"container:{holder.id}"
    finally:
        try:
            holder.remove(force=True)
        except docker.errors.APIError:
            pass
