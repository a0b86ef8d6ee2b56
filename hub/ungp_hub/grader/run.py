"""One grading run: every submission of an assignment, in parallel sandboxes, resumable.

A submission is done when its record ``COURSE/.ungp-grader/ASSIGNMENT/TRAINEE.json`` exists
for the same submission timestamp; the record is written only after nbgrader has written the
autograded notebooks and committed the scores. A run that is killed halfway therefore loses
nothing already graded, and the next run grades the rest (and redoes the one that was in
flight, whose partial autograded folder nbgrader replaces).

The course folder is untrusted input (its instructors write it from their containers): the
run copies each submission's plain files into a private staging folder (links, FIFOs and
hard links are left out and named in the submission's reasons), nbgrader works there, and
the autograded folder is copied back with ``courses.safe_files`` (see docs/security.md).
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import queue
import re
import shutil
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass, field
from pathlib import Path

import docker
import nbformat
from nbgrader.api import Gradebook, MissingEntry

from ..courses import safe_files, safe_trees
from ..courses.folders import alembic_on_path, nbgrader_config
from .autograde import GradingContext, sandbox_autograde
from .executor import FORKABLE
from .gradebook import shared_engines
from .limits import GraderSetupError, SandboxLimits
from .namespace import shared_namespace
from .pool import WarmPool
from .sandbox import HOME, LABEL, split_pool

RECORDS = ".ungp-grader"
STAGING = ".grading"  # beside the course folders (course names never start with a dot)
IMPORTED = re.compile(r"^\s*(?:from|import)\s+([A-Za-z_][A-Za-z0-9_]*)", re.MULTILINE)
STATUSES = ("graded", "timed_out", "failed", "error", "skipped")
SMALL_FILE = 1 << 20  # records and timestamps: anything larger was not written by the hub


@dataclass
class SubmissionResult:
    student: str
    status: str  # one of STATUSES
    score: float | None = None
    max_score: float | None = None
    reasons: dict[str, str] = field(default_factory=dict)  # "notebook/grade_id" or notebook
    seconds: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)  # CPU-s by part in its sandboxes


@dataclass
class RunSummary:
    results: list[SubmissionResult]
    seconds: float

    def counts(self) -> Counter:
        return Counter(r.status for r in self.results)


@dataclass
class Assignment:
    course_dir: Path
    course: str
    name: str
    db_url: str
    late_penalty_per_hour: float = 0.0

    def submission_relative(self, student: str) -> str:
        return f"submitted/{student}/{self.name}"

    def record_relative(self, student: str) -> str:
        return f"{RECORDS}/{self.name}/{student}.json"

    def read_record(self, student: str) -> dict | None:
        """The student's grading record, or None if missing, unreadable or not plain."""
        try:
            record = json.loads(
                safe_files.read_bytes(self.course_dir, self.record_relative(student), SMALL_FILE)
            )
        except (OSError, ValueError, safe_files.RefusedFile):
            return None
        return record if isinstance(record, dict) else None

    def students(self) -> list[str]:
        return [
            student
            for student in safe_files.subfolders(self.course_dir, "submitted")
            if self.name in safe_files.subfolders(self.course_dir, f"submitted/{student}")
        ]

    def check_gradebook(self) -> None:
        """Refuse a SQLite gradebook in the course folder that is a link or a special file.

        SQLite opens the database and its journals by name, so this is a check before
        opening, not a guarantee (see docs/security.md: gradebooks as a remaining risk).
        """
        safe_files.check_sqlite_url(self.db_url)

    def notebooks(self) -> list[str]:
        self.check_gradebook()
        with alembic_on_path(), Gradebook(self.db_url, self.course) as gb:
            try:
                return sorted(n.name for n in gb.find_assignment(self.name).notebooks)
            except MissingEntry:
                return []

    def imported_packages(self) -> set[str]:
        """Top-level packages the instructor's source notebooks import (trusted code)."""
        found: set[str] = set()
        folder = f"source/{self.name}"
        for name in safe_files.file_names(self.course_dir, folder):
            if not name.endswith(".ipynb"):
                continue
            try:
                cells = json.loads(safe_files.read_bytes(self.course_dir, f"{folder}/{name}"))
                cells = cells.get("cells", [])
            except (OSError, ValueError, AttributeError, safe_files.RefusedFile):
                continue
            for cell in cells:
                source = cell.get("source", "")
                source = source if isinstance(source, str) else "".join(source)
                found |= set(IMPORTED.findall(source))
        return found

    def kernel(self) -> str:
        """The kernel of the assignment's notebooks, as the gradebook recorded it."""
        self.check_gradebook()
        with alembic_on_path(), Gradebook(self.db_url, self.course) as gb:
            for notebook in gb.find_assignment(self.name).notebooks:
                if notebook.kernelspec:
                    return json.loads(notebook.kernelspec).get("name") or "python3"
        return "python3"

    def timestamp(self, student: str) -> str:
        relative = f"{self.submission_relative(student)}/timestamp.txt"
        try:
            return safe_files.read_text(self.course_dir, relative, SMALL_FILE).strip()
        except (OSError, safe_files.RefusedFile):
            return ""

    def is_done(self, student: str) -> bool:
        record = self.read_record(student)
        return record is not None and record.get("timestamp") == self.timestamp(student)


