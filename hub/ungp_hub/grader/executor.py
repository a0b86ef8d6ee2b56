"""The program a sandbox container runs: a warm kernel that executes exactly one notebook.

Started as ``python -m ungp_hub.grader.executor`` (the container's command), it makes itself
non-dumpable (so the submission, running as the same user, cannot read its memory), imports
the warm modules, forks the trainee's kernel (its stdout/stderr go nowhere) and then the clean
interpreter for test cells (``clean_interpreter``, driven through ``isolated_tests``), prints
``READY`` and waits. The host then writes ONE job line on stdin: the prepared notebook, the
submission's files, which cells are tests and locked cells, and a random frame key. The
executor unpacks the files, runs the trainee's cells in the kernel and the instructor's in the
clean interpreter (locked cells in both), with a per-cell and a per-notebook time limit and an
output limit, stops both and prints the executed notebook between two copies of the key.
An R notebook's clean interpreter is R embedded in a fork of this process (``clean_r``).
The key is known only to the host and this process, so anything else the submission prints
to the container's output cannot pass for the result.

Only the standard library and jupyter_client (nbclient and nbformat cost a second of CPU to
import in every sandbox): it runs in the course image.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import io
import json
import subprocess
import sys
import tarfile
import time
from pathlib import Path
from typing import Any

from .clean_r import RIsolatedTests
from .forked_kernel import ForkedKernel, import_warm_modules, not_dumpable
from .isolated_tests import IsolatedTests

READY = "UNGP-EXECUTOR-READY"
FORKABLE = ("python3", "python")  # ipykernel in this very Python: forked (see ForkedKernel)
NO_TRACEBACK = "ERROR: An error occurred while showtraceback was disabled"
TIMEOUT_ERROR = {
    "ename": "CellTimeoutError",
    "evalue": "",
    "traceback": ["\x1b[0;31mCellTimeoutError\x1b[0m: No reply from kernel before timeout"],
}


class CellRun:
    """Outputs of one cell as nbformat dicts, built from the kernel's iopub messages."""

    def __init__(self, output_limit: int):
        self.outputs: list[dict[str, Any]] = []
        self.limit = output_limit
        self.size = 0
        self.over_limit = False
        self.timed_out = False
        self.clear_pending = False
        self.displays: dict[str, list[int]] = {}

    def add(self, msg: dict[str, Any]) -> None:
        if self.over_limit:
            return  # drain what the kernel sent before its interrupt, cheaply
        kind, content = msg["msg_type"], msg["content"]
        if kind == "clear_output":
            if content.get("wait"):
                self.clear_pending = True
            else:
                self.outputs.clear()
                self.displays.clear()
            return
        out = self._output(kind, content)
        if out is None:
            return
        self.size += len(json.dumps(out))
        if self.size > self.limit:
            self.over_limit = True
            return
        if kind == "update_display_data":
            for index in self.displays.get(content.get("transient", {}).get("display_id"), []):
                if index < len(self.outputs):
                    self.outputs[index].update(data=out["data"], metadata=out["metadata"])
            return
        if self.clear_pending:
            self.outputs.clear()
            self.displays.clear()
            self.clear_pending = False
        last = self.outputs[-1] if self.outputs else None
        if (
            kind == "stream"
            and last
            and last["output_type"] == "stream"
            and (last["name"] == out["name"])
        ):
            last["text"] += out["text"]
            return
        display_id = content.get("transient", {}).get("display_id")
        if display_id:
            self.displays.setdefault(display_id, []).append(len(self.outputs))
        self.outputs.append(out)

    @staticmethod
    def _output(kind: str, c: dict[str, Any]) -> dict[str, Any] | None:
        if kind == "stream":
            return {"output_type": "stream", "name": c["name"], "text": c["text"]}
        if kind in ("display_data", "update_display_data"):
            return {
                "output_type": "display_data",
                "data": c["data"],
                "metadata": c.get("metadata", {}),
            }
        if kind == "execute_result":
            return {
                "output_type": "execute_result",
                "data": c["data"],
                "metadata": c.get("metadata", {}),
                "execution_count": c.get("execution_count"),
            }
        if kind == "error":
            return {
                "output_type": "error",
                "ename": c["ename"],
                "evalue": c["evalue"],
                "traceback": c["traceback"],
            }
        return None


