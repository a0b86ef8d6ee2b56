"""A pool of warm sandboxes: started ahead of need, each handed out once, never reused.

Starting a container and a kernel takes seconds; running a small notebook takes less. The
pool keeps ``size`` sandboxes starting or ready beyond those in use, so a grading worker that
finishes a submission finds the next sandbox already warm. It never starts more sandboxes
than there are submissions left.
"""

from __future__ import annotations

import threading
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor

import docker

from .limits import SandboxLimits
from .sandbox import Sandbox, SandboxFailed


class WarmPool:
    def __init__(
        self,
        client: docker.DockerClient,
        limits: SandboxLimits,
        workdir: str,
        size: int,
        expected: int,
        labels: dict[str, str] | None = None,
        start_timeout: float = 120,
        network: str = "none",
    ):
        self.client = client
        self.limits = limits
        self.workdir = workdir
        self.labels = labels or {}
        self.start_timeout = start_timeout
        self.network = network
        self._left = expected
        self._lock = threading.Lock()
        self._starting: deque[Future[Sandbox]] = deque()
        self._threads = ThreadPoolExecutor(max_workers=max(1, size), thread_name_prefix="warm")
        self._closed = False
        for _ in range(min(size, expected)):
            self._start_one()

    def _start_one(self) -> None:
        self._left -= 1
        self._starting.append(self._threads.submit(self._warm))

    def _warm(self) -> Sandbox:
        sandbox = Sandbox(self.client, self.limits, self.workdir, self.labels, self.network)
        try:
            sandbox.start().wait_ready(self.start_timeout)
        except Exception:
            sandbox.destroy()
            raise
        return sandbox

    def take(self) -> Sandbox:
        """The oldest warm sandbox (waits for it); starts a replacement if work is left."""
        with self._lock:
            if self._closed:
                raise SandboxFailed("the pool is closed")
            if not self._starting:
                self._left = max(self._left, 1)
                self._start_one()
            future = self._starting.popleft()
            if self._left > 0:
                self._start_one()
        try:
            return future.result()
        except docker.errors.DockerException as error:
            raise SandboxFailed(f"the sandbox did not start: {error}") from error

    def close(self) -> None:
        with self._lock:
            self._closed = True
            pending = list(self._starting)
            self._starting.clear()
        for future in pending:
            try:
                future.result().destroy()
            except Exception:  # noqa: BLE001 - failed to start: nothing to remove
                pass
        self._threads.shutdown(wait=True)
