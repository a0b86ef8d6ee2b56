"""Starting filters: from a policy file on the command line, or in a thread of the hub.

The lead wires one filter per service that creates containers; the service then gets
``DOCKER_HOST=unix://<socket>`` (see :func:`docker_host`) instead of the engine's socket.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .policy import Policy
from .proxy import DockerFilter


class PolicyFileError(ValueError):
    """The policy file cannot be read; the message names the file and the problem."""


def load_policy(path: Path) -> Policy:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise PolicyFileError(f"cannot read the policy file {path}: {error}") from error
    if not isinstance(data, dict):
        raise PolicyFileError(f"the policy file {path} must hold a mapping")
    try:
        return Policy.from_mapping(data)
    except (TypeError, ValueError) as error:
        raise PolicyFileError(f"policy file {path}: {error}") from error


def engine_socket(environ: dict[str, str] | None = None) -> str:
    """The engine's unix socket from DOCKER_HOST (the filter speaks to a local engine only)."""
    host = (environ if environ is not None else os.environ).get("DOCKER_HOST", "")
    if not host:
        return "/var/run/docker.sock"
    if not host.startswith("unix://"):
        raise ValueError(f"DOCKER_HOST={host}: the Docker filter needs a unix:// engine socket")
    return host[len("unix://") :]


def docker_host(socket_path: Path) -> str:
    """The DOCKER_HOST value a client of the filter at ``socket_path`` uses."""
    return f"unix://{Path(socket_path).absolute()}"


@dataclass
class RunningFilters:
    """Filters served by an event loop in a daemon thread; :meth:`stop` removes the sockets."""

    loop: asyncio.AbstractEventLoop
    thread: threading.Thread
    filters: list[DockerFilter] = field(default_factory=list)

    def stop(self, timeout: float = 10) -> None:
        async def close_all() -> None:
            for item in self.filters:
                await item.close()
            # Connections still open (an attached stream) end with the filters.
            current = asyncio.current_task()
            pending = [t for t in asyncio.all_tasks() if t is not current]
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(close_all(), self.loop).result(timeout)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout)
        self.loop.close()


def start_in_thread(filters: Iterable[DockerFilter]) -> RunningFilters:
    """Serve ``filters`` from a new thread; returns once every socket listens."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="docker-filter", daemon=True)
    thread.start()
    running = RunningFilters(loop, thread, list(filters))

    async def start_all() -> None:
        for item in running.filters:
            await item.start()

    try:
        asyncio.run_coroutine_threadsafe(start_all(), loop).result(30)
    except BaseException:
        running.stop()
        raise
    return running


async def serve_forever(item: DockerFilter) -> None:
    await item.start()
    try:
        await asyncio.Event().wait()
    finally:
        await item.close()
