"""The sandbox's kernel as a fork of the executor (see ForkedKernel).

Standard library, ipykernel and jupyter_client only: it runs in the course image.
"""

from __future__ import annotations

import secrets
import sys
from pathlib import Path
from typing import Any


def not_dumpable() -> None:
    """Make this process's memory, /proc entries and file descriptors unreachable for other
    processes of the same user (ptrace, /proc/PID/mem, /proc/PID/fd); inherited by forks."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE = 4
    except Exception:  # noqa: BLE001 - not on Linux: nothing to harden
        pass


def import_warm_modules(modules: list[str]) -> None:
    """Import the libraries the assignment uses once, before the kernel and the clean
    interpreter are forked: both start with them loaded (and nothing of a submission)."""
    import importlib

    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - a course image without that library
            continue


class ForkedKernel:
    """The kernel as a fork of the executor, made once ipykernel is imported.

    A kernel started the usual way is a new Python that imports ipykernel, and with it
    jupyter_client, which the executor has imported already: in a fresh container that is a
    third of a second of CPU paid twice per submission. Forked after the import, the kernel
    starts with it done. It is forked before any job arrives (the frame key exists only
    later, in the parent), with stdin/stdout/stderr on /dev/null, and is stopped with
    signals as jupyter_client's manager would.
    """

    def __init__(self, pid: int, connection_info: dict[str, Any]):
        self.pid = pid
        self.connection_info = connection_info

    @classmethod
    def start(cls, cwd: str) -> ForkedKernel:
        import os

        from ipykernel.kernelapp import IPKernelApp
        from jupyter_client.connect import write_connection_file

        Path(cwd).mkdir(parents=True, exist_ok=True)
        stem = f"/tmp/kernel-{secrets.token_hex(8)}"
        # Unix sockets in the sandbox's own /tmp, not TCP ports: the sandboxes of one run
        # share a network namespace (see GradingRun), where a port would be reachable from
        # every other sandbox and the kernel's output channel readable by anyone subscribing.
        name, info = write_connection_file(stem + ".json", ip=stem, transport="ipc")
        info = {
            **info,
            "key": info["key"].encode() if isinstance(info["key"], str) else info["key"],
        }
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid:
            return cls(pid, info)
        try:  # the kernel: nothing of the executor's streams, its own folder
            devnull = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(devnull, fd)
            os.closerange(3, devnull)  # no descriptor of the executor's survives
            os.closerange(devnull + 1, 65536)
            os.chdir(cwd)
            # No debugger in a grading kernel: ipykernel imports debugpy whenever it can,
            # 0.17 CPU-s of every sandbox's start; a None entry makes that import fail,
            # which ipykernel takes as "debugpy not installed".
            sys.modules["debugpy"] = None
            subprocess_output_over_unix_socket(stem + "-subprocess")
            app = IPKernelApp.instance()
            app.initialize(["-f", name, "--HistoryManager.hist_file=:memory:"])
            app.start()
        finally:
            os._exit(0)

    async def interrupt_kernel(self) -> None:
        import os
        import signal

        try:
            os.kill(self.pid, signal.SIGINT)
        except ProcessLookupError:
            pass

    async def is_alive(self) -> bool:
        import os

        try:
            done, _ = os.waitpid(self.pid, os.WNOHANG)
        except ChildProcessError:
            return False
        return done == 0

    async def shutdown_kernel(self, now: bool = True) -> None:
        import os
        import signal

        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass


def subprocess_output_over_unix_socket(path: str) -> None:
    """Make ipykernel forward the output of the kernel's own child processes over a Unix
    socket at ``path`` instead of a PULL socket on a random 127.0.0.1 port.

    That port is the one thing of a kernel on the loopback the run's sandboxes share: a
    submission in another sandbox could not read through it (messages need a random prefix),
    but could flood it and so slow this submission into its time limits. ipykernel
    (``IOPubThread._setup_pipe_in``/``_setup_pipe_out``, 6.x-7.x) hard-codes TCP; these two
    replacements differ only in the address. The isolation test fails if a port listens.
    """
    import os

    import zmq
    from ipykernel import iostream
    from zmq.eventloop.zmqstream import ZMQStream

    address = f"ipc://{path}"

    def setup_pipe_in(self) -> None:
        self._pipe_uuid = os.urandom(16)
        pipe_in = self.socket.context.socket(zmq.PULL)
        pipe_in.linger = 0
        pipe_in.bind(address)
        self._pipe_in = ZMQStream(pipe_in, self.io_loop)
        self._pipe_in.on_recv(self._handle_pipe_msg)

    def setup_pipe_out(self):
        context = zmq.Context()
        pipe_out = context.socket(zmq.PUSH)
        pipe_out.linger = 3000
        pipe_out.connect(address)
        return context, pipe_out

    iostream.IOPubThread._setup_pipe_in = setup_pipe_in
    iostream.IOPubThread._setup_pipe_out = setup_pipe_out
