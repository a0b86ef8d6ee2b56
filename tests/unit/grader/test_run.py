"""A grading run without Docker: nbgrader's real converter and gradebook, a fake sandbox.

The fake sandbox "executes" a notebook by printing each test cell's token, as a kernel would
when every test passes, unless the cell contains FAIL. That is enough to check what the host
does: scores into the gradebook, deleted test cells and invalid notebooks, resuming.
"""

from __future__ import annotations

from unittest import mock

import pytest
from fake_sandbox import FakePool, FakeSandbox
from ungp_hub.grader import run as run_module
from ungp_hub.grader.limits import SandboxLimits
from ungp_hub.grader.run import Assignment, GradingRun
from ungp_hub.testing.course import TestCourse
from ungp_hub.testing.nbgrader_assignment import CORRECT, source_notebook


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return TestCourse.make(tmp_path_factory.mktemp("state"), "c1", "ps1", source_notebook())


@pytest.fixture
def grading(course, monkeypatch):
    monkeypatch.setattr(run_module, "WarmPool", FakePool)
    work = Assignment(course.folder, course.name, course.assignment, course.db_url)
    grader = GradingRun(work, SandboxLimits(image="x"), 2, mock.MagicMock())
    grader.remove_leftovers = lambda: 0
    return grader


def test_scores_land_in_the_gradebook_and_autograded(course, grading):
    course.submit("ok", course.answer({"answer": CORRECT}))
    course.submit("nodelete", course.answer({"answer": CORRECT}, drop=("hidden",)))
    course.submit("broken", b'{"cells": [')
    summary = grading.grade(["ok", "nodelete", "broken"], force=True)
    by = {r.student: r for r in summary.results}
    assert (by["ok"].status, by["ok"].score) == ("graded", 2)
    assert (course.folder / "autograded" / "ok" / "ps1" / "answers.ipynb").is_file()
    assert by["nodelete"].score == 1
    assert "deleted" in by["nodelete"].reasons["answers/hidden"]
    assert by["broken"].status == "failed" and by["broken"].score == 0
    assert "not a valid notebook" in by["broken"].reasons["answers"]
    assert course.scores()["nodelete"] == {"visible": 1.0, "hidden": 0.0}


def test_a_second_run_grades_only_what_is_left(course, grading):
    for student in ("r1", "r2", "r3"):
        course.submit(student, course.answer({"answer": CORRECT}))
    grading.grade(["r1", "r2", "r3"], force=True)
    record = course.folder / ".ungp-grader" / "ps1" / "r2.json"
    record.unlink()  # as if the run was killed while r2 was in its sandbox
    kept = (course.folder / ".ungp-grader" / "ps1" / "r1.json").read_text()
    FakeSandbox.runs = 0
    summary = grading.grade(["r1", "r2", "r3"])
    statuses = {r.student: r.status for r in summary.results}
    assert statuses == {"r1": "skipped", "r2": "graded", "r3": "skipped"}
    assert FakeSandbox.runs == 1
    assert (course.folder / ".ungp-grader" / "ps1" / "r1.json").read_text() == kept


def test_a_new_submission_is_graded_again(course, grading):
    course.submit("late", course.answer({"answer": CORRECT}))
    grading.grade(["late"], force=True)
    course.submit("late", course.answer({"answer": CORRECT}), timestamp="2026-01-11 09:00:00 UTC")
    assert grading.grade(["late"]).results[0].status == "graded"


def test_one_run_per_course_at_a_time(course, grading):
    import fcntl

    from ungp_hub.grader.limits import GraderSetupError

    lock = course.folder / ".ungp-grader" / "run.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(GraderSetupError, match="another `ungp grade`"):
            grading.grade(["nobody"])
    assert grading.grade(["nobody"]).results[0].status == "error"  # free again


def test_warm_modules_follow_what_the_assignment_imports(course):
    work = Assignment(course.folder, course.name, course.assignment, course.db_url)
    (course.folder / "source" / "ps1" / "extra.ipynb").write_text(
        '{"cells": [{"cell_type": "code", "source": ["import pandas as pd\\n", "x = 1"]}]}'
    )
    try:
        limits = SandboxLimits(image="x", warm_modules=("numpy", "pandas", "pandas.testing"))
        kept = limits.for_packages(work.imported_packages()).warm_modules
    finally:
        (course.folder / "source" / "ps1" / "extra.ipynb").unlink()
    assert kept == ("pandas", "pandas.testing")