class Executor:
    def __init__(
        self,
        args: argparse.Namespace,
        kernel: ForkedKernel | None = None,
        tests: IsolatedTests | None = None,
    ):
        self.args = args
        self.kernel = kernel
        self.tests = tests  # the clean interpreter: test cells run there
        self.km = None
        self.kc = None
        self.notes: dict[int, str] = {}
        self.timed_out: list[int] = []  # cells interrupted at the cell time limit
        self.status = "ok"

    async def warm_up(self) -> None:
        if self.kernel is not None:
            from jupyter_client.asynchronous import AsyncKernelClient

            kernel = self.km = self.kernel

            class ForkedKernelClient(AsyncKernelClient):
                """Alive while the process lives (not judged by heartbeats, which a loaded
                machine delays past jupyter_client's one second)."""

                async def _async_is_alive(self) -> bool:
                    return await kernel.is_alive()

            self.kc = ForkedKernelClient()
            self.kc.load_connection_info(self.kernel.connection_info)
        else:  # another language's kernel: jupyter_client starts it from its kernelspec
            from jupyter_client.manager import AsyncKernelManager

            Path(self.args.cwd).mkdir(parents=True, exist_ok=True)
            self.km = AsyncKernelManager(kernel_name=self.args.kernel)
            await self.km.start_kernel(
                cwd=self.args.cwd,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                extra_arguments=["--HistoryManager.hist_file=:memory:"],
            )
            self.kc = self.km.client()
        self.kc.start_channels(hb=self.kernel is None)  # a forked kernel: its pid tells
        await self.kc.wait_for_ready(timeout=120)
        self._kernel_dies_first()
        if self.tests is None:
            raise RuntimeError(f"no clean interpreter for tests on kernel {self.args.kernel!r}")
        await self.tests.wait_ready(timeout=120)

    def _kernel_dies_first(self) -> None:
        """Under memory pressure the kernel, not the executor, is the one killed."""
        pid = getattr(self.km, "pid", None)
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        pid = pid or getattr(process, "pid", None)
        if pid is not None:
            try:
                Path(f"/proc/{pid}/oom_score_adj").write_text("1000")
            except OSError:
                pass

    async def _reply(self, msg_id: str, deadline: float) -> dict[str, Any]:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return {"status": "timeout", "evalue": "no reply"}
            try:
                msg = await self.kc.get_shell_msg(timeout=remaining)
            except Exception:  # noqa: BLE001 - queue.Empty on timeout
                return {"status": "timeout", "evalue": "no reply"}
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg["content"]

    async def execute_cell(self, cell: dict[str, Any], timeout: float) -> CellRun:
        """Run one cell as nbclient does; a timeout interrupts the kernel and is an error."""
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        run = CellRun(int(self.args.output_limit))
        msg_id = self.kc.execute(source, store_history=True, allow_stdin=False, stop_on_error=False)
        deadline = time.monotonic() + timeout
        interrupted = timed_out = False
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                if timed_out:
                    self.status = "kernel_died"
                    raise RuntimeError("the kernel did not answer after an interrupt")
                await self.km.interrupt_kernel()
                interrupted = timed_out = True
                deadline = time.monotonic() + 10
                continue
            try:
                msg = await self.kc.get_iopub_msg(timeout=min(remaining, 1.0))
            except Exception:  # noqa: BLE001 - queue.Empty: check the kernel lives
                if not await self.km.is_alive():
                    self.status = "kernel_died"
                    raise RuntimeError("the kernel died") from None
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                break
            run.add(msg)
            if run.over_limit and not interrupted:
                await self.km.interrupt_kernel()
                interrupted = True
        reply = await self._reply(msg_id, time.monotonic() + 10)
        cell["execution_count"] = reply.get("execution_count")
        if timed_out:
            run.timed_out = True
            run.outputs.append({"output_type": "error", **TIMEOUT_ERROR})
        elif reply.get("status") == "error" and not any(
            o["output_type"] == "error" and o["ename"] == reply.get("ename") for o in run.outputs
        ):  # as nbgrader's Execute: an error reply with no error output still shows an error
            error = {
                "output_type": "error",
                "ename": reply.get("ename", "Error"),
                "evalue": reply.get("evalue", ""),
                "traceback": reply.get("traceback") or [NO_TRACEBACK],
            }
            run.outputs.append(error)
        return run

    async def run(self, job: dict[str, Any]) -> dict[str, Any]:
        nb = job["notebook"]
        _unpack(job.get("files", ""), Path(self.args.cwd))
        guard_cells = set(job.get("guard_cells", []))
        instructor_cells = set(job.get("instructor_cells", []))
        deadline = time.monotonic() + self.args.notebook_timeout
        for index, cell in enumerate(nb["cells"]):
            if cell.get("cell_type") != "code":
                continue
            cell["outputs"] = []
            remaining = deadline - time.monotonic()
            if remaining <= 1 or self.status != "ok":
                if self.status == "ok":
                    self.status = "timed_out"
                self.notes[index] = self._not_run_reason()
                continue
            timeout = min(self.args.cell_timeout, remaining)
            if index in guard_cells:
                await self._run_test(index, cell, timeout)
                continue
            try:
                run = await self.execute_cell(cell, timeout)
            except RuntimeError as error:
                self.notes[index] = f"{error} during this cell"
                continue
            if self.tests is not None and index in instructor_cells:
                # locked cells run in both: the clean interpreter gets the instructor's names
                await self.tests.run(cell, self, max(1.0, deadline - time.monotonic()))
            cell["outputs"] = run.outputs
            if run.timed_out:
                self.timed_out.append(index)
            if run.over_limit:
                limit_mb = self.args.output_limit / 1e6
                self.notes[index] = f"output limit of {limit_mb:g} MB exceeded; cell interrupted"
        try:
            self.kc.stop_channels()
            await self.km.shutdown_kernel(now=True)
        except Exception:  # noqa: BLE001 - already dead
            pass
        if self.tests is not None:
            self.tests.stop()
        return {
            "notebook": nb,
            "status": self.status,
            "notes": self.notes,
            "timed_out": self.timed_out,
            "cpu": self._cpu(),
        }

    def _cpu(self) -> dict[str, float]:
        """CPU-s by part (for the benchmark): this executor (with its warm-up imports), the
        clean test interpreter, and the trainee's kernel with everything it started."""
        import resource

        def seconds(who: int) -> float:
            usage = resource.getrusage(who)
            return usage.ru_utime + usage.ru_stime

        tests = self.tests.cpu if self.tests is not None else 0.0
        children = seconds(resource.RUSAGE_CHILDREN)
        return {
            "executor": round(seconds(resource.RUSAGE_SELF), 3),
            "tests": round(tests, 3),
            "trainee": round(children - tests, 3),
        }

    async def _run_test(self, index: int, cell: dict[str, Any], timeout: float) -> None:
        """A test cell: in the clean interpreter, with the trainee's values as data."""
        if not await self.km.is_alive():
            self.status = "kernel_died"
            self.notes[index] = self._not_run_reason()
            return
        run = await self.tests.run(cell, self, timeout)
        cell["outputs"] = run.outputs
        cell["execution_count"] = run.execution_count
        if run.note:
            self.notes[index] = run.note
        if run.timed_out:
            self.timed_out.append(index)

    async def in_trainee_kernel(self, code: str, timeout: float) -> str | None:
        """Run the grader's code in the trainee's kernel; None if it ran, else why not.

        Its outputs are dropped; what it writes to a file is read as untrusted data."""
        msg_id = self.kc.execute(code, silent=True, store_history=False)
        deadline = time.monotonic() + timeout
        while (reply := await self._reply(msg_id, min(deadline, time.monotonic() + 1)))[
            "status"
        ] == "timeout" and time.monotonic() < deadline:
            if not await self.km.is_alive():
                self.status = "kernel_died"
                return "the trainee's kernel died"
        if reply.get("status") == "timeout":
            await self.km.interrupt_kernel()
            reply = await self._reply(msg_id, time.monotonic() + 10)
            if reply.get("status") == "timeout":
                self.status = "kernel_died" if not await self.km.is_alive() else self.status
                return "the trainee's kernel did not answer"
            return "the trainee's code did not finish within the cell's time limit"
        if reply.get("status") != "ok":
            return f"{reply.get('ename', 'error')}: {reply.get('evalue', '')}"[:500]
        return None

    def _not_run_reason(self) -> str:
        if self.status == "kernel_died":
            return "not run: the kernel died earlier (memory limit or crash)"
        return f"not run: the notebook time limit ({self.args.notebook_timeout} s) was reached"


