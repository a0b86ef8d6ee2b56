"""Course modules (folders of ``courses/``) installed into a course on the hub.

Installing a module copies its assignments' source notebooks into the course's ``source/``,
lets nbgrader generate the trainees' version (solutions and hidden tests removed; nothing is
executed) and records the assignment in the gradebook, then releases it through the exchange
store, so trainees can fetch it at once.

The course folder is written by its instructors, so nbgrader does not run there (it would
load their ``nbgrader_config.py``, as root, and follow their links): it runs in a private
staging folder on the module's own source, and what it makes is copied into the course with
``courses.safe_files``; the release is published from the staging folder.
"""

from __future__ import annotations

import filecmp
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..courses import safe_files, safe_trees
from ..courses.folders import CourseError, alembic_on_path, gradebook_url
from ..errors import AlreadyExists
from .store import ExchangeStore


@dataclass(frozen=True)
class ModuleAssignment:
    module: str
    name: str
    points: float
    source: Path


def find_module(modules_dir: Path, module_id: str) -> dict:
    path = modules_dir / module_id / "module.yaml"
    if not path.exists():
        known = sorted(p.parent.name for p in modules_dir.glob("*/module.yaml"))
        raise CourseError(f"no course module {module_id!r} in {modules_dir} (known: {known})")
    return yaml.safe_load(path.read_text())


def module_assignments(modules_dir: Path, module_id: str) -> list[ModuleAssignment]:
    spec = find_module(modules_dir, module_id)
    return [
        ModuleAssignment(
            module_id,
            item["name"],
            float(item["points"]),
            modules_dir / module_id / "source" / item["name"],
        )
        for item in spec.get("assignments", [])
    ]


def copy_source(assignment: ModuleAssignment, course_dir: Path, force: bool) -> bool:
    """Copy the module's source into the course; True if anything changed."""
    relative = f"source/{assignment.name}"
    target = course_dir / relative
    with tempfile.TemporaryDirectory(prefix="ungp-install-") as scratch:
        current = Path(scratch) / assignment.name
        try:
            skipped = safe_trees.copy_out(course_dir, relative, current)
        except FileNotFoundError:
            skipped = None
        if skipped is not None:
            same = filecmp.dircmp(assignment.source, current)
            if not (skipped or same.left_only or same.right_only or same.diff_files):
                return False
            if not force:
                raise CourseError(
                    f"{target} exists and differs from module {assignment.module}; an "
                    "instructor may have edited it. Use --force to replace it (the old copy "
                    "is kept as .bak)"
                )
            safe_files.remove(course_dir, f"{relative}.bak")
            safe_files.rename(course_dir, relative, f"{assignment.name}.bak")
    safe_trees.copy_in(assignment.source, course_dir, relative)
    return True


def generate(stage: Path, course: str, assignment: ModuleAssignment, db_url: str) -> Path:
    """nbgrader's generate_assignment on the module's source in STAGE (a private folder),
    recording into the course's gradebook; the folder of the student version it made."""
    shutil.copytree(assignment.source, stage / "source" / assignment.name)
    command = [
        sys.executable,
        "-m",
        "nbgrader",
        "generate_assignment",
        assignment.name,
        "--force",
        f"--CourseDirectory.course_id={course}",
        f"--CourseDirectory.root={stage}",
        f"--CourseDirectory.db_url={db_url}",
    ]
    safe_files.check_sqlite_url(db_url)
    with alembic_on_path():
        result = subprocess.run(command, cwd=stage, capture_output=True, text=True)
    if result.returncode != 0:
        raise CourseError(
            f"nbgrader could not generate {assignment}:\n{result.stdout[-1500:]}"
            f"{result.stderr[-1500:]}"
        )
    return stage / "release" / assignment.name


def release(store: ExchangeStore, folder: Path, course: str, assignment: str, force: bool) -> str:
    """Publish FOLDER (the staged student version, not the course's copy) to trainees."""
    files = {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and ".ipynb_checkpoints" not in path.parts
    }
    try:
        record = store.release(course, assignment, files, by="ungp course install", force=force)
    except AlreadyExists:
        return "already released (use --force to publish a new version)"
    return f"released as version {record.version}"


def install_modules(
    state_dir: Path,
    course: str,
    modules: tuple[str, ...] | list[str],
    modules_dir: Path,
    gradebook_template: str = "",
    force: bool = False,
) -> list[str]:
    """Install course modules into a course: assignments generated, recorded and released,
    lessons published (ungp_hub.lessons). Returns one line per step for the person running
    it. Running it again changes nothing."""
    from ..courses.folders import create_course_folder, hand_to_container_user
    from ..lessons import publish_module_lessons

    assignments = [a for module in modules for a in module_assignments(modules_dir, module)]
    folder = create_course_folder(state_dir, course, gradebook_template)
    db_url = gradebook_url(gradebook_template, course, folder)
    store = ExchangeStore(Path(state_dir) / "exchange")
    report = []
    for assignment in assignments:
        changed = copy_source(assignment, folder, force)
        if not changed and store.current_release(course, assignment.name, missing_ok=True):
            # Same source, already released: nbgrader would regenerate the same files.
            outcome = "already released (use --force to publish a new version)"
        else:
            with tempfile.TemporaryDirectory(prefix="ungp-install-") as stage:
                made = generate(Path(stage), course, assignment, db_url)
                safe_trees.copy_in(made, folder, f"release/{assignment.name}")
                outcome = release(store, made, course, assignment.name, force=force and changed)
        report.append(
            f"{assignment.module}/{assignment.name} ({assignment.points:g} points): {outcome}"
        )
    hand_to_container_user(folder)
    lessons = sum(
        len(publish_module_lessons(state_dir, course, modules_dir / module)) for module in modules
    )
    report.append(f"course {course}: {len(assignments)} assignments from {', '.join(modules)}")
    report.append(
        f"lessons: {lessons} files published (each member gets them in ~/lessons/{course} at "
        "their server's next start)"
    )
    return report
