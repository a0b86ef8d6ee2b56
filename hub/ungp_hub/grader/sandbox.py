"""One sandbox: a fresh container of the course image that runs one submission, then goes.

The container has no network, no capabilities, no new privileges, a read-only root file
system, in-memory /home/jovyan and /tmp, CPU/memory/pids limits, runs as uid 1000 and gets
no mounts except (optionally) the open catalogue data read-only. Nothing is copied into it
through the Docker API: the job travels on the container's stdin and the result comes back
on its stdout, framed by a random key (see ``executor``). Docker keeps no log of it.
"""

from __future__ import annotations

import base64
import io
import json
import os
import secrets
import socket
import struct
import tarfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docker
import docker.errors
from docker.types import LogConfig

from .executor import READY
from .limits import SandboxLimits

LABEL = "ungp.grader"
HOME = "/home/jovyan"


class SandboxFailed(RuntimeError):
    """The sandbox could not start or returned no result (the message says why)."""


@dataclass
class SandboxResult:
    status: str  # ok | timed_out | kernel_died | output_limit | failed
    notebook: dict[str, Any] | None
    notes: dict[int, str] = field(default_factory=dict)
    seconds: float = 0.0
    timed_out_cells: list[int] = field(default_factory=list)
    cpu: dict[str, float] = field(default_factory=dict)  # CPU-s by part, as the executor saw


def pack_folder(folder: Path, skip_suffixes: tuple[str, ...] = (".ipynb",)) -> bytes:
    """The submission's other files (data, modules) as a tar; notebooks stay on the host."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_symlink() or not path.is_file() or path.suffix in skip_suffixes:
                continue
            if any(part.startswith(".") for part in path.relative_to(folder).parts):
                continue
            archive.add(path, arcname=str(path.relative_to(folder)), recursive=False)
    return buffer.getvalue()


def container_options(
    limits: SandboxLimits, workdir: str, labels: dict[str, str], network: str = "none"
) -> dict:
    """The docker-py ``containers.create`` arguments of a sandbox (unit-tested). ``network``:
    "none", or "container:ID" to join a run's shared namespace (see :func:`shared_namespace`)."""
    tmpfs = f"size={limits.tmpfs_mb}m"
    command = [
        "python",
        "-m",
        "ungp_hub.grader.executor",
        "--cwd",
        workdir,
        "--kernel",
        limits.kernel,
        "--cell-timeout",
        str(limits.cell_timeout),
        "--notebook-timeout",
        str(limits.notebook_timeout),
        "--output-limit",
        str(limits.output_limit_bytes),
        "--modules",
        ",".join(limits.warm_modules),
    ]
    return {
        **locked_down(labels, network),
        "image": limits.image,
        "command": command,
        "read_only": limits.read_only_root,
        "tmpfs": {HOME: f"{tmpfs},uid=1000,gid=1000,mode=0700", "/tmp": f"{tmpfs},mode=1777"},
        "nano_cpus": int(limits.cpu * 1e9),
        "mem_limit": limits.memory,
        "memswap_limit": limits.memory,
        "pids_limit": limits.pids,
        "volumes": dict(limits.volumes),
        "working_dir": HOME,
        "stdin_open": True,
        "environment": {"HOME": HOME, "PYTHONDONTWRITEBYTECODE": "1"},
    }


def locked_down(labels: dict[str, str], network: str = "none") -> dict:
    """What every grader container gets (sandboxes and a run's namespace holder): an
    unprivileged user, no capabilities, no new privileges, no Docker log, the grader's label."""
    return {
        "user": "1000:1000",
        "network_mode": network,
        "cap_drop": ["ALL"],
        "security_opt": ["no-new-privileges"],
        "detach": True,
        "labels": {LABEL: "1", **labels},
        "log_config": LogConfig(type="none"),
    }


