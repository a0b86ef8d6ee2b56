"""A course module's kept submissions graded by the sandboxed grader, as an instructor would:
nbgrader's generate_assignment on the module's source, then every kept submission (and the
source and released notebooks) collected and graded in sandboxes."""

from __future__ import annotations

import shutil
from pathlib import Path

from testpolicy import REPO_ROOT
from ungp_hub.courses.folders import alembic_on_path, create_course_folder
from ungp_hub.grader.limits import SandboxLimits
from ungp_hub.grader.run import Assignment, GradingRun
from ungp_hub.testing.course import TestCourse


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

    name = assignment.replace("_", "-")
    folder = create_course_folder(state_dir, name)
    module_dir = REPO_ROOT / "courses" / module
    shutil.copytree(module_dir / "source" / assignment, folder / "source" / assignment)
    course = TestCourse(folder, name, assignment, notebook.removesuffix(".ipynb"))
    course.generate()
    kept = {"source": folder / "source" / assignment, "released": folder / "release" / assignment}
    submissions = module_dir / "submissions" / assignment
    kept.update({p.name: p for p in sorted(submissions.iterdir()) if p.is_dir()})
    for trainee, source in kept.items():
        course.submit(trainee, (source / notebook).read_bytes())
    work = Assignment(folder, name, assignment, course.db_url)
    GradingRun(work, limits, 2, client).grade()
    with alembic_on_path(), Gradebook(course.db_url, name) as gradebook:
        return {s: float(gradebook.find_submission(assignment, s).score) for s in kept}
