"""What an instructor's nbgrader does: release, collect, return feedback, over HTTP."""

from __future__ import annotations

import re
import shutil
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.exchange import abc
from traitlets import Float

from ...courses.gradebook_names import name_students
from .base import HubExchange, nbgrader_time


class HubReleaseAssignment(HubExchange, abc.ExchangeReleaseAssignment):
    late_grace_minutes = Float(
        0.0,
        help="""Minutes after the assignment's due date (set in the formgrader or with
        `nbgrader db assignment add --duedate`) during which submissions are still accepted
        and marked late; 0: none are accepted after the due date. Per assignment:
        `nbgrader release_assignment ps1 --HubReleaseAssignment.late_grace_minutes=60`.""",
    ).tag(config=True)

    def copy_files(self) -> None:
        course, assignment = self.require_course(), self.coursedir.assignment_id
        source = Path(self.coursedir.format_path(self.coursedir.release_directory, ".", assignment))
        if not source.is_dir():
            draft = Path(
                self.coursedir.format_path(self.coursedir.source_directory, ".", assignment)
            )
            if draft.is_dir():
                self.fail(
                    f"Assignment found in '{draft}' but not '{source}', run "
                    "`nbgrader generate_assignment` first."
                )
            self.fail(f"Assignment not found at: {source}")
        deadline = self._due_date(course, assignment)
        late_until = deadline + timedelta(minutes=self.late_grace_minutes) if deadline else None
        release = self.client().release(
            course,
            assignment,
            self.read_folder(source),
            force=self.force,
            deadline=deadline.isoformat() if deadline else None,
            late_until=late_until.isoformat() if late_until and self.late_grace_minutes else None,
        )
        self.log.info(
            "Released as: %s %s (version %s, deadline %s)",
            course,
            assignment,
            release["version"],
            release["deadline"] or "none",
        )

    def _due_date(self, course: str, assignment: str) -> datetime | None:
        """nbgrader keeps due dates as naive UTC in the gradebook."""
        try:
            with Gradebook(self.coursedir.db_url, course) as gradebook:
                due = gradebook.find_assignment(assignment).duedate
        except MissingEntry:
            return None
        return due.replace(tzinfo=UTC) if due else None


class HubCollect(HubExchange, abc.ExchangeCollect):
    def copy_files(self) -> None:
        course, assignment = self.require_course(), self.coursedir.assignment_id
        client = self.client()
        student = self.coursedir.student_id
        receipts = client.submissions(course, assignment, None if student in ("", "*") else student)
        by_student = defaultdict(list)
        for receipt in receipts:
            by_student[receipt["student"]].append(receipt)
        if not by_student:
            self.log.warning(
                "No submissions of '%s' for course '%s' to collect", assignment, course
            )
        for student, items in sorted(by_student.items()):
            chosen = self._choose(sorted(items, key=lambda r: r["submitted_at"]))
            self._collect_one(client, student, assignment, chosen)
        if by_student:
            self._name_students(client, course, set(by_student))

    def _name_students(self, client, course: str, collected: set[str]) -> None:
        """Put the hub's full names of the collected trainees into the gradebook (else the
        formgrader lists "None, None"); names already there are kept. A failure here loses
        no submission: it is logged and the collect goes on."""
        try:
            names = client.students(course)
            wanted = {student: names.get(student, "") for student in collected}
            named = name_students(self.coursedir.db_url, course, wanted, replace=False)
        except Exception as error:  # noqa: BLE001 - names are a convenience, collect stays
            self.log.warning("Could not record the trainees' names in the gradebook: %s", error)
            return
        if named:
            self.log.info("Recorded the names of %d trainees in the gradebook", len(named))

    def _choose(self, items: list[dict]) -> dict:
        """The latest; with --before-duedate the latest one that was not late (if any)."""
        if self.before_duedate:
            on_time = [item for item in items if not item["late"]]
            if on_time:
                return on_time[-1]
        return items[-1]

    def _collect_one(self, client, student: str, assignment: str, receipt: dict) -> None:
        dest = Path(
            self.coursedir.format_path(self.coursedir.submitted_directory, student, assignment)
        )
        timestamp = nbgrader_time(receipt["submitted_at"])
        if dest.is_dir():
            existing = (
                (dest / "timestamp.txt").read_text().strip()
                if (dest / "timestamp.txt").exists()
                else ""
            )
            if existing == timestamp or not (self.update or self.before_duedate):
                self.log.info(
                    "Submission already exists, use --update to update: %s %s", student, assignment
                )
                return
            self.log.info("Updating submission: %s %s", student, assignment)
            shutil.rmtree(dest)
        else:
            self.log.info("Collecting submission: %s %s", student, assignment)
        self.write_files(dest, client.submission_files(receipt["id"]))
        (dest / "timestamp.txt").write_text(timestamp)
        (dest / "submission_id.txt").write_text(receipt["id"])


class HubReleaseFeedback(HubExchange, abc.ExchangeReleaseFeedback):
    def copy_files(self) -> None:
        course, assignment = self.require_course(), self.coursedir.assignment_id
        client = self.client()
        receipts = client.submissions(course, assignment)
        by_time = {(r["student"], nbgrader_time(r["submitted_at"])): r["id"] for r in receipts}
        excluded = set(filter(None, self.coursedir.student_id_exclude.split(",")))
        pattern = self.coursedir.format_path(
            self.coursedir.feedback_directory, "(?P<student_id>[^/]+)", assignment, escape=True
        )
        student = self.coursedir.student_id or "*"
        glob_root = Path(
            self.coursedir.format_path(self.coursedir.feedback_directory, student, assignment)
        )
        released = 0
        for html in sorted(Path("/").glob(str(glob_root / "*.html").lstrip("/"))):
            match = re.match(pattern + re.escape("/") + r"(?P<notebook>[^/]+)\.html$", str(html))
            if not match or match["student_id"] in excluded:
                continue
            stamp_file = html.parent / "timestamp.txt"
            stamp = stamp_file.read_text().strip() if stamp_file.exists() else ""
            submission = by_time.get((match["student_id"], stamp))
            if submission is None:
                who = match["student_id"]
                self.log.error("No exchange submission of %s at %s; skipped %s", who, stamp, html)
                continue
            client.release_feedback(submission, match["notebook"], html.read_bytes())
            released += 1
            self.log.info(
                "Released feedback: %s %s %s", match["student_id"], assignment, match["notebook"]
            )
        self.log.info("Released %d feedback files for %s %s", released, course, assignment)
