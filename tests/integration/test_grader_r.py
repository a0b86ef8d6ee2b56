"""R notebooks through the sandboxed grader, for real: cheating submissions on the R kernel.

One course, one grading run: the right answer, the honest wrong answer, and each trick a
trainee could play on R test cells (redefining the checks, `options(error=)`, lying classes,
printing "passed", a spy for the hidden test). Test cells run in the clean R process
(``ungp_hub.grader.clean_r``), so each trick scores no more than the wrong answer; a canary
in the hidden test appears in no output the trainee gets.
"""

from __future__ import annotations

import json

import pytest
from ungp_hub.engine import docker_client_or_none
from ungp_hub.grader.limits import SandboxLimits
from ungp_hub.grader.run import Assignment, GradingRun
from ungp_hub.testing.course import TestCourse

pytestmark = pytest.mark.integration


def _cell(source: str, grade_id: str, kind: str, points: int = 0) -> dict:
    meta = {
        "grade": points > 0,
        "solution": kind == "answer",
        "locked": kind != "answer",
        "grade_id": grade_id,
        "schema_version": 3,
    }
    if points:
        meta["points"] = points
    return {
        "cell_type": "code",
        "execution_count": None,
        "metadata": {"nbgrader": meta},
        "outputs": [],
        "source": source,
    }


SOURCE = json.dumps(
    {
        "cells": [
            _cell("weights <- c(2, 4, 9)", "setup", "locked"),
            _cell(
                "answer <- 42\ntwice <- function(x) {\n  ### BEGIN SOLUTION\n  2 * x\n"
                "  ### END SOLUTION\n}",
                "answer",
                "answer",
            ),
            _cell("stopifnot(answer == 42)", "visible", "test", points=1),
            _cell(
                "### BEGIN HIDDEN TESTS\ncanary <- paste0('CANARY-', 'r7c2e5')\n"
                "library(testthat)\nexpect_equal(twice(weights), c(4, 8, 18))\n"
                "stopifnot(identical(answer, 42), isTRUE(all.equal(twice(1.5), 3)))\n"
                "### END HIDDEN TESTS",
                "hidden",
                "test",
                points=1,
            ),
        ],
        "metadata": {
            "kernelspec": {"name": "ir", "display_name": "R", "language": "R"},
            "language_info": {"name": "R"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
)

CORRECT = "answer <- 42\ntwice <- function(x) 2 * x\n"
WRONG = "answer <- 41\ntwice <- function(x) x + 1\n"
SPY = (  # prints every expression the kernel evaluates and every call's stack
    "addTaskCallback(function(expr, ...) { print(expr); TRUE })\n"
    "twice <- function(x) { print(sys.calls()); x + 1 }\n"
)
TRICKS = {
    "trick-stopifnot": "stopifnot <- function(...) invisible(TRUE)\n",
    "trick-identical": "identical <- function(...) TRUE\nall.equal <- function(...) TRUE\n",
    "trick-base-patched": (
        'unlockBinding("stopifnot", baseenv())\n'
        'assign("stopifnot", function(...) invisible(TRUE), baseenv())\n'
        'unlockBinding("identical", baseenv())\n'
        'assign("identical", function(...) TRUE, baseenv())\n'
    ),
    "trick-testthat": (
        "library(testthat)\nexpect_equal <- function(...) invisible(TRUE)\n"
        'ns <- asNamespace("testthat"); unlockBinding("expect_equal", ns)\n'
        'assign("expect_equal", function(...) invisible(TRUE), ns)\n'
    ),
    "trick-options-error": "options(error = function() invokeRestart('abort'))\n"
    "globalCallingHandlers(error = function(e) invokeRestart('abort'))\n",
    "trick-lying-class": (
        "answer <- structure(41, class = 'liar')\n"
        "Ops.liar <- function(e1, e2) TRUE\n"
        "all.equal.liar <- function(...) TRUE\n"
    ),
    "trick-prints-passed": 'cat("All tests passed\\n")\n'
    'twice <- function(x) { cat("All tests passed\\n"); x + 1 }\n',
    "trick-spy": SPY,
    "trick-quit": "twice <- function(x) quit(save = 'no', status = 0)\n",
    "trick-loop": "twice <- function(x) repeat {}\n",  # stopped at the cell's time limit
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory, user_image):
    limits = SandboxLimits(
        image=user_image,
        memory="1G",
        pids=128,
        cell_timeout=20,
        notebook_timeout=180,
        output_limit_bytes=1_000_000,
    )
    state = tmp_path_factory.mktemp("grader-r-state")
    course = TestCourse.make(state, "gradertestr", "ps1", SOURCE)
    course.submit("honest-correct", course.answer({"answer": CORRECT}))
    course.submit("honest-wrong", course.answer({"answer": WRONG}))
    for student, trick in TRICKS.items():
        course.submit(student, course.answer({"answer": WRONG + trick}))
    work = Assignment(course.folder, course.name, "ps1", course.db_url)
    summary = GradingRun(work, limits, 4, docker_client_or_none()).grade()
    return course, {r.student: r for r in summary.results}


def test_the_right_answer_scores_full_marks_and_the_wrong_one_none(graded):
    course, _ = graded
    scores = course.scores()
    assert scores["honest-correct"] == {"visible": 1.0, "hidden": 1.0}
    assert scores["honest-wrong"] == {"visible": 0.0, "hidden": 0.0}


@pytest.mark.parametrize("student", sorted(TRICKS))
def test_r_tricks_gain_nothing(graded, student):
    course, results = graded
    assert course.scores()[student] == {"visible": 0.0, "hidden": 0.0}, results[student].reasons


def test_the_hidden_test_never_reaches_the_trainee(graded):
    course, _ = graded
    for path in (course.folder / "autograded").rglob("*.ipynb"):
        nb = json.loads(path.read_text())
        for cell in nb["cells"]:
            if cell["metadata"].get("nbgrader", {}).get("grade_id") == "hidden":
                continue
            assert "CANARY-r7c2e5" not in json.dumps(cell.get("outputs", [])), path
