"""The program a sandbox container runs: a warm kernel that executes exactly one notebook.

Started as ``python -m ungp_hub.grader.executor`` (the container's command), it makes itself
non-dumpable (so the submission, running as the same user, cannot read its memory), starts a
kernel whose stdout/stderr go nowhere, imports the warm modules into it and snapshots it
(``kernel_guard``), then prints ``READY`` and waits. The host then writes ONE job line on
stdin: the prepared notebook, the submission's files and a random frame key. The executor
unpacks the files, runs the cells (the guard before each test cell, a per-cell and a
per-notebook time limit, an output limit), stops the kernel and prints the executed notebook
between two copies of the key. The key is known only to the host and this process, so
anything else the submission prints to the container's output cannot pass for the result.

Only the standard library, nbclient, nbformat and jupyter_client: it runs in the course image.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import io
import json
import secrets
import subprocess
import sys
import tarfile
import time
from pathlib import Path
from typing import Any

READY = "UNGP-EXECUTOR-READY"
TIMEOUT_ERROR = {
    "ename": "CellTimeoutError",
    "evalue": "",
    "traceback": ["\x1b[0;31mCellTimeoutError\x1b[0m: No reply from kernel before timeout"],
}


def _not_dumpable() -> None:
    try:
        import ctypes

        ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE = 4
    except Exception:  # noqa: BLE001 - not on Linux
        pass


def _make_client(kernel: str, cell_timeout: int, output_limit: int):
    import nbformat
    from nbclient import NotebookClient

    class LimitedClient(NotebookClient):
        """nbclient, but a cell that prints more than the limit is interrupted."""

        def output(self, outs, msg, display_id, cell_index):
            size = len(json.dumps(msg.get("content", {})))
            used = self.bytes_by_cell.get(cell_index, 0) + size
            self.bytes_by_cell[cell_index] = used
            if used <= output_limit:
                return super().output(outs, msg, display_id, cell_index)
            if cell_index not in self.over_limit:
                self.over_limit.add(cell_index)
                asyncio.get_running_loop().create_task(self.km.interrupt_kernel())
            return None

    spec = {"name": kernel, "display_name": kernel}
    placeholder = nbformat.v4.new_notebook(metadata={"kernelspec": spec})
    client = LimitedClient(
        placeholder,
        timeout=cell_timeout,
        kernel_name=kernel,
        allow_errors=True,
        interrupt_on_timeout=True,
        error_on_timeout=TIMEOUT_ERROR,
        record_timing=False,
    )
    client.bytes_by_cell = {}
    client.over_limit = set()
    return client


class Executor:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.client = _make_client(args.kernel, args.cell_timeout, int(args.output_limit))
        self.guard_name = "_" + secrets.token_hex(8)
        self.notes: dict[int, str] = {}
        self.status = "ok"

    async def warm_up(self) -> None:
        client = self.client
        client.km = client.create_kernel_manager()
        Path(self.args.cwd).mkdir(parents=True, exist_ok=True)
        await client.async_start_new_kernel(
            cwd=self.args.cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        await client.async_start_new_kernel_client()
        self._kernel_dies_first()
        source = (Path(__file__).parent / "kernel_guard.py").read_text()
        modules = [m for m in self.args.modules.split(",") if m]
        boot = (
            "def _ungp_boot():\n"
            "    namespace = {'get_ipython': get_ipython, '__name__': 'ungp_guard'}\n"
            f"    exec(compile({source!r}, '<guard>', 'exec'), namespace)\n"
            f"    namespace['install']({modules!r}, {self.guard_name!r})\n"
            "_ungp_boot()\n"
            "del _ungp_boot\n"
        )
        reply = await self._run_silent(boot, timeout=120)
        if reply.get("status") != "ok":
            raise RuntimeError(f"the kernel guard did not install: {reply.get('evalue')}")

    def _kernel_dies_first(self) -> None:
        """Under memory pressure the kernel, not the executor, is the one killed."""
        process = getattr(getattr(self.client.km, "provisioner", None), "process", None)
        if process is not None:
            try:
                Path(f"/proc/{process.pid}/oom_score_adj").write_text("1000")
            except OSError:
                pass

    async def _run_silent(self, code: str, timeout: float) -> dict[str, Any]:
        kc = self.client.kc
        msg_id = kc.execute(code, silent=True, store_history=False)
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return {"status": "timeout", "evalue": "no reply"}
            try:
                msg = await kc.get_shell_msg(timeout=remaining)
            except Exception:  # noqa: BLE001 - queue.Empty on timeout
                return {"status": "timeout", "evalue": "no reply"}
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg["content"]

    async def run(self, job: dict[str, Any]) -> dict[str, Any]:
        import nbformat

        nb = nbformat.from_dict(job["notebook"])
        _unpack(job.get("files", ""), Path(self.args.cwd))
        guard_cells = set(job.get("guard_cells", []))
        client = self.client
        client.nb = nb
        client.on_cell_executed = self._record_reply_error
        deadline = time.monotonic() + self.args.notebook_timeout
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            remaining = deadline - time.monotonic()
            if remaining <= 1 or self.status != "ok":
                if self.status == "ok":
                    self.status = "timed_out"
                self.notes[index] = self._not_run_reason()
                continue
            if index in guard_cells:
                reply = await self._run_silent(
                    f"__import__('sys').modules[{self.guard_name!r}].guard()",
                    timeout=min(30, remaining),
                )
                if reply.get("status") != "ok":
                    self.notes[index] = "the grading guard could not run before this test cell"
            client.timeout = max(1, int(min(self.args.cell_timeout, remaining)))
            try:
                await client.async_execute_cell(cell, index)
            except Exception as error:  # noqa: BLE001 - DeadKernelError and kin
                self.status = "kernel_died"
                self.notes[index] = f"the kernel died during this cell ({type(error).__name__})"
            if index in client.over_limit:
                limit_mb = self.args.output_limit / 1e6
                self.notes[index] = f"output limit of {limit_mb:g} MB exceeded; cell interrupted"
        try:
            await client.km.shutdown_kernel(now=True)
        except Exception:  # noqa: BLE001 - already dead
            pass
        return {"notebook": nb, "status": self.status, "notes": self.notes}

    def _not_run_reason(self) -> str:
        if self.status == "kernel_died":
            return "not run: the kernel died earlier (memory limit or crash)"
        return f"not run: the notebook time limit ({self.args.notebook_timeout} s) was reached"

    @staticmethod
    def _record_reply_error(cell=None, cell_index=None, execute_reply=None, **_: Any) -> None:
        """As nbgrader's Execute: an error reply with no error output still shows an error."""
        content = (execute_reply or {}).get("content", {})
        if content.get("status") != "error":
            return
        if any(o.get("output_type") == "error" and o.get("ename") == content.get("ename")
               for o in cell.outputs):  # fmt: skip
            return
        from nbformat import NotebookNode

        cell.outputs.append(
            NotebookNode(
                output_type="error",
                ename=content.get("ename", "Error"),
                evalue=content.get("evalue", ""),
                traceback=content.get("traceback")
                or ["ERROR: An error occurred while showtraceback was disabled"],
            )
        )


def _unpack(files_b64: str, cwd: Path) -> None:
    cwd.mkdir(parents=True, exist_ok=True)
    if not files_b64:
        return
    with tarfile.open(fileobj=io.BytesIO(base64.b64decode(files_b64))) as archive:
        archive.extractall(cwd, filter="data")


def frame(key: str, payload: dict[str, Any]) -> bytes:
    return f"\n{key}\n{json.dumps(payload)}\n{key}\n".encode()


async def _main(args: argparse.Namespace) -> None:
    executor = Executor(args)
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


def main(argv: list[str] | None = None) -> None:
    _not_dumpable()
    asyncio.run(_main(parse_args(argv)))


if __name__ == "__main__":
    main()
