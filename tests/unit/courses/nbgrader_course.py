"""Run the real nbgrader pipeline (generate_assignment, autograde) in a throw-away course.

Every kept submission becomes one "student" so a single autograde run grades them all: the
source notebook (reference solution) as `source`, the released notebook as `released`, and
each folder of courses/<module>/submissions/<assignment>/ under its own name.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

NBGRADER_CONFIG = """\
c = get_config()  # noqa: F821
c.CourseDirectory.root = {root!r}
c.CourseDirectory.course_id = "ungp-courses-test"
c.CourseDirectory.db_url = {db!r}
c.Execute.timeout = 120
c.Execute.interrupt_on_timeout = True
"""


class NbgraderFailed(AssertionError):
    """nbgrader exited with an error; the message holds its output."""


def _nbgrader(args: list[str], course: Path, catalog: Path) -> None:
    bin_dir = Path(sys.executable).parent
    env = dict(os.environ)
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["UNGP_CATALOG"] = str(catalog)
    env.pop("JUPYTER_CONFIG_DIR", None)
    done = subprocess.run(
        [str(bin_dir / "nbgrader"), *args],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        raise NbgraderFailed(
            f"nbgrader {' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
        )


def grade_assignment(
    module_folder: Path, assignment: str, course: Path, catalog: Path
) -> dict[str, float]:
    """Total autograded score of every kept submission of ``assignment``, by name."""
    course.mkdir(parents=True, exist_ok=True)
    db = f"sqlite:///{course / 'gradebook.db'}"
    (course / "nbgrader_config.py").write_text(NBGRADER_CONFIG.format(root=str(course), db=db))
    shutil.copytree(module_folder / "source" / assignment, course / "source" / assignment)
    _nbgrader(["generate_assignment", assignment, "--force"], course, catalog)

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
    _nbgrader(["autograde", assignment, "--force"], course, catalog)

    from nbgrader.api import Gradebook

    with Gradebook(db) as gradebook:
        return {
            student: float(gradebook.find_submission(assignment, student).score) for student in kept
        }
