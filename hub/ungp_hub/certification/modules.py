"""Has a candidate passed a course module? Read from the courses' nbgrader gradebooks.

A module is passed when every assignment the track file lists for it has, in some course's
gradebook, a submission by the candidate scoring >= pass_fraction x its maximum. The check is
a callable so the exam office can be tested (and a site can plug another record in).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .tracks import Module

log = logging.getLogger("ungp_hub.certification")


@dataclass(frozen=True)
class ModuleStatus:
    module: str
    passed: bool
    detail: str


ModuleCheck = Callable[[str, Module], ModuleStatus]


def best_scores(
    courses_dir: Path, gradebook_template: str, candidate: str, assignment: str
) -> tuple[float, float] | None:
    """(score, max_score) of the candidate's best graded submission across courses."""
    from nbgrader.api import MissingEntry

    from ..courses.folders import gradebook_url, open_gradebook
    from ..courses.safe_files import RefusedFile

    best: tuple[float, float] | None = None
    for folder in sorted(p for p in Path(courses_dir).glob("*") if p.is_dir()):
        url = gradebook_url(gradebook_template, folder.name, folder)
        if url.startswith("sqlite:///") and not Path(url[len("sqlite:///") :]).exists():
            continue
        try:
            with open_gradebook(url, folder.name) as gradebook:
                found = gradebook.find_submission(assignment, candidate)
                score, top = float(found.score), float(found.max_score)
        except MissingEntry:
            continue
        except RefusedFile as refused:
            log.warning("gradebook of course %s not read: %s", folder.name, refused)
            continue
        except Exception:  # a broken gradebook must not stop every exam: log and go on
            log.exception("cannot read the gradebook of course %s", folder.name)
            continue
        if top and (best is None or score / top > best[0] / best[1]):
            best = (score, top)
    return best


def gradebook_check(courses_dir: Path, gradebook_template: str = "") -> ModuleCheck:
    def check(candidate: str, module: Module) -> ModuleStatus:
        if not module.assignments:
            return ModuleStatus(module.id, False, f"{module.id} has no graded assignment yet")
        for assignment in module.assignments:
            found = best_scores(courses_dir, gradebook_template, candidate, assignment)
            if found is None:
                return ModuleStatus(module.id, False, f"no graded submission of {assignment}")
            score, top = found
            if score < module.pass_fraction * top:
                return ModuleStatus(
                    module.id,
                    False,
                    f"{assignment}: {score:g} of {top:g}, below the {module.pass_fraction:.0%} "
                    "needed",
                )
        return ModuleStatus(module.id, True, "passed")

    return check