class Sandbox:
    """Start with :meth:`start`, wait with :meth:`wait_ready`, :meth:`run` once, :meth:`destroy`."""

    def __init__(
        self,
        client: docker.DockerClient,
        limits: SandboxLimits,
        workdir: str,
        labels: dict[str, str] | None = None,
        network: str = "none",
    ):
        self.client = client
        self.limits = limits
        self.workdir = workdir
        self.labels = labels or {}
        self.network = network
        self.container = None
        self._socket: socket.socket | None = None
        self._buffer = b""
        self.stderr = b""

    def start(self) -> Sandbox:
        options = container_options(self.limits, self.workdir, self.labels, self.network)
        self.container = self.client.containers.create(**options)
        attached = self.container.attach_socket(
            params={"stdin": 1, "stdout": 1, "stderr": 1, "stream": 1}
        )
        self._socket = getattr(attached, "_sock", attached)
        self.container.start()
        return self

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        marker = (READY + "\n").encode()
        while marker not in self._buffer:
            if not self._read(deadline, keep=4096):
                raise SandboxFailed(f"the sandbox did not start: {self._stderr_tail()}")
        self._buffer = self._buffer.split(marker, 1)[1]

    def run(
        self,
        notebook: dict[str, Any],
        files: bytes,
        guard_cells: list[int],
        result_limit: int,
        instructor_cells: list[int] = (),
    ) -> SandboxResult:
        """``guard_cells``: the test cells; ``instructor_cells``: locked cells (both run in the
        clean interpreter, which trusts them: the host decides, not the cells' metadata)."""
        key = secrets.token_hex(24)
        job = {
            "key": key,
            "notebook": notebook,
            "guard_cells": guard_cells,
            "instructor_cells": list(instructor_cells),
            "files": base64.b64encode(files).decode(),
        }
        started = time.monotonic()
        self._socket.sendall((json.dumps(job) + "\n").encode())
        deadline = started + self.limits.notebook_timeout + 60
        begin, end = f"\n{key}\n".encode(), f"\n{key}\n".encode()
        while begin not in self._buffer:
            self._buffer = self._buffer[-len(begin) - 65536 :]
            if not self._read(deadline, keep=None):
                return self._no_result(started, deadline)
        body = self._buffer.split(begin, 1)[1]
        self._buffer = body
        while end not in self._buffer:
            if len(self._buffer) > result_limit:
                return SandboxResult("output_limit", None, seconds=time.monotonic() - started)
            if not self._read(deadline, keep=None):
                return self._no_result(started, deadline)
        payload = json.loads(self._buffer.split(end, 1)[0])
        notes = {int(k): v for k, v in payload.get("notes", {}).items()}
        cpu = {str(k): float(v) for k, v in (payload.get("cpu") or {}).items()}
        return SandboxResult(
            payload["status"],
            payload["notebook"],
            notes,
            time.monotonic() - started,
            payload.get("timed_out", []),
            cpu,
        )

    def _no_result(self, started: float, deadline: float) -> SandboxResult:
        seconds = time.monotonic() - started
        if time.monotonic() >= deadline:
            return SandboxResult("timed_out", None, seconds=seconds)
        return SandboxResult("failed", None, seconds=seconds)

    def _read(self, deadline: float, keep: int | None) -> bool:
        """Read one multiplexed frame into the buffers; False on EOF or deadline."""
        header = self._recv_exact(8, deadline)
        if header is None:
            return False
        kind, size = struct.unpack(">BxxxL", header)
        data = self._recv_exact(size, deadline)
        if data is None:
            return False
        if kind == 2:
            self.stderr = (self.stderr + data)[-8192:]
        else:
            self._buffer += data
            if keep is not None:
                self._buffer = self._buffer[-keep:]
        return True

    def _recv_exact(self, size: int, deadline: float) -> bytes | None:
        chunks, missing = [], size
        while missing:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            self._socket.settimeout(remaining)
            try:
                chunk = self._socket.recv(min(missing, 1 << 20))
            except (TimeoutError, OSError):
                return None
            if not chunk:
                return None
            chunks.append(chunk)
            missing -= len(chunk)
        return b"".join(chunks)

    def _stderr_tail(self) -> str:
        return self.stderr.decode(errors="replace")[-1500:] or "no output"

    def destroy(self) -> None:
        if self._socket is not None:
            try:
                self._socket.close()
            except OSError:
                pass
        if self.container is not None:
            try:
                self.container.remove(force=True, v=True)
            except docker.errors.APIError:
                pass


def default_pool_size(memory_bytes: int, cpus: int | None = None) -> int:
    """Four sandboxes per core (warming up is mostly waiting on the kernel's start, so several
    warm while one runs), but no more than fit in half the machine's memory at their limit."""
    cpus = 4 * (cpus or os.cpu_count() or 1)
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        total = 4 << 30
    return max(2, min(cpus, int(total // 2 // max(memory_bytes, 1))))


def split_pool(pool_size: int, cpus: int | None = None) -> tuple[int, int]:
    """(sandboxes running submissions at once, sandboxes warming ahead) for a pool size."""
    cpus = cpus or os.cpu_count() or 1
    running = max(1, min(cpus, pool_size // 2))
    return running, max(1, pool_size - running)
