"""The demo's steps: reported and timed, a failing step does not stop the others."""

from __future__ import annotations

import json

import nbformat
from testpolicy import REPO_ROOT
from ungp_hub.demo import DEMO_MODULE_ASSIGNMENT, DemoReport, _solved


def test_a_failing_step_is_reported_with_its_log_and_the_next_runs(tmp_path):
    report = DemoReport(log=tmp_path / "logs" / "demo.log")

    def broken() -> str:
        raise ValueError("no catalogue")

    report.run("data", broken)
    report.run("course", lambda: "course 'demo'")
    (data, course) = report.steps
    assert data[0] == "data" and data[2].startswith("FAILED: no catalogue")
    assert str(tmp_path / "logs" / "demo.log") in data[2]
    assert "ValueError: no catalogue" in (tmp_path / "logs" / "demo.log").read_text()
    assert course[2] == "course 'demo'"
    assert [line.split()[0] for line in report.lines()] == ["data", "course"]


def test_the_solved_notebook_holds_the_method_without_nbgrader_markers():
    assignment, notebook = DEMO_MODULE_ASSIGNMENT
    path = REPO_ROOT / "courses" / "m0-foundations" / "source" / assignment / notebook
    source = json.loads(path.read_text())
    solved = nbformat.reads(_solved(source).decode(), as_version=4)
    solutions = [c for c in solved.cells if c.metadata.get("nbgrader", {}).get("solution")]
    assert solutions, "the module's notebook has solution cells"
    code = [c for c in solutions if c.cell_type == "code"]
    assert code and all("### BEGIN SOLUTION" not in c.source for c in code)
    assert all("raise NotImplementedError" not in c.source for c in code)
    nbformat.validate(solved)
