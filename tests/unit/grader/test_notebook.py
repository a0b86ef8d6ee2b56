"""run_notebook's host side with a fake sandbox: a copy comes back, fail-closed test cells,
and a sandbox that cannot start raises instead of scoring zero."""

from __future__ import annotations

import copy
import re
import subprocess
import sys

import docker.errors
import nbformat
import pytest
from ungp_hub.grader import notebook as notebook_module
from ungp_hub.grader import run_notebook
from ungp_hub.grader.limits import SandboxLimits
from ungp_hub.grader.sandbox import SandboxFailed, SandboxResult

TOKEN = re.compile(r"print\('(UNGP-SENTINEL-[0-9a-f]+)\\n'")
LIMITS = SandboxLimits(image="x", warm_modules=("numpy", "pandas"))


class FakeSandbox:
    """Runs nothing: each test cell 'prints' its token unless its source says SKIP."""

    seen: dict = {}
    fail_start = False

    def __init__(self, client, limits, workdir, labels):
        FakeSandbox.seen = {"limits": limits, "labels": labels}

    def start(self):
        if FakeSandbox.fail_start:
            raise docker.errors.ImageNotFound("no such image")
        return self

    def wait_ready(self, timeout):
        pass

    def run(self, notebook, files, guard_cells, limit, instructor_cells=()):
        nb = copy.deepcopy(notebook)
        FakeSandbox.seen["guard_cells"] = guard_cells
        for index in guard_cells:
            cell = nb["cells"][index]
            if "SKIP" not in cell["source"]:
                token = TOKEN.search(cell["source"]).group(1)
                cell["outputs"] = [
                    {"output_type": "stream", "name": "stdout", "text": token + "\n"}
                ]
        return SandboxResult("ok", nb, {}, 0.01)

    def destroy(self):
        FakeSandbox.seen["destroyed"] = True


def exam() -> nbformat.NotebookNode:
    meta = {"grade": True, "solution": False, "locked": True, "points": 1, "schema_version": 3}
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("import numpy as np", metadata={"nbgrader": {"locked": True}}),
        nbformat.v4.new_code_cell("assert True", metadata={"nbgrader": {**meta, "grade_id": "a"}}),
        nbformat.v4.new_code_cell("# SKIP", metadata={"nbgrader": {**meta, "grade_id": "b"}}),
    ]
    return nb


def test_fail_closed_copy(monkeypatch):
    monkeypatch.setattr(notebook_module, "Sandbox", FakeSandbox)
    FakeSandbox.fail_start = False
    nb = exam()
    before = nbformat.writes(nb)
    executed = run_notebook(nb, timeout=7, limits=LIMITS, client=object())
    assert nbformat.writes(nb) == before
    assert FakeSandbox.seen["guard_cells"] == [1, 2] and FakeSandbox.seen["destroyed"]
    assert FakeSandbox.seen["limits"].cell_timeout == 7
    assert FakeSandbox.seen["limits"].warm_modules == ("numpy",)
    assert executed.cells[1].outputs == [] and executed.cells[1].source == "assert True"
    (error,) = executed.cells[2].outputs
    assert error.ename == "GradingError" and "did not run to its last line" in error.evalue


def test_a_sandbox_that_cannot_start_raises(monkeypatch):
    monkeypatch.setattr(notebook_module, "Sandbox", FakeSandbox)
    FakeSandbox.fail_start = True
    with pytest.raises(SandboxFailed, match="did not start"):
        run_notebook(exam(), limits=LIMITS, client=object())
    assert FakeSandbox.seen["destroyed"]


def test_the_package_imports_nothing_heavy():
    code = (
        "import sys, ungp_hub.grader; print(sorted(m for m in ('nbgrader', 'docker', "
        "'nbformat') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
