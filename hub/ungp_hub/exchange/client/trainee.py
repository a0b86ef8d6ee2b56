"""What a trainee's JupyterLab does: fetch, submit (with a receipt), list, fetch feedback."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from nbgrader.exchange import abc

from .base import NOT_SENT, HubExchange, nbgrader_time


class HubFetchAssignment(HubExchange, abc.ExchangeFetchAssignment):
    def copy_files(self) -> None:
        course, assignment = self.require_course(), self.coursedir.assignment_id
        dest = self.assignment_path(course, assignment)
        if dest.is_dir() and not self.replace_missing_files:
            self.fail(f"You already have a copy of the assignment in this directory: {dest}")
        files = self.client().fetch(course, assignment)
        self.write_files(dest, files, only_missing=self.replace_missing_files)
        self.log.info("Fetched as: %s %s", course, assignment)


class HubSubmit(HubExchange, abc.ExchangeSubmit):
    def copy_files(self) -> None:
        course, assignment = self.require_course(), self.coursedir.assignment_id
        source = self.assignment_path(course, assignment)
        if not source.is_dir():
            self.fail(f"Assignment not found at: {source}")
        files = self.read_folder(source, skip=NOT_SENT)
        size = sum(len(content) for content in files.values())
        if self.max_submission_mb and size > self.max_submission_mb * 1e6:
            self.fail(
                f"the submission is {size / 1e6:.1f} MB, more than the limit of "
                f"{self.max_submission_mb:g} MB; remove data files or outputs and try again"
            )
        client = self.client()
        self._check_notebooks(client, course, assignment, files)
        receipt = client.submit(course, assignment, files)
        self.write_receipt(source, receipt)
        self.log.info(
            "Submitted as: %s %s %s", course, assignment, nbgrader_time(receipt["submitted_at"])
        )
        self.log.info(
            "Receipt %s: sha256 %s, %d files, received %s%s (saved in %s/receipts/)",
            receipt["id"],
            receipt["sha256"],
            len(receipt["files"]),
            receipt["submitted_at"],
            " LATE" if receipt["late"] else "",
            source.name,
        )

    def _check_notebooks(self, client, course: str, assignment: str, files: dict) -> None:
        released = next((r for r in client.releases(course) if r["assignment"] == assignment), None)
        if released is None:
            return  # the service answers with the clear refusal
        expected = {name for name in released["files"] if name.endswith(".ipynb")}
        missing = sorted(expected - set(files))
        if missing and self.strict:
            self.fail(f"Assignment {assignment} not submitted: missing notebooks {missing}")
        if missing:
            self.log.warning("Notebooks missing from the submission: %s", ", ".join(missing))

    @staticmethod
    def write_receipt(folder: Path, receipt: dict[str, Any]) -> Path:
        """One file per submission (never overwritten): the trainee's proof."""
        receipts = folder / "receipts"
        receipts.mkdir(exist_ok=True)
        path = receipts / f"{receipt['id']}.json"
        with open(path, "x") as handle:
            json.dump(receipt, handle, indent=2)
        return path


class HubFetchFeedback(HubExchange, abc.ExchangeFetchFeedback):
    def copy_files(self) -> None:
        course, assignment = self.require_course(), self.coursedir.assignment_id or None
        client = self.client()
        items = client.feedback(course, assignment)
        if not items:
            self.log.warning("No feedback for %s %s yet", course, assignment or "")
        for item in items:
            folder = self.assignment_path(course, item["assignment"]) / "feedback"
            target = folder / nbgrader_time(item["submitted_at"]) / f"{item['notebook']}.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(client.feedback_html(item["id"]))
            self.log.info("Fetched feedback: %s", target)


