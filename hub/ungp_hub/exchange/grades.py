"""Grade export of a course: one CSV row per trainee and assignment, from the gradebook."""

from __future__ import annotations

import csv
from pathlib import Path

COLUMNS = (
    "course",
    "assignment",
    "student",
    "duedate",
    "submitted_at",
    "seconds_late",
    "late_penalty",
    "score",
    "max_score",
)


def export_grades(db_url: str, course: str, out: Path) -> int:
    """Write the CSV; return the number of rows. Unsubmitted assignments score 0."""
    from nbgrader.api import MissingEntry

    from ..courses.folders import open_gradebook

    rows = []
    with open_gradebook(db_url, course) as gradebook:
        students = [student.id for student in gradebook.students]
        for assignment in gradebook.assignments:
            for student in students:
                try:
                    sub = gradebook.find_submission(assignment.name, student)
                except MissingEntry:
                    rows.append(
                        [
                            course,
                            assignment.name,
                            student,
                            assignment.duedate or "",
                            "",
                            "",
                            "",
                            0,
                            assignment.max_score,
                        ]
                    )
                    continue
                rows.append(
                    [
                        course,
                        assignment.name,
                        student,
                        assignment.duedate or "",
                        sub.timestamp or "",
                        sub.total_seconds_late,
                        sub.late_submission_penalty,
                        sub.score,
                        sub.max_score,
                    ]
                )
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    return len(rows)
