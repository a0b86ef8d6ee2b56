"""Module results read from real nbgrader gradebooks in STATE_DIR/courses/<course>/."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from ungp_hub.certification.modules import gradebook_check
from ungp_hub.courses.folders import alembic_on_path


def record(courses: Path, course: str, student: str, scores: dict[str, tuple[float, float]]):
    """Write graded submissions into a course gradebook the way autograde leaves them."""
    folder = courses / course
    folder.mkdir(parents=True, exist_ok=True)
    with alembic_on_path(), Gradebook(f"sqlite:///{folder}/gradebook.db", course) as book:
        book.update_or_create_student(student)
        for assignment, (score, top) in scores.items():
            book.update_or_create_assignment(assignment)
            book.update_or_create_notebook("work", assignment)
            book.update_or_create_grade_cell(
                "q", "work", assignment, max_score=top, cell_type="code"
            )
            try:
                book.find_submission(assignment, student)
            except MissingEntry:
                book.add_submission(assignment, student)
            grade = book.find_grade("q", "work", assignment, student)
            grade.manual_score = score
            book.db.commit()


def test_modules_pass_on_the_best_score_across_courses(tmp_path, programme):
    courses = tmp_path / "courses"
    record(
        courses,
        "cpi-autumn",
        "alice",
        {"m3_scanner_index": (8, 10), "m0_catalogue_quality": (4, 9)},
    )
    # A second course from a copy of the first (making a gradebook runs alembic: slow).
    (courses / "cpi-spring").mkdir()
    shutil.copy(courses / "cpi-autumn" / "gradebook.db", courses / "cpi-spring" / "gradebook.db")
    record(courses, "cpi-spring", "alice", {"m3_scanner_index": (5, 10)})
    check = gradebook_check(courses)
    assert check("alice", programme.modules["m3-scanner-cpi"]).passed
    m0 = check("alice", programme.modules["m0-foundations"])
    assert not m0.passed and "4 of 9, below the 60% needed" in m0.detail
    bob = check("bob", programme.modules["m3-scanner-cpi"])
    assert not bob.passed and "no graded submission of m3_scanner_index" in bob.detail
    mobile = check("alice", programme.modules["m4-mobile"])
    assert not mobile.passed and "no graded submission of m4_mobile_statistics" in mobile.detail
    empty = dataclasses.replace(programme.modules["m4-mobile"], assignments=())
    planned = check("alice", empty)
    assert not planned.passed and "no graded assignment yet" in planned.detail