def _unpack(files_b64: str, cwd: Path) -> None:
    cwd.mkdir(parents=True, exist_ok=True)
    if not files_b64:
        return
    with tarfile.open(fileobj=io.BytesIO(base64.b64decode(files_b64))) as archive:
        archive.extractall(cwd, filter="data")


def frame(key: str, payload: dict[str, Any]) -> bytes:
    return f"\n{key}\n{json.dumps(payload)}\n{key}\n".encode()


async def _main(
    args: argparse.Namespace, kernel: ForkedKernel | None, tests: IsolatedTests | None
) -> None:
    executor = Executor(args, kernel, tests)
    await executor.warm_up()
    sys.stdout.write(READY + "\n")
    sys.stdout.flush()
    line = await asyncio.to_thread(sys.stdin.buffer.readline)
    job = json.loads(line)
    result = await executor.run(job)
    sys.stdout.buffer.write(frame(job["key"], result))
    sys.stdout.flush()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="ungp-grader-executor")
    parser.add_argument("--cwd", required=True)
    parser.add_argument("--kernel", default="python3")
    parser.add_argument("--cell-timeout", type=int, default=60)
    parser.add_argument("--notebook-timeout", type=int, default=600)
    parser.add_argument("--output-limit", type=float, default=5e6, help="bytes per cell")
    parser.add_argument("--modules", default="")
    return parser.parse_args(argv)


def kernel_language(name: str) -> str:
    """The kernelspec's language, lower case ("r" for IRkernel); "" if unknown."""
    try:
        from jupyter_client.kernelspec import KernelSpecManager

        return KernelSpecManager().get_kernel_spec(name).language.strip().lower()
    except Exception:  # noqa: BLE001 - no such kernel: warm_up says so
        return ""


def main(argv: list[str] | None = None) -> None:
    not_dumpable()
    args = parse_args(argv)
    kernel = tests = None
    if args.kernel in FORKABLE:  # before asyncio: the children must not inherit a running loop
        import_warm_modules([m for m in args.modules.split(",") if m])
        kernel = ForkedKernel.start(args.cwd)
        # after the kernel: it never holds the clean interpreter's socket
        tests = IsolatedTests.start(args.cwd, int(args.output_limit))
    elif kernel_language(args.kernel) == "r":  # before the kernel starts: it never has the pipes
        tests = RIsolatedTests.start(args.cwd, int(args.output_limit))
    asyncio.run(_main(args, kernel, tests))


if __name__ == "__main__":
    main()
