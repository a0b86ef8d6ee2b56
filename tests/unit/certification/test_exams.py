"""Every exam of tracks.yaml: per-candidate items, the reference method scores full marks, a
blank exam scores zero, another candidate's correct answers fail.

Only the exams' own reference solutions (trusted fixtures) are executed, on the host, in one
kernel; the other cases are graded from recorded answers, which is all the grader looks at.
"""

from __future__ import annotations

import copy
import math
import re

import nbformat
import pytest
from ungp_hub.certification.exams import (
    ANSWER_MIME,
    derive_variant,
    grade_exam,
    graded_notebook,
    load_exam,
    reference_answers,
    render_notebook,
)
from ungp_hub.certification.runner import run_together

from .conftest import TRACKS

SECRET = b"e" * 32


def _exam_ids() -> list[str]:
    import yaml

    tracks = yaml.safe_load(TRACKS.read_text(encoding="utf-8"))["tracks"]
    return [t["exam"]["id"] for t in tracks.values() if t.get("status", "open") == "open"]


EXAMS = _exam_ids()


@pytest.fixture(scope="module", params=EXAMS)
def exam(request, programme):
    return load_exam(programme.exam_dir(request.param))


def _cell(nb, grade_id: str) -> nbformat.NotebookNode:
    return next(c for c in nb.cells if c.get("id") == grade_id)


def solved(exam, variant) -> nbformat.NotebookNode:
    """The released notebook with the source's solutions typed in (markers removed)."""
    source = render_notebook(exam, variant, solutions=True)
    released = render_notebook(exam, variant)
    for item in exam.items:
        text = _cell(source, f"answer-{item.id}").source
        _cell(released, f"answer-{item.id}").source = re.sub(
            r"### (BEGIN|END) SOLUTION\n?", "", text
        )
    return released


def recorded(nb, values: dict[str, float]) -> nbformat.NotebookNode:
    """``nb`` as the grader returns it when the test cells recorded ``values``."""
    executed = copy.deepcopy(nb)
    for item, value in values.items():
        output = nbformat.v4.new_output(
            "display_data", data={ANSWER_MIME: {"item": item, "value": float(value)}}
        )
        _cell(executed, f"test-{item}").outputs = [output]
    return executed


def _close(a: float, b: float, tolerance: float) -> bool:
    return math.isclose(a, b, rel_tol=tolerance, abs_tol=tolerance)


def test_the_exams_are_the_open_tracks():
    assert "x3-scanner-cpi" in EXAMS and "x0-foundations" in EXAMS and len(EXAMS) >= 3


def test_the_source_notebook_is_up_to_date(exam):
    """exam.ipynb is what make_notebook.py writes (someone edited one and not the other)."""
    module = exam.folder / "make_notebook.py"
    namespace: dict = {"__file__": str(module), "__name__": "exam_make_notebook"}
    exec(compile(module.read_text(encoding="utf-8"), str(module), "exec"), namespace)
    fresh = namespace["build"]()
    stored = exam.template()
    assert [(c.get("id"), c.source, c.metadata) for c in fresh.cells] == [
        (c.get("id"), c.source, c.metadata) for c in stored.cells
    ]


def test_items_differ_between_candidates_and_repeat_for_one(exam):
    alice = derive_variant(exam, SECRET, "alice")
    bob = derive_variant(exam, SECRET, "bob")
    assert derive_variant(exam, SECRET, "alice") == alice
    for item in exam.items:
        assert alice.params[item.id] != bob.params[item.id], item.id
    mine, theirs = reference_answers(exam, alice), reference_answers(exam, bob)
    same = [i.id for i in exam.items if _close(mine[i.id], theirs[i.id], i.tolerance)]
    # A count can coincide by chance; most answers must differ (and copying must fail, below).
    assert len(same) <= len(exam.items) // 3, f"{exam.id}: alice and bob share {same}"
    setup_a = _cell(render_notebook(exam, alice), "setup").source
    setup_b = _cell(render_notebook(exam, bob), "setup").source
    assert setup_a != setup_b
    # Another secret (another hub) gives other items for the same candidate.
    assert derive_variant(exam, b"f" * 32, "alice").params != alice.params


@pytest.fixture(scope="module")
def solved_runs(programme) -> dict[str, nbformat.NotebookNode]:
    """Every exam's solved notebook for alice, executed in one kernel."""
    graded = {}
    for exam_id in EXAMS:
        exam = load_exam(programme.exam_dir(exam_id))
        variant = derive_variant(exam, SECRET, "alice")
        graded[exam_id] = graded_notebook(exam, variant, solved(exam, variant))
    return run_together(graded)


@pytest.fixture(scope="module")
def alice_graded(exam, solved_runs):
    variant = derive_variant(exam, SECRET, "alice")
    executed = solved_runs[exam.id]
    return variant, executed, grade_exam(exam, variant, executed)


def test_the_reference_method_scores_full_marks(exam, alice_graded):
    variant, _, grade = alice_graded
    assert grade.score == grade.max_score > 0, grade.to_json(with_expected=True)
    expected = reference_answers(exam, variant)
    answers = {r.item: r.answer for r in grade.items}
    assert answers == pytest.approx(expected, rel=1e-6, abs=1e-9)


def test_another_candidates_correct_answers_fail(exam, alice_graded, programme):
    alice, _, _ = alice_graded
    bob = derive_variant(exam, SECRET, "bob")
    executed = recorded(
        graded_notebook(exam, bob, render_notebook(exam, bob)), reference_answers(exam, alice)
    )
    grade = grade_exam(exam, bob, executed)
    (track,) = [t for t in programme.tracks.values() if t.exam.id == exam.id]
    assert grade.percent < track.exam.pass_mark
    mine, theirs = reference_answers(exam, alice), reference_answers(exam, bob)
    for result, item in zip(grade.items, exam.items, strict=True):
        if not _close(mine[item.id], theirs[item.id], item.tolerance):
            assert result.awarded == 0 and result.reason == "incorrect for your exam's data"
    # ... and bob's own answers pass bob's exam.
    own = grade_exam(exam, bob, recorded(executed, reference_answers(exam, bob)))
    assert own.score == own.max_score


def test_a_blank_exam_scores_zero_and_holds_no_solution(exam):
    carol = derive_variant(exam, SECRET, "carol")
    released = render_notebook(exam, carol)
    source = render_notebook(exam, carol, solutions=True)
    for item in exam.items:
        blank = _cell(released, f"answer-{item.id}").source
        assert "raise NotImplementedError" in blank
        assert "BEGIN SOLUTION" not in blank
        assert blank != _cell(source, f"answer-{item.id}").source
    graded = graded_notebook(exam, carol, released)
    grade = grade_exam(exam, carol, graded)  # nothing recorded: what a blank run leaves
    assert grade.score == 0
    assert all(r.reason.startswith("no answer recorded") for r in grade.items)


def test_required_modules_name_real_course_assignments(programme):
    """A module is passed through its assignments in the gradebook: they must exist."""
    import yaml

    courses = TRACKS.parents[1] / "courses"
    for module in programme.modules.values():
        spec = yaml.safe_load((courses / module.id / "module.yaml").read_text(encoding="utf-8"))
        names = {a["name"] for a in spec["assignments"]}
        assert module.assignments and set(module.assignments) <= names, module.id
    for track in programme.tracks.values():
        if track.offered:
            assert (programme.exam_dir(track.exam.id) / "exam.yaml").is_file(), track.id
