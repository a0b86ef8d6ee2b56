"""Who is where in a course: fetched, submitted, graded, feedback returned, score, time spent.

The exchange knows fetches, submissions and feedback (its own index); the scores are in the
course's nbgrader gradebook, which exists only for courses made on this hub. Time spent is
measured from the first fetch to the last submission: it is the window the trainee had the
assignment open, not keyboard time, and the page says so.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from pathlib import Path

from ..courses.access import TRAINEES
from .store import ExchangeStore

log = logging.getLogger("ungp_hub.exchange")

STAGES = ("not started", "fetched", "submitted", "graded", "feedback returned")


@dataclass(frozen=True)
class AssignmentProgress:
    course: str
    assignment: str
    student: str
    fetched_at: str | None = None
    submissions: int = 0
    submitted_at: str | None = None
    late: bool = False
    feedback_at: str | None = None
    score: float | None = None
    max_score: float | None = None

    @property
    def stage(self) -> str:
        if self.feedback_at:
            return "feedback returned"
        if self.score is not None:
            return "graded"
        if self.submissions:
            return "submitted"
        return "fetched" if self.fetched_at else "not started"

    @property
    def time_spent_s(self) -> float | None:
        """First fetch to last submission, in seconds (None until both happened)."""
        if not (self.fetched_at and self.submitted_at):
            return None
        spent = datetime.fromisoformat(self.submitted_at) - datetime.fromisoformat(self.fetched_at)
        return max(0.0, spent.total_seconds())

    def as_dict(self) -> dict:
        return {**asdict(self), "stage": self.stage, "time_spent_s": self.time_spent_s}


Scores = dict[tuple[str, str], tuple[float, float]]


def gradebook_scores(db_url: str, course: str) -> Scores:
    """(trainee, assignment) -> (score, max score) of every autograded submission."""
    from ..courses.folders import open_gradebook

    scores: Scores = {}
    with open_gradebook(db_url, course) as gradebook:
        for assignment in gradebook.assignments:
            for submission in assignment.submissions:
                scores[(submission.student.id, assignment.name)] = (
                    float(submission.score),
                    float(submission.max_score),
                )
    return scores


def course_progress(
    store: ExchangeStore,
    course: str,
    students: Iterable[str] = (),
    scores: Scores | None = None,
    student: str | None = None,
) -> list[AssignmentProgress]:
    """One row per trainee and released assignment, enrolled trainees who did nothing included."""
    scores = scores or {}
    released = sorted({release.assignment for release in store.releases(course)})
    rows = {(row["student"], row["assignment"]): row for row in _activity(store, course, student)}
    people = {student} if student else set(students) | {name for name, _ in rows}
    found = []
    for name in sorted(people):
        for assignment in released:
            row = rows.get((name, assignment))
            score = scores.get((name, assignment))
            found.append(
                AssignmentProgress(
                    course=course,
                    assignment=assignment,
                    student=name,
                    fetched_at=row["fetched_at"] if row else None,
                    submissions=int(row["submissions"]) if row else 0,
                    submitted_at=row["submitted_at"] if row else None,
                    late=bool(row["late"]) if row else False,
                    feedback_at=row["feedback_at"] if row else None,
                    score=score[0] if score else None,
                    max_score=score[1] if score else None,
                )
            )
    return found


def course_summary(rows: list[AssignmentProgress]) -> dict[str, dict[str, int]]:
    """assignment -> number of trainees at each stage (for the instructor's table header)."""
    summary: dict[str, dict[str, int]] = {}
    for row in rows:
        counts = summary.setdefault(row.assignment, dict.fromkeys(STAGES, 0))
        counts[row.stage] += 1
    return summary


def landing_progress(exchange_root: Path, student: str, enrolled: Iterable[str]) -> list[dict]:
    """The trainee's own courses for the hub's landing page.

    No scores here: the hub's event loop must not open gradebooks; the exchange's progress
    page shows them.
    """
    store = ExchangeStore.reader(exchange_root)
    if store is None:
        return []
    courses = []
    for course in sorted(set(enrolled) | set(_courses_of(store, student))):
        rows = course_progress(store, course, student=student)
        courses.append(
            {
                "course": course,
                "released": len(rows),
                "fetched": sum(1 for row in rows if row.fetched_at),
                "submitted": sum(1 for row in rows if row.submissions),
                "feedback": sum(1 for row in rows if row.feedback_at),
            }
        )
    return courses


class CourseBooks:
    """Where each course's nbgrader gradebook is, to read scores for the progress views."""

    def __init__(self, courses_root: Path | None, gradebook_template: str = ""):
        self.courses_root = courses_root
        self.gradebook_template = gradebook_template

    def scores(self, course: str) -> Scores:
        from ..courses.folders import gradebook_url
        from ..courses.safe_files import RefusedFile

        if self.courses_root is None:
            return {}
        folder = self.courses_root / course
        if not self.gradebook_template and not (folder / "gradebook.db").is_file():
            return {}  # a course made elsewhere: progress without scores
        try:
            return gradebook_scores(gradebook_url(self.gradebook_template, course, folder), course)
        except RefusedFile as refused:  # the instructors' folder: their doing, not the viewer's
            log.warning("progress of %s without scores: %s", course, refused)
            return {}


def own_view(rows: list[AssignmentProgress]) -> list[AssignmentProgress]:
    """A trainee sees a score once feedback is returned (grading may not be final before)."""
    return [row if row.feedback_at else replace(row, score=None, max_score=None) for row in rows]


class LandingProgress:
    """The hub's landing page calls this with the signed-in user (``template_vars``)."""

    def __init__(self, exchange_root: Path):
        self.exchange_root = Path(exchange_root)

    def __call__(self, user) -> list[dict]:  # noqa: ANN001 - JupyterHub's User
        if user is None:  # pages before login
            return []
        enrolled = [
            group.name[len(TRAINEES) :] for group in user.groups if group.name.startswith(TRAINEES)
        ]
        try:
            return landing_progress(self.exchange_root, user.name, enrolled)
        except sqlite3.Error:  # the landing page must show even if the index is busy or odd
            log.exception("cannot read the exchange index for %s's progress", user.name)
            return []


def _activity(store: ExchangeStore, course: str, student: str | None) -> list[sqlite3.Row]:
    """Per (trainee, assignment): first fetch, submissions, last one, last feedback."""
    query = """
        WITH people AS (
            SELECT student, assignment FROM fetches WHERE course = :course
            UNION SELECT student, assignment FROM submissions WHERE course = :course)
        SELECT p.student, p.assignment,
            (SELECT MIN(at) FROM fetches f WHERE f.course = :course
                AND f.student = p.student AND f.assignment = p.assignment) AS fetched_at,
            (SELECT COUNT(*) FROM submissions s WHERE s.course = :course
                AND s.student = p.student AND s.assignment = p.assignment) AS submissions,
            (SELECT MAX(submitted_at) FROM submissions s WHERE s.course = :course
                AND s.student = p.student AND s.assignment = p.assignment) AS submitted_at,
            (SELECT late FROM submissions s WHERE s.course = :course
                AND s.student = p.student AND s.assignment = p.assignment
                ORDER BY submitted_at DESC, id DESC LIMIT 1) AS late,
            (SELECT MAX(fb.released_at) FROM feedback fb JOIN submissions s
                ON s.id = fb.submission WHERE s.course = :course
                AND s.student = p.student AND s.assignment = p.assignment) AS feedback_at
        FROM people p WHERE (:student IS NULL OR p.student = :student)
        ORDER BY p.student, p.assignment"""
    with store.connection() as db:
        return db.execute(query, {"course": course, "student": student}).fetchall()


def _courses_of(store: ExchangeStore, student: str) -> list[str]:
    """Courses in which the trainee fetched or submitted anything."""
    with store.connection() as db:
        rows = db.execute(
            "SELECT course FROM fetches WHERE student = ? "
            "UNION SELECT course FROM submissions WHERE student = ? ORDER BY course",
            (student, student),
        ).fetchall()
    return [row["course"] for row in rows]
