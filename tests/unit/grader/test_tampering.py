"""Each tampering trick against a real local kernel, through the executor and the sentinel.

The same notebook runs twice: without the guard (the control: shows the trick really beats a
plain run of the test cell) and as graded (the guard before each test cell, the token check
after): then every tampered test scores zero, while the honest test cell still passes.
"""

from __future__ import annotations

import json
import secrets
import subprocess
import sys

import nbformat
import pytest
from nbgrader.utils import determine_grade
from ungp_hub.grader.sentinel import instrument, verify

IMPORTS = "import numpy as np\nimport numpy.testing"

TRICKS = {
    # a trick cell (trainee code) and the test cell it tries to beat (the answer is wrong: 41)
    "custom_exc": (
        "get_ipython().set_custom_exc((AssertionError,), lambda *a, **k: None)",
        "assert answer == 42",
    ),
    "excepthook": ("import sys\nsys.excepthook = lambda *a: None", "assert answer == 42"),
    "ast_try_wrap": (
        "import ast\n"
        "class Swallow(ast.NodeTransformer):\n"
        "    def visit_Module(self, node):\n"
        "        node.body = [ast.Try(body=[s], handlers=[ast.ExceptHandler(body=[ast.Pass()])],\n"
        "                             orelse=[], finalbody=[]) for s in node.body]\n"
        "        return ast.fix_missing_locations(node)\n"
        "get_ipython().ast_transformers.append(Swallow())",
        "assert answer == 42",
    ),
    "input_transformer": (
        "def drop_asserts(lines):\n"
        "    return [l for l in lines if not l.lstrip().startswith('assert')]\n"
        "get_ipython().input_transformers_post.append(drop_asserts)",
        "assert answer == 42",
    ),
    "assert_helper": (
        "numpy.testing.assert_allclose = lambda *a, **k: None",
        "np.testing.assert_allclose(answer, 42)",
    ),
    "module_alias": (
        "class _T:\n    assert_allclose = staticmethod(lambda *a, **k: None)\n"
        "class _Np:\n    testing = _T()\nnp = _Np()",
        "np.testing.assert_allclose(answer, 42)",
    ),
    "thread_repatch": (
        "import threading, time\n"
        "def keep_patching():\n"
        "    for _ in range(300):\n"
        "        numpy.testing.assert_allclose = lambda *a, **k: None\n"
        "        time.sleep(0.01)\n"
        "threading.Thread(target=keep_patching, daemon=True).start()",
        "import time\ntime.sleep(0.05)\nnp.testing.assert_allclose(answer, 42)",
    ),
    "forged_token": (
        "import linecache, re, sys\n"
        "def check(v):\n"
        "    cell = ''.join(linecache.getlines(sys._getframe(1).f_code.co_filename))\n"
        "    for token in re.findall('UNGP-SENTINEL-[0-9a-f]+', cell):\n"
        "        print(token)\n"
        "    get_ipython().showtraceback = lambda *a, **k: None\n"
        "    return v",
        "assert check(answer) == 42",
    ),
    "settrace_skip": (
        "import sys\n"
        "def tracer(frame, event, arg):\n"
        "    if event == 'line' and 'assert' in __import__('linecache').getline(\n"
        "            frame.f_code.co_filename, frame.f_lineno):\n"
        "        frame.f_lineno = frame.f_lineno + 1\n"
        "    return tracer\n"
        "def arm():\n"
        "    sys.settrace(tracer)\n"
        "    sys._getframe().f_back.f_trace = tracer\n"
        "get_ipython().events.register('pre_run_cell', lambda *a: arm())",
        "x = 0\nassert answer == 42\ny = 1",
    ),
}


def _cell(source: str, grade_id: str, kind: str) -> nbformat.NotebookNode:
    meta = {"grade_id": grade_id, "schema_version": 3, "grade": kind == "test",
            "solution": kind == "answer", "locked": kind != "answer"}  # fmt: skip
    if kind == "test":
        meta["points"] = 1
    return nbformat.v4.new_code_cell(source, metadata={"nbgrader": meta})


def tricked_notebook() -> nbformat.NotebookNode:
    cells = [_cell(IMPORTS, "imports", "locked"), _cell("answer = 41", "answer", "answer"),
             _cell("assert answer == 41", "honest", "test")]  # fmt: skip
    for name, (trick, test) in TRICKS.items():
        cells.append(_cell(trick, f"trick-{name}", "answer"))
        cells.append(_cell(test, name, "test"))
    spec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": spec})


