"""The status of an assignment's grading, one JSON shape for the CLI, the service and formgrader.

While a run goes, the service keeps its status in memory; otherwise (after a restart, or for
a run made with ``ungp grade``) it is rebuilt from the per-submission records that
``GradingRun`` writes, so what was graded is always reported.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from ..courses import safe_files
from .run import RECORDS, STATUSES, Assignment, SubmissionResult

SHOWN = ("graded", "failed", "timed_out", "error", "skipped")


def summary_line(counts: Counter | dict[str, int], total: int, seconds: float | None) -> str:
    """``3 submissions in 12 s: 2 graded, 1 failed, 0 timed out, 0 error, 0 skipped``."""
    parts = ", ".join(f"{counts.get(s, 0)} {s.replace('_', ' ')}" for s in SHOWN)
    took = "" if seconds is None else f" in {seconds:.0f} s"
    return f"{total} submissions{took}: {parts}"


@dataclass
class GradingStatus:
    course: str
    assignment: str
    state: str = "idle"  # idle | running | done | failed
    total: int = 0
    results: list[SubmissionResult] = field(default_factory=list)
    started_at: str | None = None
    finished_at: str | None = None
    seconds: float | None = None
    message: str = ""

    @property
    def counts(self) -> Counter:
        return Counter(r.status for r in self.results)

    @property
    def summary(self) -> str:
        return summary_line(self.counts, self.total or len(self.results), self.seconds)

    def to_json(self) -> dict[str, Any]:
        counts = self.counts
        return {
            "course": self.course,
            "assignment": self.assignment,
            "state": self.state,
            "total": self.total,
            "done": len(self.results),
            "counts": {s: counts.get(s, 0) for s in STATUSES},
            "summary": self.summary,
            "message": self.message,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "seconds": self.seconds,
            "results": [asdict(r) for r in sorted(self.results, key=lambda r: r.student)],
        }


def status_from_records(assignment: Assignment) -> GradingStatus:
    """What earlier runs graded (records of submissions still current are 'graded' etc.)."""
    status = GradingStatus(assignment.course, assignment.name)
    names = safe_files.file_names(assignment.course_dir, f"{RECORDS}/{assignment.name}")
    for name in names:
        student = name.removesuffix(".json")
        record = assignment.read_record(student) if name.endswith(".json") else None
        if record is None:
            continue
        status.results.append(
            SubmissionResult(
                student,
                record.get("status", "error"),
                record.get("score"),
                record.get("max_score"),
                record.get("reasons", {}),
                record.get("seconds", 0.0),
            )
        )
    status.total = len(status.results)
    status.state = "done" if status.results else "idle"
    return status
