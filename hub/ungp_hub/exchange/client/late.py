"""A late penalty in points per hour started, applied by nbgrader's autograde."""

from __future__ import annotations

import math

from nbgrader.plugins import LateSubmissionPlugin
from traitlets import Float


class PenaltyPerHour(LateSubmissionPlugin):
    """Subtract ``points_per_hour`` for each hour (or part) late, never below zero."""

    points_per_hour = Float(0.0, help="Points taken off per started hour late; 0: no penalty.").tag(
        config=True
    )

    def late_submission_penalty(self, student_id: str, score: float, total_seconds_late: float):
        if total_seconds_late <= 0 or not self.points_per_hour:
            return None
        hours = math.ceil(total_seconds_late / 3600)
        return min(score, hours * self.points_per_hour)
