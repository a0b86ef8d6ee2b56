"""The exam office: who may sit which exam when, and what happens to a submission.

Every time comes from the hub's clock (the ``now`` the service passes in), never from the
candidate. Rules, each refused with a sentence that says what to do:

- the track must be open and its exam window (opens/closes) must include ``now``;
- the required modules must be passed in the gradebook;
- at most ``max_attempts`` sittings, a re-sit only ``days_between_attempts`` after the last
  one ended, none while a valid certificate of the track is held;
- the time limit starts at the first fetch; the deadline is the earlier of fetch + limit and
  the window's close; a submission after it is refused and the sitting ends as ``expired``.

Fetching again during a sitting returns the same notebook (same attempt, same variant).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import nbformat

from .errors import ExamRefused, NotFound
from .exams import (
    Exam,
    ExamGrade,
    ExamVariant,
    derive_variant,
    grade_exam,
    graded_notebook,
    load_exam,
    read_submission,
    render_notebook,
)
from .modules import ModuleCheck
from .registry import Registry, Sitting
from .tracks import Programme, Track

# Executes a notebook and returns it with its outputs: a sandbox on the hub, in-process in
# unit tests. The office never runs code itself (grading.grade_and_issue calls the runner).
Runner = Callable[[nbformat.NotebookNode], nbformat.NotebookNode]
ENDED = ("submitted", "graded", "expired")


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S %Z").strip()


@dataclass
class ExamOffice:
    """The rules of sitting an exam, kept apart from HTTP so they are tested with a fake
    clock; the service passes the hub's ``now`` and the caller's hub identity."""

    programme: Programme
    registry: Registry
    secret: bytes
    module_check: ModuleCheck
    submissions_dir: Path

    def exam(self, track: Track) -> Exam:
        """The track's exam as its folder defines it now (items, template, weights)."""
        return load_exam(self.programme.exam_dir(track.exam.id))

    def variant(self, sitting: Sitting) -> ExamVariant:
        """The sitting's own data, derived from the secret, the candidate and the attempt on
        every call: nothing to store, and fetch and grading see the same numbers."""
        track = self.programme.track(sitting.track)
        return derive_variant(self.exam(track), self.secret, sitting.candidate, sitting.attempt)

    # -- fetch ----------------------------------------------------------------------------
    def open_sitting(self, candidate: str, track_id: str, now: datetime) -> Sitting | None:
        """The sitting still in time, if any; one past its deadline is closed as ``expired``
        on the way, so an abandoned sitting counts as an attempt without a sweeper."""
        for sitting in self.registry.sittings(candidate, track_id):
            if sitting.state == "open":
                if now <= _at(sitting.deadline):
                    return sitting
                self.registry.update_sitting(sitting.id, state="expired")
        return None

    def start(
        self, candidate: str, track_id: str, now: datetime, holds_valid_certificate: bool = False
    ) -> Sitting:
        """The candidate's current sitting, or a new one if the rules allow it."""
        track = self.programme.track(track_id)
        current = self.open_sitting(candidate, track_id, now)
        if current is not None:
            return current
        if not track.offered:
            raise ExamRefused(f"track {track.id} is {track.status}: its exam is not offered")
        rules = track.exam
        if now < rules.opens:
            raise ExamRefused(f"the exam window of {rules.id} opens at {_when(rules.opens)}")
        if now >= rules.closes:
            raise ExamRefused(f"the exam window of {rules.id} closed at {_when(rules.closes)}")
        if holds_valid_certificate:
            raise ExamRefused(f"you already hold a valid {track.title}")
        missing = [
            status
            for module_id in track.required_modules
            if not (
                status := self.module_check(candidate, self.programme.modules[module_id])
            ).passed
        ]
        if missing:
            raise ExamRefused(
                "required modules not passed yet: "
                + "; ".join(f"{m.module} ({m.detail})" for m in missing)
            )
        past = [s for s in self.registry.sittings(candidate, track_id) if s.state in ENDED]
        if len(past) >= track.max_attempts:
            raise ExamRefused(
                f"you have used all {track.max_attempts} attempts at {rules.id}; ask a hub admin"
            )
        if past:
            ended = max(_at(s.submitted_at or s.deadline) for s in past)
            next_start = ended + timedelta(days=track.days_between_attempts)
            if now < next_start:
                raise ExamRefused(
                    f"a re-sit of {rules.id} is possible from {_when(next_start)} "
                    f"({track.days_between_attempts} days after your last attempt)"
                )
        deadline = min(now + rules.time_limit, rules.closes)
        return self.registry.add_sitting(
            candidate, track.id, rules.id, len(past) + 1, now, deadline
        )

    def notebook(self, sitting: Sitting) -> nbformat.NotebookNode:
        """The exam notebook for the sitting, rendered anew each fetch: fetching again gives
        the same variant, so a lost notebook costs the candidate nothing."""
        track = self.programme.track(sitting.track)
        return render_notebook(self.exam(track), self.variant(sitting))

    # -- submit ---------------------------------------------------------------------------
    def submit(self, candidate: str, track_id: str, data: bytes, now: datetime) -> Sitting:
        """Store a submission of the open sitting, or refuse it with the precise reason."""
        sittings = [s for s in self.registry.sittings(candidate, track_id) if s.state == "open"]
        if not sittings:
            raise NotFound(f"you have no open sitting of track {track_id}: fetch the exam first")
        sitting = sittings[-1]
        deadline = _at(sitting.deadline)
        if now > deadline:
            self.registry.update_sitting(sitting.id, state="expired")
            late = now - deadline
            raise ExamRefused(
                f"submission refused: received at {_when(now)}, {_minutes(late)} after your "
                f"time limit ended at {_when(deadline)} (exam fetched at "
                f"{_when(_at(sitting.fetched_at))}); this attempt counts as expired"
            )
        read_submission(data)  # refuse what is not a notebook before storing anything
        digest = hashlib.sha256(data).hexdigest()
        folder = self.submissions_dir / sitting.id
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "submission.ipynb").write_bytes(data)
        return self.registry.update_sitting(
            sitting.id, state="submitted", submitted_at=now.isoformat(), submission_sha256=digest
        )

    def submitted_notebook(self, sitting: Sitting) -> nbformat.NotebookNode:
        """The stored submission, read back (it was checked as a notebook before storing)."""
        data = (self.submissions_dir / sitting.id / "submission.ipynb").read_bytes()
        return read_submission(data)

    # -- grade ----------------------------------------------------------------------------
    def to_grade(self, sitting: Sitting) -> nbformat.NotebookNode:
        """The notebook the grader executes: the exam's own template with only the candidate's
        answer cells taken in, so edited data or test cells gain nothing."""
        track = self.programme.track(sitting.track)
        return graded_notebook(
            self.exam(track), self.variant(sitting), self.submitted_notebook(sitting)
        )

    def record_grade(self, sitting: Sitting, executed: nbformat.NotebookNode) -> ExamGrade:
        """Score the executed notebook and store the result on the sitting."""
        track = self.programme.track(sitting.track)
        grade = grade_exam(self.exam(track), self.variant(sitting), executed)
        self.registry.update_sitting(
            sitting.id,
            state="graded",
            score=grade.score,
            max_score=grade.max_score,
            passed=int(grade.percent >= track.exam.pass_mark),
            detail=json.dumps(grade.to_json(with_expected=True)),
        )
        return grade


def _minutes(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds < 120:
        return f"{seconds} s"
    return f"{seconds // 60} min"
