"""The clean interpreter in which test cells run: no trainee code ever runs in it.

The executor forks it right after the trainee's kernel, before any submission arrives, and
talks to it over a socket pair that only the two of them hold (the trainee's kernel was
forked earlier, so it never had it; the runner is not dumpable, so its memory and file
descriptors cannot be reached through /proc or ptrace by the trainee's processes). It runs
the instructor's cells (locked cells, test cells, restored from the gradebook by nbgrader)
with IPython, so a test cell's outputs, errors and final value are what ipykernel would
give. The trainee's values come in as data (:mod:`transfer`); a name the test reads that
holds a trainee's function or object becomes a :class:`transfer.Remote`, whose calls the
executor runs in the trainee's kernel.

Names bound by instructor code here are never replaced by trainee values, and nor are
builtins; the notebook's folder is not on ``sys.path`` (a trainee could write a module
there that an instructor's import would pick up).

Messages (each a ``send_bytes``): the executor sends ``{"op": "bind"}`` + data, or
``{"op": "run", "source": ...}``, or ``{"op": "result"}`` + data (the answer to a call);
the runner answers ``{"op": "done", "outputs": [...], "error": bool}`` or, while a cell
runs, ``{"op": "call"}`` + the request as data.
"""

from __future__ import annotations

import builtins
import json
import os
import signal
import sys
from multiprocessing.connection import Connection
from typing import Any

from . import transfer

_MISSING = object()
OWNED_BY_SHELL = {"In", "Out", "get_ipython", "exit", "quit", "open"}


class Outputs:
    """The nbformat outputs of the cell being run."""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []

    def stream(self, name: str, text: str) -> None:
        last = self.items[-1] if self.items else None
        if last and last["output_type"] == "stream" and last["name"] == name:
            last["text"] += text
        else:
            self.items.append({"output_type": "stream", "name": name, "text": text})


class Stream:
    """sys.stdout / sys.stderr of the runner while a cell runs."""

    def __init__(self, outputs: Outputs, name: str):
        self.outputs, self.name = outputs, name

    def write(self, text: str) -> int:
        if text:
            self.outputs.stream(self.name, str(text))
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


def make_shell(outputs: Outputs):  # noqa: ANN201 - an IPython InteractiveShell
    """An IPython shell whose displays, results and tracebacks become nbformat outputs."""
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    class ResultHook(DisplayHook):
        def write_output_prompt(self) -> None:
            pass

        def write_format_data(self, format_dict, md_dict=None) -> None:  # noqa: ANN001
            outputs.items.append(
                {
                    "output_type": "execute_result",
                    "data": format_dict,
                    "metadata": md_dict or {},
                    "execution_count": self.prompt_count,
                }
            )

    class Publisher(DisplayPublisher):
        def publish(self, data, metadata=None, *args, **kwargs) -> None:  # noqa: ANN001
            outputs.items.append(
                {"output_type": "display_data", "data": data, "metadata": metadata or {}}
            )

        def clear_output(self, wait: bool = False) -> None:
            outputs.items.clear()

    class GradingShell(InteractiveShell):
        def _showtraceback(self, etype, evalue, stb) -> None:  # noqa: ANN001
            outputs.items.append(
                {
                    "output_type": "error",
                    "ename": etype.__name__,
                    "evalue": str(evalue),
                    "traceback": list(stb),
                }
            )

        def init_history(self) -> None:  # nothing on disk: the home is the trainee's
            from IPython.core.history import HistoryManager

            self.history_manager = HistoryManager(shell=self, parent=self, enabled=False)

    config = Config()
    config.InteractiveShell.colors = "linux"
    config.InteractiveShell.xmode = "Context"
    return GradingShell.instance(
        config=config, displayhook_class=ResultHook, display_pub_class=Publisher
    )


