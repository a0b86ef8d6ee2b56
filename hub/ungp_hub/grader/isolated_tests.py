"""The executor's side of the clean interpreter: which names a test needs, and the exchange.

For each test cell the executor (1) finds the names the cell reads that it does not bind
itself (:func:`needed_names`), (2) has the trainee's kernel write those values to a file as
data (:func:`transfer.export`), (3) hands that file's bytes, untouched, to the clean
interpreter, then the cell's source, and (4) while the cell runs, carries each operation on a
trainee's function or object to the trainee's kernel and its answer (data again) back. The
cell's source, hidden tests included, never enters the trainee's kernel; a call of a
trainee's function sees only its arguments. The trainee's outputs during such a call are
dropped (they cannot print "passed" into a test's output). For R (``clean_r``) the clean
process itself says which names a cell reads (op "need"), and the trainee's kernel runs R.

Standard library only (and ``transfer``): it runs in the course image.
"""

from __future__ import annotations

import ast
import asyncio
import builtins
import json
import os
import secrets
import signal
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from . import transfer

if TYPE_CHECKING:
    from .executor import Executor

MAX_TRANSFER = 200 << 20  # bytes of trainee values for one test cell or one call
TIMEOUT_ERROR = {
    "output_type": "error",
    "ename": "CellTimeoutError",
    "evalue": "",
    "traceback": ["\x1b[0;31mCellTimeoutError\x1b[0m: No reply from kernel before timeout"],
}
EXPORT = "__import__('ungp_hub.grader.transfer', fromlist=['export']).export"
SERVE = "__import__('ungp_hub.grader.transfer', fromlist=['serve']).serve"


def python_source(source: str) -> str:
    """The cell as Python (IPython's magics and shell escapes turned into calls)."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        return TransformerManager().transform_cell(source)
    except Exception:  # noqa: BLE001 - no IPython, or a cell it cannot transform
        return source


class _Bindings(ast.NodeVisitor):
    """Names a statement binds in the cell's (module) scope, not in nested scopes."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Store | ast.Del):
            self.names.add(node.id)

    def visit_Import(self, node: ast.Import | ast.ImportFrom) -> None:
        for alias in node.names:
            self.names.add(alias.asname or alias.name.split(".")[0])

    visit_ImportFrom = visit_Import

    def _scope(self, node: ast.AST) -> None:
        if name := getattr(node, "name", None):
            self.names.add(name)  # def/class bind their name; their bodies are their own

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = visit_Lambda = _scope
    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _scope


def needed_names(source: str) -> list[str]:
    """Names the cell reads before binding them itself (builtins excluded): what it may need
    from the trainee's work. More than needed does no harm (a name the interpreter already
    holds from instructor code is never replaced); fewer would fail an honest test."""
    try:
        tree = ast.parse(python_source(source))
    except SyntaxError:
        return []
    needed: set[str] = set()
    bound: set[str] = set()
    for code in _magic_code(tree):  # %time, %%timeit...: their argument is code too
        needed |= set(needed_names(code))
    for statement in tree.body:
        reads = {
            n.id
            for n in ast.walk(statement)
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
        }
        reads |= {
            n.target.id
            for n in ast.walk(statement)
            if isinstance(n, ast.AugAssign) and isinstance(n.target, ast.Name)
        }
        needed |= reads - bound
        visitor = _Bindings()
        visitor.visit(statement)
        bound |= visitor.names
    return sorted(n for n in needed if not hasattr(builtins, n))


def _magic_code(tree: ast.AST) -> list[str]:
    """The string arguments of the calls IPython makes of line and cell magics."""
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("run_line_magic", "run_cell_magic")
        ):
            found += [
                a.value
                for a in node.args[1:]
                if isinstance(a, ast.Constant) and isinstance(a.value, str)
            ]
    return found


@dataclass
class TestRun:
    outputs: list[dict[str, Any]] = field(default_factory=list)
    execution_count: int | None = None
    note: str | None = None
    timed_out: bool = False