def invalid_notebooks(folder: Path, names: list[str]) -> dict[str, str]:
    """Notebooks of a submission that nbgrader could not read, with the reason."""
    problems = {}
    for name in names:
        path = folder / f"{name}.ipynb"
        if not path.is_file():
            continue  # nbgrader itself scores a missing notebook zero
        try:
            nbformat.validate(nbformat.read(path, as_version=4))
        except Exception as error:  # noqa: BLE001 - json, schema, encoding: all "invalid"
            problems[name] = f"not a valid notebook ({type(error).__name__}); it scores zero"
    return problems


class GradingRun:
    def __init__(
        self,
        assignment: Assignment,
        limits: SandboxLimits,
        pool_size: int,
        client: docker.DockerClient,
        log: logging.Logger | None = None,
        on_result: Callable[[SubmissionResult], None] = lambda r: None,
    ):
        self.assignment = assignment
        self.limits = limits
        self.pool_size = max(1, pool_size)
        self.client = client
        self.log = log or logging.getLogger("ungp_hub.grader")
        self.on_result = on_result

    def labels(self) -> dict[str, str]:
        return {f"{LABEL}.course": self.assignment.course}

    def remove_leftovers(self) -> int:
        """Sandboxes of this course left by a killed run."""
        found = self.client.containers.list(
            all=True, filters={"label": f"{LABEL}.course={self.assignment.course}"}
        )
        for container in found:
            try:
                container.remove(force=True, v=True)
            except docker.errors.APIError:
                pass
        return len(found)

    def grade(self, students: list[str] | None = None, force: bool = False) -> RunSummary:
        with self._only_run():
            return self._grade(students, force)

    @contextmanager
    def _only_run(self) -> Iterator[None]:
        """One run per course at a time (a second one would remove the first one's sandboxes).

        An flock: released by the kernel when the process dies, so a killed run never blocks
        the next one.
        """
        fd = safe_files.open_lock(self.assignment.course_dir, f"{RECORDS}/run.lock")
        with open(fd, "w") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise GraderSetupError(
                    f"another `ungp grade` is grading course {self.assignment.course}; "
                    "wait for it to finish (or stop it) and run this again"
                ) from None
            yield

    def _grade(self, students: list[str] | None, force: bool) -> RunSummary:
        started = time.monotonic()
        cwd = Path.cwd()
        self.remove_leftovers()
        a = self.assignment
        present = a.students()
        wanted = students or present
        results: list[SubmissionResult] = []
        todo = []
        for student in wanted:
            if student not in present:
                results.append(SubmissionResult(student, "error", reasons={"": "no submission"}))
            elif a.is_done(student) and not force:
                results.append(self._skipped(student))
            else:
                todo.append(student)
        for result in results:
            self.on_result(result)
        notebooks = a.notebooks()
        work: queue.Queue[str] = queue.Queue()
        for student in todo:
            work.put(student)
        workdir = f"{HOME}/{a.name}"
        running, warm = split_pool(self.pool_size)
        limits = self.limits.with_kernel(a.kernel()).for_packages(a.imported_packages())
        # One network namespace for the run's sandboxes (see grader.namespace); kernels that
        # listen on TCP (not forked: R) get one each.
        namespace = nullcontext("none")
        if limits.kernel in FORKABLE and todo:
            namespace = shared_namespace(self.client, limits, self.labels())
        self._stage = self._staging_folder()
        self.source_skipped = self._stage_source()
        with namespace as network:
            pool = WarmPool(
                self.client, limits, workdir, warm, len(todo), labels=self.labels(), network=network
            )
            context = GradingContext(pool=pool)
            lock = threading.Lock()

            def worker() -> None:
                while True:
                    try:
                        student = work.get_nowait()
                    except queue.Empty:
                        return
                    result = self._grade_one(context, student, notebooks)
                    with lock:
                        results.append(result)
                    self.on_result(result)

            threads = [threading.Thread(target=worker, daemon=True) for _ in range(running)]
            # nbgrader sets and deletes this around each notebook; set for the whole run, its
            # per-thread set/delete becomes a no-op instead of a KeyError between threads.
            previous = os.environ.get("NBGRADER_EXECUTION")
            os.environ["NBGRADER_EXECUTION"] = "autograde"
            try:
                with shared_engines():
                    for thread in threads:
                        thread.start()
                    for thread in threads:
                        thread.join()
            finally:
                pool.close()
                os.chdir(cwd)  # nbgrader's converters chdir into the course folder
                if previous is None:
                    os.environ.pop("NBGRADER_EXECUTION", None)
                else:
                    os.environ["NBGRADER_EXECUTION"] = previous
                shutil.rmtree(self._stage, ignore_errors=True)
        results.sort(key=lambda r: r.student)
        return RunSummary(results, time.monotonic() - started)

    def _staging_folder(self) -> Path:
        """COURSES/.grading/COURSE: beside the course folders, so private to the hub (an
        instructor's container mounts only their course's folder). Made afresh by each run,
        which holds the course's lock: a killed run's copies go at the next run."""
        folder = self.assignment.course_dir.parent / STAGING / self.assignment.course_dir.name
        shutil.rmtree(folder, ignore_errors=True)
        folder.parent.mkdir(mode=0o700, exist_ok=True)
        os.chmod(folder.parent, 0o700)
        folder.mkdir(mode=0o700)
        return folder

    def _stage_source(self) -> list[safe_trees.Skipped]:
        """The assignment's source files (not notebooks: the gradebook has those), staged."""
        a = self.assignment
        target = self._stage / "source" / a.name
        try:
            skipped = safe_trees.copy_out(a.course_dir, f"source/{a.name}", target, (".ipynb",))
        except FileNotFoundError:
            target.mkdir(parents=True, exist_ok=True)
            return []
        for item in skipped:
            self.log.warning("source/%s/%s not used: %s", a.name, item.path, item.reason)
        return skipped

    def _stage_submission(self, student: str) -> dict[str, str]:
        """Copy the submission's plain files to the staging folder; what was left out, why."""
        a = self.assignment
        relative = a.submission_relative(student)
        skipped = safe_trees.copy_out(a.course_dir, relative, self._stage / relative)
        reasons = {}
        for item in skipped:
            self.log.warning("%s/%s not graded: %s", relative, item.path, item.reason)
            reasons[f"file {item.path}"] = (
                f"left out: {item.reason} (the grader copies only plain files)"
            )
        return reasons

    def _publish(self, student: str) -> None:
        """The staged autograded folder copied into the course folder, replacing the old one."""
        relative = f"autograded/{student}/{self.assignment.name}"
        made = self._stage / relative
        if made.is_dir():
            safe_trees.copy_in(made, self.assignment.course_dir, relative)

    def _skipped(self, student: str) -> SubmissionResult:
        record = self.assignment.read_record(student) or {}
        return SubmissionResult(
            student,
            "skipped",
            record.get("score"),
            record.get("max_score"),
            record.get("reasons", {}),
        )

    def _grade_one(self, context: GradingContext, student: str, notebooks: list[str]):
        a = self.assignment
        started = time.monotonic()
        left_out: dict[str, str] = {}
        try:
            a.check_gradebook()  # again for each submission: the instructor may plant one now
            left_out = self._stage_submission(student)
            invalid = invalid_notebooks(self._stage / a.submission_relative(student), notebooks)
            if invalid:
                with context.lock:
                    self._zero(student, notebooks)
                result = SubmissionResult(student, "failed", reasons=invalid)
            else:
                result = self._convert(context, student)
            result.reasons.update(left_out)
            with context.lock:
                result.score, result.max_score = self._score(student)
        except Exception as error:  # noqa: BLE001 - one submission's failure stops nothing
            self.log.exception("grading %s failed", student)
            reasons = {"": str(error)[:500], **left_out}
            return SubmissionResult(
                student, "error", reasons=reasons, seconds=time.monotonic() - started
            )
        result.seconds = time.monotonic() - started
        self._write_record(result)
        return result

    def _convert(self, context: GradingContext, student: str) -> SubmissionResult:
        a = self.assignment
        config = nbgrader_config(self._stage, a.course, a.db_url, a.name)
        config.CourseDirectory.student_id = student
        config.Autograde.force = True
        if a.late_penalty_per_hour:
            config.AssignLatePenalties.plugin_class = "ungp_hub.exchange.client.late.PenaltyPerHour"
            config.PenaltyPerHour.points_per_hour = a.late_penalty_per_hour
        from nbgrader.coursedir import CourseDirectory

        with context.lock:
            coursedir = CourseDirectory(config=config)
            converter = sandbox_autograde(context, coursedir=coursedir, config=config, log=self.log)
            with alembic_on_path():
                converter.start()  # raises NbGraderException if the submission failed
            self._publish(student)
        outcomes = {nb: o for (s, nb), o in list(context.outcomes.items()) if s == student}
        deleted = {nb: o.deleted for nb, o in outcomes.items() if o.deleted}
        if deleted:
            with context.lock:
                self._zero(student, list(deleted), only=deleted)
        reasons = {
            f"{nb}/{cell}": why
            for nb, o in outcomes.items()
            for cell, why in o.failed_cells.items()
        }
        statuses = {o.status for o in outcomes.values()}
        if "timed_out" in statuses:
            status = "timed_out"
        elif statuses - {"ok"}:
            status = "failed"
        else:
            status = "graded"
        cpu: Counter = Counter()
        for outcome in outcomes.values():
            cpu.update(outcome.cpu)
        return SubmissionResult(student, status, reasons=reasons, cpu=dict(cpu))

    def _zero(
        self, student: str, notebooks: list[str], only: dict[str, list[str]] | None = None
    ) -> None:
        """Score zero every grade of these notebooks (or only the grade_ids in ``only``)."""
        a = self.assignment
        with alembic_on_path(), Gradebook(a.db_url, a.course) as gb:
            gb.update_or_create_student(student)
            if only is None:
                gb.update_or_create_submission(a.name, student)
            for name in notebooks:
                for grade in gb.find_submission_notebook(name, a.name, student).grades:
                    if only is not None and grade.name not in only.get(name, []):
                        continue
                    grade.auto_score = 0
                    grade.needs_manual_grade = False
            gb.db.commit()

    def _score(self, student: str) -> tuple[float | None, float | None]:
        a = self.assignment
        with Gradebook(a.db_url, a.course) as gb:
            try:
                submission = gb.find_submission(a.name, student)
            except MissingEntry:
                return None, None
            return submission.score, submission.max_score

    def _write_record(self, result: SubmissionResult) -> None:
        a = self.assignment
        record = {**asdict(result), "timestamp": a.timestamp(result.student)}
        data = json.dumps(record, indent=1).encode()
        safe_files.write_bytes(a.course_dir, a.record_relative(result.student), data)
