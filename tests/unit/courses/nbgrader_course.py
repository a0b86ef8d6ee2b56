"""Run the real nbgrader pipeline (generate_assignment, autograde) in a throw-away course.

Every kept submission becomes one "student" so a single autograde run grades them all: the
source notebook (reference solution) as `source`, the released notebook as `released`, and
each folder of courses/<module>/submissions/<assignment>/ under its own name.

nbgrader runs in the test process through its Python API (`NbGraderAPI`), not as a command:
a fresh `nbgrader` process spends 5-10 s importing (jsonschema builds a grammar at import),
twice per assignment, while pytest has imported all of that already. The notebooks still run
in real kernels, started by nbgrader's Execute preprocessor as subprocesses.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

EXECUTE_TIMEOUT_SECONDS = 120


class NbgraderFailed(AssertionError):
    """nbgrader reported an error; the message holds its log."""


@contextmanager
def _environment(catalog: Path | None) -> Iterator[None]:
    """Kernels inherit this process's environment: the catalogue, and this venv first on PATH
    (nbgrader runs `alembic` from PATH when it creates a gradebook)."""
    saved = {key: os.environ.get(key) for key in ("UNGP_CATALOG", "PATH", "JUPYTER_CONFIG_DIR")}
    if catalog is not None:
        os.environ["UNGP_CATALOG"] = str(catalog)
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{saved['PATH'] or ''}"
    os.environ.pop("JUPYTER_CONFIG_DIR", None)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _api(course: Path, db: str):
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

    config = Config()
    config.CourseDirectory.root = str(course)
    config.CourseDirectory.course_id = "ungp-courses-test"
    config.CourseDirectory.db_url = db
    config.Execute.timeout = EXECUTE_TIMEOUT_SECONDS
    config.Execute.interrupt_on_timeout = True
    return NbGraderAPI(config=config)


def _check(result: dict, what: str) -> None:
    if not result.get("success"):
        raise NbgraderFailed(f"nbgrader {what} failed:\n{result.get('log')}\n{result.get('error')}")


def empty_gradebook(path: Path) -> Path:
    """Create an empty gradebook at ``path``, to copy into each test course.

    nbgrader creates a gradebook by running the `alembic` command, a new Python process that
    imports nbgrader (10-15 s here); copying an empty one costs nothing.
    """
    from nbgrader.api import Gradebook

    with _environment(None), Gradebook(f"sqlite:///{path}"):
        pass
    return path


def grade_assignment(
    module_folder: Path,
    assignment: str,
    course: Path,
    catalog: Path,
    gradebook: Path | None = None,
) -> dict[str, float]:
    """Total autograded score of every kept submission of ``assignment``, by name.

    ``gradebook``: an empty gradebook (:func:`empty_gradebook`) to start from, copied.
    """
    course.mkdir(parents=True, exist_ok=True)
    db = f"sqlite:///{course / 'gradebook.db'}"
    if gradebook is not None:
        shutil.copy(gradebook, course / "gradebook.db")
    shutil.copytree(module_folder / "source" / assignment, course / "source" / assignment)
    with _environment(catalog):
        api = _api(course, db)
        _check(api.generate_assignment(assignment, force=True), "generate_assignment")

        kept = {
            "source": course / "source" / assignment,
            "released": course / "release" / assignment,
        }
        submissions = module_folder / "submissions" / assignment
        kept.update({p.name: p for p in sorted(submissions.iterdir()) if p.is_dir()})
        for student, folder in kept.items():
            target = course / "submitted" / student / assignment
            target.mkdir(parents=True)
            for notebook in folder.glob("*.ipynb"):
                shutil.copy(notebook, target / notebook.name)
        # student_id "*": one autograde run over every kept submission
        _check(api.autograde(assignment, "*", force=True), "autograde")

    from nbgrader.api import Gradebook

    with Gradebook(db) as gradebook:
        return {
            student: float(gradebook.find_submission(assignment, student).score) for student in kept
        }
