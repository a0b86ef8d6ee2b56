"""``ungp grade COURSE ASSIGNMENT``: autograde every submission in sandboxes, in parallel."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .options import load, settings_option

if TYPE_CHECKING:
    from ..grader.run import RunSummary, SubmissionResult


def print_summary(console: Console, summary: RunSummary, log_path: Path) -> None:
    table = Table(title="Submissions")
    for column in ("student", "result", "score", "reasons"):
        table.add_column(column)
    for r in summary.results:
        score = "" if r.score is None else f"{r.score:g} / {r.max_score:g}"
        reasons = "; ".join(f"{k}: {v}" if k else v for k, v in r.reasons.items())
        table.add_row(r.student, r.status, score, reasons[:200])
    console.print(table)
    from ..grader.status import summary_line  # imports Docker: only when grading

    line = summary_line(summary.counts(), len(summary.results), summary.seconds)
    console.print(f"{line}. Log: {log_path}")


@click.command("grade")
@settings_option
@click.argument("course")
@click.argument("assignment")
@click.option("--student", "students", multiple=True, help="Grade only this trainee (repeat).")
@click.option("--force", is_flag=True, help="Grade again submissions already graded.")
@click.option("--pool-size", type=int, default=None, help="Sandboxes at once (default: settings).")
def grade(
    settings_file: str | None,
    course: str,
    assignment: str,
    students: tuple[str, ...],
    force: bool,
    pool_size: int | None,
) -> None:
    """Autograde ASSIGNMENT of COURSE: each submission in a fresh sandbox container.

    Scores go to the course's gradebook and the graded notebooks to autograded/, as with
    `nbgrader autograde`. Stopping it is safe: the next run grades what is left.
    """
    from ..grader.limits import GraderSetupError
    from ..grader.site import log_path, site_assignment, site_run

    settings = load(settings_file)
    work = site_assignment(settings, course, assignment)
    log_file = log_path(settings, course)
    console = Console()
    todo = list(students) or work.students()
    columns = (
        TextColumn("grading"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[last]}"),
    )
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("grade", total=len(todo), last="")

        def advance(result: SubmissionResult) -> None:
            progress.update(task, advance=1, last=f"{result.student}: {result.status}")

        run = site_run(settings, work, pool_size, on_result=advance)
        summary = run.grade(list(students) or None, force=force)
    print_summary(console, summary, log_file)
    if summary.counts().get("error"):
        raise GraderSetupError(
            f"{summary.counts()['error']} submissions could not be graded (see {log_file}); "
            "run the same command again to retry them"
        )
