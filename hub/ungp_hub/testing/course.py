"""A real nbgrader course folder with submissions, for the grader's tests and benchmark.

``TestCourse.make`` writes the instructor's source notebook, runs nbgrader's own
``generate_assignment`` (which fills the gradebook with the locked cells and hidden tests),
and ``submit`` puts a trainee's notebook where ``nbgrader collect`` would.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from ..courses.folders import (
    alembic_on_path,
    create_course_folder,
    gradebook_url,
    nbgrader_config,
)


@dataclass
class TestCourse:
    """A course folder made by the product's own ``create_course_folder``, so the grader
    is tested on the layout and gradebook the hub really makes."""

    __test__ = False  # not a pytest class

    folder: Path
    name: str
    assignment: str
    notebook: str

    @property
    def db_url(self) -> str:
        """The gradebook by the hub's rule (SQLite in the folder)."""
        return gradebook_url("", self.name, self.folder)

    @classmethod
    def make(
        cls,
        state_dir: Path,
        name: str,
        assignment: str,
        source: str,
        notebook: str = "answers",
        files: dict[str, bytes] | None = None,
    ) -> TestCourse:
        """Write the source notebook (and extra ``files``), then generate the assignment."""
        folder = create_course_folder(state_dir, name)
        src = folder / "source" / assignment
        src.mkdir(parents=True, exist_ok=True)
        (src / f"{notebook}.ipynb").write_text(source)
        for relative, content in (files or {}).items():
            (src / relative).parent.mkdir(parents=True, exist_ok=True)
            (src / relative).write_bytes(content)
        course = cls(folder, name, assignment, notebook)
        course.generate()
        return course

    def generate(self) -> None:
        """nbgrader's generate_assignment, in this process (a subprocess costs seconds)."""
        from nbgrader.converters import GenerateAssignment
        from nbgrader.coursedir import CourseDirectory

        config = nbgrader_config(self.folder, self.name, self.db_url, self.assignment)
        config.GenerateAssignment.force = True
        coursedir = CourseDirectory(config=config)
        with alembic_on_path():
            GenerateAssignment(coursedir=coursedir, config=config).start()

    def nbgrader(
        self, *args: str, timeout: int = 900, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess:
        """Stock nbgrader, run in the course folder with the venv's bin first on PATH."""
        bin_dir = Path(sys.executable).parent
        env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(self.folder), **(env or {})}
        command = [
            str(bin_dir / "nbgrader"),
            *args,
            f"--CourseDirectory.db_url={self.db_url}",
            f"--CourseDirectory.course_id={self.name}",
        ]
        result = subprocess.run(
            command, cwd=self.folder, env=env, capture_output=True, text=True, timeout=timeout
        )
        if result.returncode != 0 and args[0] != "autograde":
            raise RuntimeError(f"nbgrader {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result

    def released(self) -> dict:
        """The released notebook, the base of every answer a test submits."""
        path = self.folder / "release" / self.assignment / f"{self.notebook}.ipynb"
        return json.loads(path.read_text())

    def submit(
        self,
        trainee: str,
        notebook_text: str | bytes,
        timestamp: str = "2026-01-10 10:00:00.000000 UTC",
    ) -> Path:
        """Put a notebook where ``nbgrader collect`` would, replacing an earlier one: the
        grader's records key on the timestamp, so a new one means a new submission."""
        folder = self.folder / "submitted" / trainee / self.assignment
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        data = notebook_text.encode() if isinstance(notebook_text, str) else notebook_text
        (folder / f"{self.notebook}.ipynb").write_bytes(data)
        (folder / "timestamp.txt").write_text(timestamp)
        return folder

    def answer(
        self, replacements: dict[str, str], kernel: str | None = None, drop: tuple[str, ...] = ()
    ) -> str:
        """The released notebook with the cells of ``replacements`` (grade_id -> source)."""
        nb = self.released()
        cells = []
        for cell in nb["cells"]:
            grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
            if grade_id in drop:
                continue
            if grade_id in replacements:
                cell["source"] = replacements[grade_id]
            cells.append(cell)
        nb["cells"] = cells
        if kernel:
            nb["metadata"]["kernelspec"] = {
                "name": kernel,
                "display_name": kernel,
                "language": "python",
            }
        return json.dumps(nb, indent=1)

    def scores(self) -> dict[str, dict[str, float]]:
        """trainee -> {grade_id: auto_score} from the gradebook."""
        from nbgrader.api import Gradebook

        out: dict[str, dict[str, float]] = {}
        with Gradebook(self.db_url, self.name) as gb:
            for submission in gb.assignment_submissions(self.assignment):
                for nb in submission.notebooks:
                    for grade in nb.grades:
                        out.setdefault(submission.student_id, {})[grade.name] = grade.score
        return out
