"""nbgrader's own example course (`nbgrader quickstart`) scores the same through the sandboxed
grader as through stock `nbgrader autograde`: its reference solution and its released
notebooks, both problems (one autograded, one for manual grading)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ungp_hub.grader.limits import SandboxLimits
from ungp_hub.grader.run import Assignment, GradingRun
from ungp_hub.testing.course import TestCourse

pytestmark = pytest.mark.integration
NOTEBOOKS = ("problem1.ipynb", "problem2.ipynb")


def test_nbgraders_quickstart_course_scores_as_with_stock_nbgrader(
    tmp_path, user_image, docker_client
):
    nbgrader = Path(sys.executable).parent / "nbgrader"
    subprocess.run(
        [str(nbgrader), "quickstart", "course101"], cwd=tmp_path, check=True, capture_output=True
    )
    quickstart = tmp_path / "course101" / "source" / "ps1"
    files = {p.name: p.read_bytes() for p in quickstart.iterdir() if p.name != NOTEBOOKS[0]}
    source = (quickstart / NOTEBOOKS[0]).read_text()
    course = TestCourse.make(
        tmp_path / "state", "course101", "ps1", source, notebook="problem1", files=files
    )
    for student, origin in (("reference", "source"), ("released", "release")):
        target = course.folder / "submitted" / student / "ps1"
        target.mkdir(parents=True)
        for name in NOTEBOOKS:
            shutil.copy(course.folder / origin / "ps1" / name, target / name)
        (target / "timestamp.txt").write_text("2026-01-10 10:00:00.000000 UTC")
    stock = TestCourse(tmp_path / "stock" / "course101", course.name, "ps1", "problem1")
    shutil.copytree(course.folder, stock.folder)

    limits = SandboxLimits(image=user_image)
    work = Assignment(course.folder, course.name, "ps1", course.db_url)
    summary = GradingRun(work, limits, 2, docker_client).grade()
    assert {r.student: r.status for r in summary.results} == {
        "reference": "graded",
        "released": "graded",
    }
    done = stock.nbgrader("autograde", "ps1")
    assert done.returncode == 0, done.stderr[-2000:]

    ours = course.scores()
    assert ours == stock.scores()
    assert sum(s or 0 for s in ours["reference"].values()) >= 3  # problem1's tests, full marks
    assert sum(s or 0 for s in ours["released"].values()) == 0