class IsolatedTests:
    """The clean interpreter, seen from the executor (started by :meth:`start`)."""

    def __init__(self, pid: int, conn: Connection, output_limit: int):
        self.pid = pid
        self.conn = conn
        self.output_limit = output_limit
        self.dead: str | None = None
        self.cpu = 0.0  # CPU-s of the clean interpreter, known once it is stopped
        self.folder = f"/tmp/ungp-values-{secrets.token_hex(8)}"
        os.makedirs(self.folder, mode=0o700, exist_ok=True)

    @classmethod
    def start(cls, cwd: str, output_limit: int) -> IsolatedTests:
        from .clean_interpreter import start

        pid, conn = start(cwd)
        return cls(pid, conn, output_limit)

    async def wait_ready(self, timeout: float) -> None:
        message = await self._receive(time.monotonic() + timeout)
        if message is None or message.get("op") != "ready":
            raise RuntimeError("the clean test interpreter did not start")

    async def _receive(self, deadline: float) -> dict[str, Any] | None:
        """The next message, None at the deadline; EOFError if the interpreter is gone."""
        remaining = max(0.0, deadline - time.monotonic())
        if not await asyncio.to_thread(self.conn.poll, remaining):
            return None
        return json.loads(self.conn.recv_bytes())

    def _send(self, header: dict[str, Any], data: bytes | None = None) -> None:
        self.conn.send_bytes(json.dumps(header).encode())
        if data is not None:
            self.conn.send_bytes(data)

    async def run(self, cell: dict[str, Any], executor: Executor, timeout: float) -> TestRun:
        """Run one instructor cell (a test, or a locked cell) in the clean interpreter."""
        if self.dead:
            return TestRun(note=self.dead)
        deadline = time.monotonic() + timeout
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        try:
            names = needed_names(source)
            data = await self._export(names, executor, timeout) if names else None
            if data is not None:
                self._send({"op": "bind"}, data)
            self._send({"op": "run", "source": source})
            return await self._finish(executor, deadline)
        except (EOFError, OSError, ValueError):
            self.dead = "not run: the clean test interpreter stopped (killed by the submission?)"
            return TestRun(note=self.dead)

    async def _finish(self, executor: Executor, deadline: float) -> TestRun:
        interrupted = False
        while True:
            message = await self._receive(deadline)
            if message is None:
                if interrupted:
                    self.stop()
                    self.dead = "not run: a test cell before this one did not stop at its limit"
                    return TestRun([dict(TIMEOUT_ERROR)], timed_out=True, note=None)
                os.kill(self.pid, signal.SIGINT)
                interrupted = True
                deadline = time.monotonic() + 10
                continue
            if message.get("op") == "call":
                request = self.conn.recv_bytes()
                await self._serve(request, executor, deadline)
                continue
            if message.get("op") == "need":  # R: the clean process says what the cell reads
                names = [str(n) for n in message.get("names", [])]
                remaining = max(0.5, deadline - time.monotonic())
                data = await self._export(names, executor, remaining) if names else b"{}"
                self._send({"op": "bind"}, data)
                continue
            outputs = message.get("outputs", [])
            run = TestRun(outputs, message.get("execution_count"), timed_out=interrupted)
            if interrupted:
                run.outputs.append(dict(TIMEOUT_ERROR))
            if len(json.dumps(outputs)) > self.output_limit:
                run.outputs = [o for o in outputs if o.get("output_type") == "error"][:1]
                run.note = f"output limit of {self.output_limit / 1e6:g} MB exceeded"
            return run

    async def _export(self, names: list[str], executor: Executor, timeout: float) -> bytes:
        path = self._path()
        why = await executor.in_trainee_kernel(self.export_code(names, path), timeout)
        data = None if why else self._read(path)
        if data is None:
            reason = why or "the trainee's kernel did not send its values"
            reason = f"not sent from the trainee's kernel: {reason}"
            return self.refusal(names, reason)
        return data

    def export_code(self, names: list[str], path: str) -> str:
        """Code for the trainee's kernel that writes these names' values to ``path``."""
        return f"{EXPORT}(get_ipython().user_ns, {names!r}, {path!r})"

    def serve_code(self, request_path: str, path: str) -> str:
        """Code for the trainee's kernel that answers the request in ``request_path``."""
        return f"{SERVE}(get_ipython().user_ns, {request_path!r}, {path!r})"

    def refusal(self, names: list[str], reason: str) -> bytes:
        """Values that say why they could not be sent (the test then fails with it)."""
        return transfer.Packer().dumps({n: transfer.refused(reason) for n in names})

    async def _serve(self, request: bytes, executor: Executor, deadline: float) -> None:
        """One operation on a trainee's value, run in the trainee's kernel."""
        request_path, path = self._path(), self._path()
        with open(request_path, "wb") as handle:
            handle.write(request)
        code = self.serve_code(request_path, path)
        why = await executor.in_trainee_kernel(code, max(0.5, deadline - time.monotonic()))
        data = None if why else self._read(path)
        _remove(request_path)
        if data is None:
            self._send({"op": "result", "error": why or "the trainee's kernel gave no answer"}, b"")
        else:
            self._send({"op": "result"}, data)

    def _path(self) -> str:
        return f"{self.folder}/{secrets.token_hex(8)}"

    def _read(self, path: str) -> bytes | None:
        """The file the trainee's kernel wrote (untrusted: no links, bounded size)."""
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            return None
        try:
            if os.fstat(fd).st_size > MAX_TRANSFER:
                return None
            with os.fdopen(fd, "rb", closefd=False) as handle:
                return handle.read(MAX_TRANSFER + 1)[:MAX_TRANSFER]
        finally:
            os.close(fd)
            _remove(path)

    def stop(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            _, _, usage = os.wait4(self.pid, 0)
            self.cpu = usage.ru_utime + usage.ru_stime
        except ChildProcessError:
            pass


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
