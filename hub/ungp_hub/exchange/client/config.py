"""nbgrader configuration of a user container, from the environment the hub gives it.

The user image's /etc/jupyter/nbgrader_config.py calls ``configure(c, os.environ)``. The hub
sets UNGP_EXCHANGE_URL in every container; for instructors also UNGP_COURSES (the courses
they teach, comma-separated), UNGP_COURSES_ROOT (where those are mounted), UNGP_GRADEBOOK_URL
(empty for SQLite in the course folder, else a URL with {course}) and
UNGP_LATE_PENALTY_PER_HOUR.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

CLASSES = {
    "exchange": "base.HubExchange",
    "fetch_assignment": "trainee.HubFetchAssignment",
    "submit": "trainee.HubSubmit",
    "fetch_feedback": "trainee.HubFetchFeedback",
    "list": "trainee.HubList",
    "release_assignment": "instructor.HubReleaseAssignment",
    "collect": "instructor.HubCollect",
    "release_feedback": "instructor.HubReleaseFeedback",
}


def gradebook_url(environ: Mapping[str, str], course: str, root: str) -> str:
    template = environ.get("UNGP_GRADEBOOK_URL", "")
    return template.format(course=course) if template else f"sqlite:///{root}/gradebook.db"


def current_course(courses: list[str], courses_root: str, cwd: str) -> str:
    """The course whose folder we are in, else the first one taught."""
    here = Path(cwd).resolve()
    for course in courses:
        folder = Path(courses_root, course).resolve()
        if here == folder or folder in here.parents:
            return course
    return courses[0]


def configure(c, environ: Mapping[str, str], cwd: str | None = None) -> None:  # noqa: ANN001
    if not environ.get("UNGP_EXCHANGE_URL"):
        return
    for trait, dotted in CLASSES.items():
        setattr(c.ExchangeFactory, trait, f"ungp_hub.exchange.client.{dotted}")
    courses = [name for name in environ.get("UNGP_COURSES", "").split(",") if name]
    if not courses:
        return
    courses_root = environ.get("UNGP_COURSES_ROOT", "/home/jovyan/courses")
    course = current_course(courses, courses_root, cwd or os.getcwd())
    root = f"{courses_root}/{course}"
    c.CourseDirectory.root = root
    c.CourseDirectory.course_id = course
    c.CourseDirectory.db_url = gradebook_url(environ, course, root)
    # Imported here: only instructors' containers need nbgrader's converters.
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import GetGrades

    from .feedback import HideHiddenTests

    c.GenerateFeedback.preprocessors = [GetGrades, HideHiddenTests, CSSHTMLHeaderPreprocessor]
    # Feedback pages hold the trainee's own Markdown and outputs, and are opened by staff too.
    c.GenerateFeedback.exporter_class = "ungp_hub.trainee_html.TraineeHTMLExporter"
    penalty = float(environ.get("UNGP_LATE_PENALTY_PER_HOUR", "0") or 0)
    if penalty:
        c.AssignLatePenalties.plugin_class = "ungp_hub.exchange.client.late.PenaltyPerHour"
        c.PenaltyPerHour.points_per_hour = penalty