class HubList(HubExchange, abc.ExchangeList):
    def copy_files(self) -> None:
        pass

    def list_files(self) -> list[dict[str, Any]]:
        client = self.client()
        roles = client.courses()
        courses = [self.coursedir.course_id] if self.coursedir.course_id else sorted(roles)
        assignment = self.coursedir.assignment_id or None
        if self.inbound or self.cached:
            student = None if self.inbound else self._me(client)
            rows = [
                info
                for course in courses
                for info in self._submitted(client, course, assignment, student)
            ]
            grouped = _group_submissions(rows)
            self.log.info("Submitted assignments:")
            for group in grouped:
                for info in group["submissions"]:
                    self.log.info(
                        "%s %s %s %s (receipt %s)",
                        info["course_id"],
                        info["student_id"],
                        info["assignment_id"],
                        info["timestamp"],
                        info["submission_id"],
                    )
            return grouped
        released = [
            self._released(course, release)
            for course in courses
            for release in client.releases(course)
            if not assignment or release["assignment"] == assignment
        ]
        self.log.info("Released assignments:")
        for info in released:
            fetched = " (already downloaded)" if info["status"] == "fetched" else ""
            self.log.info("%s %s%s", info["course_id"], info["assignment_id"], fetched)
        return released

    def remove_files(self) -> None:
        self.fail("the hub's exchange keeps every release and submission; nothing is removed")

    def _me(self, client) -> str:
        return client.call("GET", "/courses")["user"]

    def _released(self, course: str, release: dict[str, Any]) -> dict[str, Any]:
        local = self.assignment_path(course, release["assignment"])
        fetched = local.is_dir()
        notebooks = (
            sorted(local.glob("*.ipynb"))
            if fetched
            else [
                Path(name)
                for name in release["files"]
                if name.endswith(".ipynb") and "/" not in name
            ]
        )
        return {
            "course_id": course,
            "assignment_id": release["assignment"],
            "status": "fetched" if fetched else "released",
            "path": str(local) if fetched else release["assignment"],
            "deadline": release["deadline"],
            "notebooks": [
                {"notebook_id": nb.stem, "path": str(local / nb.name) if fetched else nb.name}
                for nb in notebooks
            ],
        }

    def _submitted(self, client, course: str, assignment: str | None, student: str | None):
        receipts = client.submissions(course, assignment, student)
        feedback_by_key = {}
        if student:
            for item in client.feedback(course, assignment):
                feedback_by_key[(item["submission"], item["notebook"])] = item
        rows = []
        for receipt in receipts:
            timestamp = nbgrader_time(receipt["submitted_at"])
            local = self.assignment_path(course, receipt["assignment"])
            notebooks = []
            for name in sorted(receipt["files"]):
                if not name.endswith(".ipynb") or "/" in name:
                    continue
                notebook_id = name[: -len(".ipynb")]
                exchange = feedback_by_key.get((receipt["id"], notebook_id))
                local_path = local / "feedback" / timestamp / f"{notebook_id}.html"
                has_local = local_path.is_file()
                updated = bool(
                    has_local
                    and exchange
                    and hashlib.sha256(local_path.read_bytes()).hexdigest() != exchange["sha256"]
                )
                notebooks.append(
                    {
                        "notebook_id": notebook_id,
                        "path": str(local / name),
                        "has_local_feedback": has_local,
                        "has_exchange_feedback": bool(exchange),
                        "local_feedback_path": str(local_path) if has_local else None,
                        "feedback_updated": updated,
                    }
                )
            has_local = bool(notebooks) and all(nb["has_local_feedback"] for nb in notebooks)
            rows.append(
                {
                    "course_id": course,
                    "student_id": receipt["student"],
                    "assignment_id": receipt["assignment"],
                    "timestamp": timestamp,
                    "submission_id": receipt["id"],
                    "sha256": receipt["sha256"],
                    "late": receipt["late"],
                    "status": "submitted",
                    "path": str(local),
                    "notebooks": notebooks,
                    "has_local_feedback": has_local,
                    "has_exchange_feedback": bool(notebooks)
                    and all(nb["has_exchange_feedback"] for nb in notebooks),
                    "feedback_updated": any(nb["feedback_updated"] for nb in notebooks),
                    "local_feedback_path": str(local / "feedback" / timestamp)
                    if has_local
                    else None,
                }
            )
        return rows


def _group_submissions(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """nbgrader's list shape: one entry per (course, trainee, assignment) with its submissions."""
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[(row["course_id"], row["student_id"], row["assignment_id"])].append(row)
    return [
        {
            "course_id": key[0],
            "student_id": key[1],
            "assignment_id": key[2],
            "status": "submitted",
            "submissions": sorted(items, key=lambda item: item["timestamp"]),
        }
        for key, items in sorted(groups.items())
    ]