def start(nb: nbformat.NotebookNode, guard_cells: list[int], tmp_path):
    """The sandbox's executor as a local process (no container: test code only)."""
    key = secrets.token_hex(8)
    command = [sys.executable, "-m", "ungp_hub.grader.executor", "--cwd", str(tmp_path),
               "--cell-timeout", "30", "--modules", "numpy,numpy.testing,math"]  # fmt: skip
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)  # fmt: skip
    job = json.dumps({"key": key, "notebook": nb, "guard_cells": guard_cells}) + "\n"
    process.stdin.write(job.encode())
    process.stdin.flush()
    return process, key


def finish(process, key: str) -> dict:
    out, err = process.communicate(timeout=180)
    marker = f"\n{key}\n"
    assert marker in out.decode(), err.decode()[-3000:]
    return json.loads(out.decode().split(marker)[1])


def graded(nb, record, result) -> dict[str, float]:
    executed = nbformat.from_dict(result["notebook"])
    notes = {int(k): v for k, v in result["notes"].items()}
    verify(executed, record, notes)
    return {
        c.metadata.nbgrader["grade_id"]: determine_grade(c)[0]
        for c in executed.cells
        if c.metadata.nbgrader.get("grade")
    }


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    nb = tricked_notebook()
    record = instrument(nb)
    plain = start(nb, [], tmp_path_factory.mktemp("plain"))
    guarded = start(nb, record.test_cells, tmp_path_factory.mktemp("guarded"))
    return nb, record, finish(*plain), finish(*guarded)


def test_honest_test_cell_still_passes(runs):
    nb, record, _, guarded = runs
    assert graded(nb, record, guarded)["honest"] == 1


@pytest.mark.parametrize("trick", sorted(TRICKS))
def test_trick_scores_zero(runs, trick):
    nb, record, _, guarded = runs
    assert graded(nb, record, guarded)[trick] == 0


@pytest.mark.parametrize(
    "trick",
    [
        "ast_try_wrap",
        "input_transformer",
        "assert_helper",
        "settrace_skip",
        "thread_repatch",
    ],  # fmt: skip
)
def test_without_the_guard_the_trick_works(runs, trick):
    """Control: with no guard the tampered test reaches its last line (a plain nbgrader run
    would give the point), so the zero above is the guard's doing."""
    nb, record, plain, _ = runs
    assert graded(nb, record, plain)[trick] == 1


def test_forged_token_is_printed_yet_scores_zero(runs):
    """The tested function reads the test cell's source (with the token) from linecache,
    prints the token and hides the traceback: the kernel's error reply still fails the cell."""
    nb, record, _, guarded = runs
    index = next(i for i, c in enumerate(nb.cells)
                 if c.metadata.nbgrader["grade_id"] == "forged_token")  # fmt: skip
    cell = guarded["notebook"]["cells"][index]
    printed = "".join(o.get("text", "") for o in cell["outputs"])
    assert record.tokens[index] in printed
    assert graded(nb, record, guarded)["forged_token"] == 0


def test_the_grading_kernel_has_no_debugger(tmp_path):
    """ipykernel loads debugpy whenever it can (a sixth of a sandbox's start-up CPU); the
    grading kernel blocks it, and a submission cannot import it either."""
    probe = "import sys\nprint(sys.modules.get('debugpy', 'not loaded'))\nimport debugpy"
    spec = {"name": "python3", "display_name": "Python 3"}
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(probe)],
                                  metadata={"kernelspec": spec})  # fmt: skip
    outputs = finish(*start(nb, [], tmp_path))["notebook"]["cells"][0]["outputs"]
    assert outputs[0]["text"] == "None\n"  # blocked: a None entry, not a loaded module
    assert outputs[-1]["output_type"] == "error"
    assert outputs[-1]["ename"] == "ModuleNotFoundError"


def test_the_kernel_listens_on_no_port_and_child_output_still_arrives(tmp_path):
    """The run's sandboxes share a loopback: the kernel's channels and the pipe that forwards
    its child processes' output are Unix sockets in its own /tmp, not ports."""
    probe = ("import os, time\npid = os.fork()\nif pid == 0:\n    print('from the child')\n"
             "    os._exit(0)\nos.waitpid(pid, 0)\ntime.sleep(0.5)\n"
             "import psutil\nprint(psutil.Process().net_connections('tcp'))")  # fmt: skip
    spec = {"name": "python3", "display_name": "Python 3"}
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(probe)],
                                  metadata={"kernelspec": spec})  # fmt: skip
    outputs = finish(*start(nb, [], tmp_path))["notebook"]["cells"][0]["outputs"]
    text = "".join(o.get("text", "") for o in outputs)
    assert "from the child" in text, outputs
    assert text.rstrip().endswith("[]"), text  # no TCP socket at all, listening or not