class CleanInterpreter:
    def __init__(self, conn: Connection):
        self.conn = conn
        self.outputs = Outputs()
        self.shell = make_shell(self.outputs)
        self.namespace = self.shell.user_ns
        self.from_trainee: dict[str, Any] = {}  # name -> the value sent, while unchanged
        self.running = False

    def owned(self, name: str) -> bool:
        """Bound by instructor code (or the shell): never replaced by a trainee's value."""
        if name in OWNED_BY_SHELL or name.startswith("_") or hasattr(builtins, name):
            return True
        return name in self.namespace and self.from_trainee.get(name) is not self.namespace[name]

    def test_changes(self) -> dict[str, Any]:
        """The trainee's names this test deleted, or bound to another of the trainee's
        objects: the trainee's code called now sees them so (``transfer.serve``)."""
        hide, alias = [], {}
        for name, sent in self.from_trainee.items():
            now = self.namespace.get(name, _MISSING)
            if now is sent:
                continue
            if now is _MISSING:
                hide.append(name)
            elif type(now) is transfer.Remote or isinstance(now, transfer.Remote):
                alias[name] = object.__getattribute__(now, "_ref")
        return {"hide": hide, "alias": alias}

    def bind(self, data: bytes) -> None:
        try:
            tree, blobs = transfer.loads(data)
            names = tree if isinstance(tree, dict) else {}
        except (transfer.NotData, ValueError) as error:
            names, blobs = {}, []
            reason = f"the trainee's values could not be read ({error})"
            self.shell.user_ns["_ungp_bind_error"] = reason
        unpacker = transfer.Unpacker(blobs, self._remote)
        for name, node in names.items():
            if not isinstance(name, str) or not name.isidentifier() or self.owned(name):
                continue
            try:
                value = unpacker.unpack(node)
            except (transfer.NotData, ValueError, TypeError, OSError) as error:
                value = transfer.Refused(name, str(error))
            except Exception as error:  # noqa: BLE001 - numpy/arrow on malformed data
                value = transfer.Refused(name, f"unreadable ({type(error).__name__})")
            self.namespace[name] = value
            self.from_trainee[name] = value

    def _remote(self, node: dict[str, Any]) -> transfer.Remote:
        return transfer.Remote(
            int(node.get("id", -1)), str(node.get("type", "object")), self.call, library_class(node)
        )

    def call(self, request: dict[str, Any]) -> Any:
        """Run an operation on a trainee's value in the trainee's kernel; data comes back."""
        request = {**request, **self.test_changes()}
        try:
            packer = transfer.Packer()
            data = packer.dumps(packer.pack(request))
        except transfer.NotData as error:
            raise transfer.ValueNotTransferable(
                f"an argument cannot be given to the trainee's code: {error}"
            ) from None
        self.conn.send_bytes(json.dumps({"op": "call"}).encode())
        self.conn.send_bytes(data)
        header = json.loads(self.conn.recv_bytes())
        answer = self.conn.recv_bytes()
        if header.get("error"):
            raise TraineeCodeError(header["error"])
        tree, blobs = transfer.loads(answer)
        if not isinstance(tree, dict):
            raise TraineeCodeError("the trainee's kernel gave no answer")
        if "error" in tree:
            ename, evalue, base = (list(tree["error"]) + ["", "", ""])[:3]
            raise trainee_error(str(ename), str(evalue), str(base))
        return transfer.Unpacker(blobs, self._remote).unpack(tree.get("ok"))

    def run(self, source: str) -> dict[str, Any]:
        self.outputs.items.clear()
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = Stream(self.outputs, "stdout"), Stream(self.outputs, "stderr")
        self.running = True
        try:
            result = self.shell.run_cell(source, store_history=True)
        finally:
            self.running = False
            sys.stdout, sys.stderr = saved
        error = not result.success or any(o["output_type"] == "error" for o in self.outputs.items)
        return {
            "op": "done",
            "outputs": list(self.outputs.items),
            "error": error,
            "execution_count": result.execution_count,
        }

    def serve(self) -> None:
        self.conn.send_bytes(b'{"op": "ready"}')
        while True:
            try:
                message = json.loads(self.conn.recv_bytes())
            except (EOFError, OSError):
                return
            if message.get("op") == "bind":
                self.bind(self.conn.recv_bytes())
            elif message.get("op") == "run":
                reply = self.run(str(message.get("source", "")))
                self.conn.send_bytes(json.dumps(reply, default=str).encode())


def library_class(node: dict[str, Any]) -> type | None:
    """The class a reference names, if an installed library defines it (else None)."""
    try:
        found: Any = transfer.installed_module(str(node.get("module", "")))
        for part in str(node.get("qualname", "")).split("."):
            found = getattr(found, part)
    except Exception:  # noqa: BLE001 - not a library's class: the proxy stays a Remote
        return None
    return found if isinstance(found, type) and found.__module__ != "builtins" else None


class TraineeCodeError(Exception):
    """The trainee's function (or object), called by a test, raised this or gave no data."""


def trainee_error(name: str, message: str, base: str) -> Exception:
    """The exception a test sees for one the trainee's code raised: of the builtin class it
    derives from (``except ValueError`` in a test works as with stock nbgrader), and also a
    :class:`TraineeCodeError`. Only classes of ``Exception`` (never ``SystemExit`` or
    ``KeyboardInterrupt``, which would stop the test interpreter's own machinery)."""
    builtin = getattr(builtins, base, None)
    text = f"{name}: {message}"
    if not (isinstance(builtin, type) and issubclass(builtin, Exception)):
        return TraineeCodeError(text)
    try:
        cls = type(f"Trainee{builtin.__name__}", (builtin, TraineeCodeError), {})
        return cls(text)
    except TypeError:  # a layout conflict (e.g. OSError's): the builtin alone
        return builtin(text)


def start(cwd: str) -> tuple[int, Connection]:
    """Fork the runner; returns (pid, the executor's end). Call before any event loop."""
    import socket

    ours, theirs = socket.socketpair()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        theirs.close()
        return pid, Connection(ours.detach())
    try:
        ours.close()
        from .forked_kernel import not_dumpable

        not_dumpable()
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        fd = theirs.detach()
        os.closerange(3, fd)
        os.closerange(fd + 1, 65536)
        os.chdir(cwd)
        sys.path[:] = [p for p in sys.path if p and not _writable_place(p, cwd)]
        runner = CleanInterpreter(Connection(fd))
        signal.signal(signal.SIGINT, runner_interrupt(runner))
        runner.serve()
    finally:
        os._exit(0)


def _writable_place(path: str, cwd: str) -> bool:
    """True for the places where a submission can write a module: the notebook's folder,
    the home (the executor's own working folder, first on its sys.path), /tmp."""
    path = os.path.realpath(path)
    places = (cwd, os.path.expanduser("~"), "/tmp", "/var/tmp", "/dev/shm")
    return any(
        path == p or path.startswith(p.rstrip("/") + "/") for p in map(os.path.realpath, places)
    )


def runner_interrupt(runner: CleanInterpreter):  # noqa: ANN201 - a signal handler
    """SIGINT stops a running cell (the executor's time limit), and nothing else."""

    def handler(signum: int, frame: Any) -> None:
        if runner.running:
            raise KeyboardInterrupt

    return handler
