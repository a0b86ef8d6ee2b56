"""``ungp_hub.grader.run_notebook``: one exam notebook in a fresh sandbox of the user image."""

from __future__ import annotations

import nbformat
import pytest
from ungp_hub.engine import docker_client_or_none
from ungp_hub.grader import run_notebook
from ungp_hub.grader.limits import SandboxLimits
from ungp_hub.grader.sandbox import LABEL

pytestmark = pytest.mark.integration

NETWORK = """import socket
try:
    socket.create_connection(("1.1.1.1", 53), timeout=3)
    print("network open")
except OSError as error:
    print("network blocked", type(error).__name__)"""


def _test_cell(source: str, grade_id: str) -> nbformat.NotebookNode:
    meta = {
        "grade": True,
        "solution": False,
        "locked": True,
        "points": 1,
        "grade_id": grade_id,
        "schema_version": 3,
    }
    return nbformat.v4.new_code_cell(source, metadata={"nbgrader": meta})


def test_runs_cells_keeps_errors_and_has_no_network(user_image):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Exam"),
        nbformat.v4.new_code_cell("answer = 6 * 7\nprint(answer)"),
        nbformat.v4.new_code_cell("1 / 0"),
        nbformat.v4.new_code_cell(NETWORK),
        _test_cell("assert answer == 42\nanswer", "test-ok"),
        _test_cell("import sys\nsys.exit(0)\nassert False", "test-exit"),
    ]
    limits = SandboxLimits(image=user_image, memory="512M", pids=64, notebook_timeout=60)
    client = docker_client_or_none()
    executed = run_notebook(nb, timeout=20, limits=limits, client=client)

    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")  # a copy
    texts = [
        "".join(o.get("text", "") for o in c.outputs if o.output_type == "stream")
        for c in executed.cells[1:]
    ]
    assert texts[0] == "42\n"
    errors = [o for o in executed.cells[2].outputs if o.output_type == "error"]
    assert [e.ename for e in errors] == ["ZeroDivisionError"]
    assert texts[2].startswith("network blocked"), texts[2]
    passed = executed.cells[4]
    assert passed.source == nb.cells[4].source  # the sentinel line is gone again
    assert not [o for o in passed.outputs if o.output_type == "error"]
    assert passed.outputs[-1]["data"]["text/plain"] == "42"
    assert "UNGP-SENTINEL" not in nbformat.writes(executed)
    stopped = [o.ename for o in executed.cells[5].outputs if o.output_type == "error"]
    assert stopped == ["SystemExit"]  # stopped before its checks: an error, so no points
    assert not client.containers.list(all=True, filters={"label": f"{LABEL}.notebook=1"})
