"""A course module's kept submissions graded by the sandboxed grader, as an instructor would:
nbgrader's generate_assignment on the module's source, then every kept submission (and the
source and released notebooks) collected and graded in sandboxes."""

from __future__ import annotations

import shutil
from pathlib import Path

from testpolicy import REPO_ROOT
from ungp_hub.courses.folders import alembic_on_path, create_course_folder, gradebook_url
from ungp_hub.grader.limits import SandboxLimits
from ungp_hub.grader.run import Assignment, GradingRun


def grade_kept_submissions(
    state_dir: Path,
    module: str,
    assignment: str,
    notebook: str,
    limits: SandboxLimits,
    client,  # noqa: ANN001 - docker.DockerClient
) -> dict[str, float]:
    """nbgrader's generate_assignment, then the sandboxed grader, on every kept submission."""
    from nbgrader.api import Gradebook
    from nbgrader.converters import GenerateAssignment
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config

    course = assignment.replace("_", "-")
    folder = create_course_folder(state_dir, course)
    module_dir = REPO_ROOT / "courses" / module
    shutil.copytree(module_dir / "source" / assignment, folder / "source" / assignment)
    db_url = gradebook_url("", course, folder)
    config = Config()
    config.CourseDirectory.root = str(folder)
    config.CourseDirectory.course_id = course
    config.CourseDirectory.db_url = db_url
    config.CourseDirectory.assignment_id = assignment
    config.GenerateAssignment.force = True
    with alembic_on_path():
        GenerateAssignment(coursedir=CourseDirectory(config=config), config=config).start()
    kept = {"source": folder / "source" / assignment, "released": folder / "release" / assignment}
    submissions = module_dir / "submissions" / assignment
    kept.update({p.name: p for p in sorted(submissions.iterdir()) if p.is_dir()})
    for student, source in kept.items():
        target = folder / "submitted" / student / assignment
        target.mkdir(parents=True)
        shutil.copy(source / notebook, target / notebook)
        (target / "timestamp.txt").write_text("2026-01-10 10:00:00.000000 UTC")
    work = Assignment(folder, course, assignment, db_url)
    GradingRun(work, limits, 2, client).grade()
    with alembic_on_path(), Gradebook(db_url, course) as gradebook:
        return {s: float(gradebook.find_submission(assignment, s).score) for s in kept}
