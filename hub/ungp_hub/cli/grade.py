"""``ungp grade COURSE ASSIGNMENT``: autograde every submission in sandboxes, in parallel."""

from __future__ import annotations

import logging
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..engine import docker_client_or_none, how_to_get_docker
from ..exchange.courses import CourseError, check_course_name, courses_dir
from ..exchange.courses import gradebook_url as course_gradebook_url
from ..grader.limits import GraderSetupError, SandboxLimits, memory_bytes
from ..grader.run import Assignment, GradingRun, RunSummary, SubmissionResult
from ..grader.sandbox import default_pool_size
from .options import load, settings_option


def _file_log(path: Path) -> logging.Logger:
    path.parent.mkdir(parents=True, exist_ok=True)
    log = logging.getLogger(f"ungp_hub.grader.{path.stem}")
    log.propagate = False
    log.setLevel(logging.INFO)
    if not log.handlers:
        handler = logging.FileHandler(path)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        log.addHandler(handler)
    return log


def print_summary(console: Console, summary: RunSummary, log_path: Path) -> None:
    table = Table(title="Submissions")
    for column in ("student", "result", "score", "reasons"):
        table.add_column(column)
    for r in summary.results:
        score = "" if r.score is None else f"{r.score:g} / {r.max_score:g}"
        reasons = "; ".join(f"{k}: {v}" if k else v for k, v in r.reasons.items())
        table.add_row(r.student, r.status, score, reasons[:200])
    console.print(table)
    counts = summary.counts()
    parts = [f"{counts.get(s, 0)} {s.replace('_', ' ')}" for s in
             ("graded", "failed", "timed_out", "error", "skipped")]  # fmt: skip
    console.print(f"{len(summary.results)} submissions in {summary.seconds:.0f} s: "
                  + ", ".join(parts) + f". Log: {log_path}")  # fmt: skip


@click.command("grade")
@settings_option
@click.argument("course")
@click.argument("assignment")
@click.option("--student", "students", multiple=True, help="Grade only this trainee (repeat).")
@click.option("--force", is_flag=True, help="Grade again submissions already graded.")
@click.option("--pool-size", type=int, default=None, help="Sandboxes at once (default: settings).")
def grade(settings_file: str | None, course: str, assignment: str, students: tuple[str, ...],
          force: bool, pool_size: int | None) -> None:  # fmt: skip
    """Autograde ASSIGNMENT of COURSE: each submission in a fresh sandbox container.

    Scores go to the course's gradebook and the graded notebooks to autograded/, as with
    `nbgrader autograde`. Stopping it is safe: the next run grades what is left.
    """
    settings = load(settings_file)
    check_course_name(course)
    folder = courses_dir(settings.state_dir) / course
    if not folder.is_dir():
        raise CourseError(f"course {course} does not exist (no folder {folder})")
    client = docker_client_or_none()
    if client is None:
        raise GraderSetupError(f"the grader needs Docker: {how_to_get_docker()}")
    limits = SandboxLimits.from_settings(settings)
    size = (
        pool_size
        or settings.get("grader.pool_size")
        or default_pool_size(memory_bytes(limits.memory))
    )
    url = course_gradebook_url(settings.get("courses.gradebook_url"), course, folder)
    work = Assignment(folder, course, assignment, url,
                      float(settings.get("courses.late_penalty_per_hour")))  # fmt: skip
    if not work.notebooks():
        raise CourseError(f"assignment {assignment} is not in the gradebook of {course}: "
                          "run `nbgrader generate_assignment` first")  # fmt: skip
    log_path = settings.state_dir / "logs" / f"grader-{course}.log"
    console = Console()
    todo = list(students) or work.students()
    columns = (TextColumn("grading"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
               TextColumn("{task.fields[last]}"))  # fmt: skip
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("grade", total=len(todo), last="")

        def advance(result: SubmissionResult) -> None:
            progress.update(task, advance=1, last=f"{result.student}: {result.status}")

        run = GradingRun(work, limits, size, client, _file_log(log_path), on_result=advance)
        summary = run.grade(list(students) or None, force=force)
    print_summary(console, summary, log_path)
    if summary.counts().get("error"):
        raise GraderSetupError(
            f"{summary.counts()['error']} submissions could not be graded (see {log_path}); "
            "run the same command again to retry them"
        )
