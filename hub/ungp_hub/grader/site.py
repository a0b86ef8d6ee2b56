"""A grading run of one assignment of this hub's courses, from the site settings.

Shared by ``ungp grade`` and the grader service, so both grade with the same sandboxes,
gradebook and late penalty.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from ..courses.folders import CourseError, check_course_name, courses_dir
from ..courses.folders import gradebook_url as course_gradebook_url
from ..engine import docker_client_or_none, how_to_get_docker
from ..settings import Settings
from .limits import GraderSetupError, SandboxLimits, memory_bytes
from .run import Assignment, GradingRun, SubmissionResult
from .sandbox import default_pool_size

API_TIMEOUT = 120  # seconds; a busy engine answers create/remove slowly, not wrongly


def site_assignment(settings: Settings, course: str, assignment: str) -> Assignment:
    """The assignment in STATE_DIR/courses/COURSE; refuses one nbgrader does not know."""
    check_course_name(course)
    folder = courses_dir(settings.state_dir) / course
    if not folder.is_dir():
        raise CourseError(f"course {course} does not exist (no folder {folder})")
    url = course_gradebook_url(settings.get("courses.gradebook_url"), course, folder)
    work = Assignment(
        folder, course, assignment, url, float(settings.get("courses.late_penalty_per_hour"))
    )
    if not work.notebooks():
        raise CourseError(
            f"assignment {assignment} is not in the gradebook of {course}: "
            "run `nbgrader generate_assignment` first"
        )
    return work


def log_path(settings: Settings, course: str) -> Path:
    return settings.state_dir / "logs" / f"grader-{course}.log"


def file_log(path: Path) -> logging.Logger:
    path.parent.mkdir(parents=True, exist_ok=True)
    log = logging.getLogger(f"ungp_hub.grader.{path.stem}")
    log.propagate = False
    log.setLevel(logging.INFO)
    if not log.handlers:
        handler = logging.FileHandler(path)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        log.addHandler(handler)
    return log


def site_run(
    settings: Settings,
    work: Assignment,
    pool_size: int | None = None,
    on_result: Callable[[SubmissionResult], None] = lambda r: None,
) -> GradingRun:
    """A GradingRun with the settings' sandbox limits and pool size, logging to the state dir."""
    client = docker_client_or_none(timeout=API_TIMEOUT)
    if client is None:
        raise GraderSetupError(f"the grader needs Docker: {how_to_get_docker()}")
    limits = SandboxLimits.from_settings(settings)
    size = (
        pool_size
        or settings.get("grader.pool_size")
        or default_pool_size(memory_bytes(limits.memory))
    )
    log = file_log(log_path(settings, work.course))
    return GradingRun(work, limits, size, client, log, on_result=on_result)
