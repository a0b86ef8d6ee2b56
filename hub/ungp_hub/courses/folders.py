"""Courses on disk and in the hub: the folder an instructor's container mounts, and groups.

A course NAME is the folder STATE_DIR/courses/NAME in nbgrader's layout (source/, release/,
submitted/, autograded/, feedback/, gradebook.db) plus the hub groups instructors:NAME and
trainees:NAME. Only instructors' containers mount the folder; trainees see releases through
the exchange service.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from traitlets.config import Config

from ..errors import UserError
from . import safe_files, safe_trees
from .access import INSTRUCTORS

COURSE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
LAYOUT = ("source", "release", "submitted", "autograded", "feedback")
CONTAINER_UID = 1000
log = logging.getLogger(__name__)


class CourseError(UserError, ValueError):
    """A course command cannot be carried out; the message says why and what to do."""


def check_course_name(name: str) -> str:
    """A course name becomes a folder, two hub group names and a gradebook URL: keep it to a
    narrow pattern that is safe in all of them."""
    if not COURSE.match(name):
        raise CourseError(
            f"invalid course name {name!r}: 1-40 lower-case letters, digits, '_' or '-', "
            "starting with a letter or digit"
        )
    return name


def courses_dir(state_dir: Path) -> Path:
    """The one place course folders live, so every service finds a course by name alone."""
    return Path(state_dir) / "courses"


def gradebook_url(template: str, course: str, folder: Path) -> str:
    """The course's gradebook by the site's ``courses.gradebook_url`` rule (empty: SQLite in
    the folder): one rule, so the CLI, the grader and the certification open the same one."""
    return template.format(course=course) if template else f"sqlite:///{folder}/gradebook.db"


def create_course_folder(state_dir: Path, name: str, gradebook_template: str = "") -> Path:
    """Make the folder (or complete a partial one); never touch files that exist."""
    folder = courses_dir(state_dir) / check_course_name(name)
    for part in LAYOUT:  # an existing folder may hold its instructors' links: none followed
        with safe_files.open_dir(folder, part, create=True):
            pass
    if not os.path.lexists(folder / "nbgrader_config.py"):
        config = (
            "# Made by `ungp course create`: nbgrader run in this folder works on this course.\n"
            "c = get_config()  # noqa: F821\n"
            f"c.CourseDirectory.course_id = {name!r}\n"
        )
        safe_files.write_bytes(folder, "nbgrader_config.py", config.encode())
    with open_gradebook(gradebook_url(gradebook_template, name, folder), name):
        pass  # creates the tables and the course row
    hand_to_container_user(folder)
    return folder


def nbgrader_config(folder: Path, course: str, db_url: str, assignment: str) -> Config:
    """nbgrader's settings for one assignment of a course folder, stated in one place so
    that generating and grading in this process find the same folder and gradebook."""
    config = Config()
    config.CourseDirectory.root = str(folder)
    config.CourseDirectory.course_id = course
    config.CourseDirectory.db_url = db_url
    config.CourseDirectory.assignment_id = assignment
    return config


@contextmanager
def open_gradebook(url: str, course: str) -> Iterator[Any]:
    """nbgrader's ``Gradebook``, once the SQLite file and its journals are plain files.

    Every host-side reader of a course's gradebook goes through here: the file lives in a
    folder instructors write, and a link there would make SQLite open (and write) whatever
    it points to, a FIFO would hang the service (``safe_files.check_sqlite_url``).
    """
    from nbgrader.api import Gradebook

    safe_files.check_sqlite_url(url)
    with alembic_on_path(), Gradebook(url, course) as gradebook:
        yield gradebook


@contextmanager
def alembic_on_path() -> Iterator[None]:
    """nbgrader runs the `alembic` command from PATH when it makes a gradebook."""
    before = os.environ.get("PATH", "")
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{before}"
    try:
        yield
    finally:
        os.environ["PATH"] = before


def hand_to_container_user(folder: Path) -> None:
    """The instructor's container runs as uid 1000: it must own the course folder.

    Hard-linked and special files are left alone (see ``safe_trees.hand_over``): changing
    the owner of a hard link planted there would hand over the file it links to.
    """
    if os.geteuid() != 0:
        return
    for item in safe_trees.hand_over(folder, CONTAINER_UID, CONTAINER_UID):
        log.warning("%s/%s not handed to uid %d: %s", folder, item.path, CONTAINER_UID, item.reason)


def taught_courses(group_names: Iterable[str]) -> list[str]:
    """Courses from ``instructors:NAME`` groups; a group whose NAME is not a valid course
    name is ignored, so a stray group can never become a mount path."""
    return sorted(
        name[len(INSTRUCTORS) :]
        for name in group_names
        if name.startswith(INSTRUCTORS) and COURSE.match(name[len(INSTRUCTORS) :])
    )


def course_volumes(host_root: str, mount: str, group_names: Iterable[str]) -> dict[str, dict]:
    """Docker volumes of an instructor's container: the existing folders of their courses."""
    if not host_root:
        return {}
    volumes = {}
    for course in taught_courses(group_names):
        folder = Path(host_root) / course
        if folder.is_dir():
            volumes[str(folder)] = {"bind": f"{mount.rstrip('/')}/{course}", "mode": "rw"}
    return volumes


def course_environment(
    host_root: str, mount: str, group_names: Iterable[str], gradebook_template: str, penalty: float
) -> dict[str, str]:
    """What the container's nbgrader configuration reads (ungp_hub.exchange.client.config)."""
    courses = [
        c for c in taught_courses(group_names) if host_root and (Path(host_root) / c).is_dir()
    ]
    if not courses:
        return {}
    return {
        "UNGP_COURSES": ",".join(courses),
        "UNGP_COURSES_ROOT": mount.rstrip("/"),
        "UNGP_GRADEBOOK_URL": gradebook_template,
        "UNGP_LATE_PENALTY_PER_HOUR": f"{penalty:g}",
    }
