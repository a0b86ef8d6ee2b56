"""Grading a candidate's exam and issuing the credential on a pass.

Grading runs in the sandboxed grader (:func:`sandbox_runner`); a grader that fails is the
hub's fault, so the sitting waits and is graded at the service's next start.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nbformat

from .office import Runner
from .registry import Sitting

if TYPE_CHECKING:
    from .service import Context

log = logging.getLogger("ungp_hub.certification")


async def grade_and_issue(ctx: Context, sitting: Sitting) -> dict[str, Any]:
    """Grade a submitted sitting with the context's runner and issue on a pass.

    A runner that fails (no sandbox could start, Docker down) is the hub's fault, not the
    candidate's: the sitting stays ``submitted`` and is graded again at the service's next
    start (:func:`grade_waiting`), instead of scoring zero.
    """
    office = ctx.office
    notebook = office.to_grade(sitting)
    try:
        # The name first: a hub that cannot say it leaves the sitting waiting, as below.
        holder = await ctx.full_name(sitting.candidate) or sitting.candidate
        executed = await asyncio.get_running_loop().run_in_executor(None, ctx.runner, notebook)
    except Exception:
        log.exception(
            "grading sitting %s failed; it stays submitted and is retried at the "
            "next start of the service",
            sitting.id,
        )
        return {
            "grading": "waiting: the grader failed on the hub's side; your submission is "
            "stored and will be graded without a new attempt"
        }
    grade = office.record_grade(sitting, executed)
    track = office.programme.track(sitting.track)
    passed = grade.percent >= track.exam.pass_mark
    answer: dict[str, Any] = {
        "grade": grade.to_json(),
        "pass_mark": track.exam.pass_mark,
        "passed": passed,
    }
    if passed:
        issued = ctx.certifier.issue(
            sitting.candidate,
            holder,
            track,
            grade,
            sitting.submission_sha256 or "",
            sitting.id,
            ctx.clock(),
        )
        log.info("issued %s to %s (%s)", issued.id, issued.candidate, issued.track)
        answer["credential"] = {"id": issued.id, "verify": ctx.certifier.verify_url(issued.id)}
    return answer


async def grade_waiting(ctx: Context) -> int:
    """Grade the sittings left ``submitted`` (no grader then, or it failed); how many."""
    if ctx.runner is None:
        return 0
    waiting = [s for s in ctx.certifier.registry.sittings() if s.state == "submitted"]
    for sitting in waiting:
        log.info("grading sitting %s of %s, left waiting", sitting.id, sitting.candidate)
        await grade_and_issue(ctx, sitting)
    return len(waiting)


def sandbox_runner(settings_file: Path | None) -> Runner | None:
    """The sandboxed grader (:func:`ungp_hub.grader.run_notebook`) with the site settings'
    ``grader`` limits, read at each grading so that a user image built later is used."""
    try:
        from ungp_hub.grader import run_notebook
        from ungp_hub.grader.limits import SandboxLimits
    except ImportError:
        return None
    from ..settings.loader import load_settings

    def run(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
        limits = SandboxLimits.from_settings(load_settings(settings_file))
        return run_notebook(notebook, timeout=limits.cell_timeout, limits=limits)

    return run
