"""Grading on the server: the reference solution passes; another candidate's answers fail;
locked cells and data cannot be tampered with. Notebooks run on the host here because they are
trusted fixtures written by the test (candidates' work runs in the sandboxed grader)."""

from __future__ import annotations

import re

import nbformat
import pytest
from ungp_hub.certification.exams import (
    derive_variant,
    grade_exam,
    graded_notebook,
    reference_answers,
    render_notebook,
)
from ungp_hub.certification.runner import run_on_host

SECRET = b"g" * 32


def _answers_cell(nb, item: str) -> nbformat.NotebookNode:
    return next(c for c in nb.cells if c.get("id") == f"answer-{item}")


def solved(exam, variant) -> nbformat.NotebookNode:
    """What a candidate who solved every question hands in: the released notebook with the
    method filled in (the source's solution, markers removed)."""
    source = render_notebook(exam, variant, solutions=True)
    released = render_notebook(exam, variant)
    for item in ("q1", "q2", "q3"):
        text = _answers_cell(source, item).source
        _answers_cell(released, item).source = re.sub(r"### (BEGIN|END) SOLUTION\n?", "", text)
    return released


def hard_coded(exam, variant, values: dict[str, float]) -> nbformat.NotebookNode:
    released = render_notebook(exam, variant)
    for item, value in values.items():
        _answers_cell(released, item).source = f"{item} = {value!r}"
    return released


@pytest.fixture(scope="module")
def alice_graded(cpi_exam):
    variant = derive_variant(cpi_exam, SECRET, "alice")
    executed = run_on_host(graded_notebook(cpi_exam, variant, solved(cpi_exam, variant)))
    return variant, grade_exam(cpi_exam, variant, executed)


def test_the_reference_method_scores_full_marks(cpi_exam, alice_graded):
    variant, grade = alice_graded
    assert grade.score == grade.max_score == 10
    expected = reference_answers(cpi_exam, variant)
    assert {r.item: r.answer for r in grade.items} == pytest.approx(expected, rel=1e-9)


def test_another_candidates_correct_answers_fail(cpi_exam, alice_graded):
    alice, _ = alice_graded
    bob = derive_variant(cpi_exam, SECRET, "bob")
    copied = hard_coded(cpi_exam, bob, reference_answers(cpi_exam, alice))
    # A wrong answer is scored from what the grader recorded: no kernel needed to show it.
    executed = run_on_host(graded_notebook(cpi_exam, bob, copied))
    grade = grade_exam(cpi_exam, bob, executed)
    assert grade.score == 0
    assert {r.reason for r in grade.items} == {"incorrect for your exam's data"}


def test_tampered_locked_cells_and_data_are_replaced_from_the_template(cpi_exam):
    bob = derive_variant(cpi_exam, SECRET, "bob")
    submitted = solved(cpi_exam, bob)
    setup = next(c for c in submitted.cells if c.get("id") == "setup")
    setup.source = "tables = {}  # the candidate emptied the data"
    test = next(c for c in submitted.cells if c.get("id") == "test-q1")
    test.source = "_ungp_record('q1', 1.0)"
    graded = graded_notebook(cpi_exam, bob, submitted)
    assert next(c for c in graded.cells if c.get("id") == "setup").source.count("read_csv") == 3
    assert (
        "isinstance(q1, numbers.Real)"
        in next(c for c in graded.cells if c.get("id") == "test-q1").source
    )


def test_an_unanswered_question_scores_zero_with_the_error(cpi_exam):
    carol = derive_variant(cpi_exam, SECRET, "carol")
    executed = run_on_host(graded_notebook(cpi_exam, carol, render_notebook(cpi_exam, carol)))
    grade = grade_exam(cpi_exam, carol, executed)
    assert grade.score == 0
    assert all("no answer recorded" in r.reason for r in grade.items)
    assert any("NameError" in r.reason or "NotImplementedError" in r.reason for r in grade.items)
