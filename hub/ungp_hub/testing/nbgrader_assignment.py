"""A tiny nbgrader assignment for tests: a solution cell, a visible and a hidden test cell.

``source_notebook()`` is the instructor's source; ``answer(released, correct)`` fills the
released notebook as a trainee would (the wrong answer passes the visible test and fails the
hidden one, so the two trainees' scores differ: 2 and 1 points).
"""

from __future__ import annotations

import json

HIDDEN_MARK = "hidden-check-7f3"
CORRECT = "def mean(values):\n    return sum(values) / len(values)\n"
WRONG = "def mean(values):\n    return sorted(values)[len(values) // 2]\n"


def _cell(source: str, grade_id: str, solution: bool, points: int = 0) -> dict:
    meta = {
        "grade": points > 0,
        "solution": solution,
        "locked": not solution,
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


def source_notebook() -> str:
    cells = [
        _cell(
            "def mean(values):\n    ### BEGIN SOLUTION\n    return sum(values) / len(values)\n"
            "    ### END SOLUTION\n",
            "answer",
            solution=True,
        ),
        _cell("assert mean([1, 2, 3]) == 2", "visible", solution=False, points=1),
        _cell(
            "### BEGIN HIDDEN TESTS\n"
            f"assert mean([2, 4]) == 3, '{HIDDEN_MARK}'\n### END HIDDEN TESTS",
            "hidden",
            solution=False,
            points=1,
        ),
    ]
    notebook = {
        "cells": cells,
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    }
    return json.dumps(notebook, indent=1)


def answer(released: str, correct: bool) -> str:
    notebook = json.loads(released)
    for cell in notebook["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == "answer":
            cell["source"] = CORRECT if correct else WRONG
    return json.dumps(notebook, indent=1)
