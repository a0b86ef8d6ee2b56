"""Progress: the instructor's view of a course, a trainee's own view, the landing summary."""

from __future__ import annotations

import base64
from datetime import timedelta
from types import SimpleNamespace

import requests
from nbgrader.api import Gradebook
from ungp_hub.courses.folders import alembic_on_path
from ungp_hub.exchange.progress import LandingProgress

NB = b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'


def call(url, token, path):
    headers = {"Authorization": f"token {token}"}
    return requests.get(f"{url}/api{path}", headers=headers, timeout=10)


def post(url, token, path, body):
    headers = {"Authorization": f"token {token}"}
    return requests.post(f"{url}/api{path}", headers=headers, json=body, timeout=10)


def encoded(content: bytes = NB) -> dict:
    return {"files": {"ps1.ipynb": base64.b64encode(content).decode()}}


def grade(tmp_path, student: str, points: float) -> None:
    """A real nbgrader gradebook with one 3-point cell, as autograde leaves it."""
    folder = tmp_path / "courses" / "stats101"
    folder.mkdir(parents=True, exist_ok=True)
    with alembic_on_path(), Gradebook(f"sqlite:///{folder}/gradebook.db", "stats101") as book:
        book.update_or_create_assignment("ps1")
        if not book.find_assignment("ps1").notebooks:
            book.add_notebook("ps1", "ps1")
            book.add_grade_cell("q1", "ps1", "ps1", max_score=3, cell_type="code")
        book.update_or_create_student(student)
        book.add_submission("ps1", student)
        cell = book.find_grade("q1", "ps1", "ps1", student)
        cell.manual_score = points
        book.db.commit()


def by_student(rows: list[dict]) -> dict[str, dict]:
    return {row["student"]: row for row in rows}


def test_instructor_sees_every_trainee_at_their_stage_with_scores(service, store, clock, tmp_path):
    assert (
        post(service, "tok-ines", "/courses/stats101/assignments/ps1", encoded()).status_code == 201
    )
    clock.now += timedelta(minutes=5)
    assert call(service, "tok-ana", "/courses/stats101/assignments/ps1").status_code == 200
    clock.now += timedelta(minutes=95)
    receipt = post(service, "tok-ana", "/courses/stats101/assignments/ps1/submissions", encoded())
    assert receipt.status_code == 201
    grade(tmp_path, "ana", 2)

    answer = call(service, "tok-ines", "/courses/stats101/progress")
    assert answer.status_code == 200
    rows = by_student(answer.json()["progress"])
    assert set(rows) == {"ana", "ben"}  # ben is enrolled and has done nothing: he is listed
    assert rows["ana"]["stage"] == "graded"
    assert (rows["ana"]["score"], rows["ana"]["max_score"]) == (2.0, 3.0)
    assert rows["ana"]["time_spent_s"] == 95 * 60
    assert rows["ana"]["submissions"] == 1
    assert rows["ben"]["stage"] == "not started" and rows["ben"]["score"] is None
    summary = answer.json()["summary"]["ps1"]
    assert summary["graded"] == 1 and summary["not started"] == 1


def test_progress_is_for_the_course_instructors_and_each_trainee_sees_only_their_own(
    service, store, clock, tmp_path
):
    post(service, "tok-ines", "/courses/stats101/assignments/ps1", encoded())
    call(service, "tok-ana", "/courses/stats101/assignments/ps1")
    post(service, "tok-ana", "/courses/stats101/assignments/ps1/submissions", encoded())
    grade(tmp_path, "ana", 3)
    refused = call(service, "tok-ana", "/courses/stats101/progress")
    assert refused.status_code == 403 and "not an instructor" in refused.json()["reason"]
    assert call(service, "tok-carl", "/courses/stats101/progress").status_code == 403

    own = call(service, "tok-ana", "/progress").json()["progress"]
    # Graded, but grading is final only when the feedback is returned: no score before that.
    assert [(row["student"], row["stage"]) for row in own] == [("ana", "submitted")]
    assert own[0]["score"] is None
    (receipt,) = store.submissions("stats101", "ps1", "ana")
    html = base64.b64encode(b"<html>feedback</html>").decode()
    feedback = {"notebook": "ps1", "html": html}
    assert post(service, "tok-ines", f"/submissions/{receipt.id}/feedback", feedback).ok
    own = call(service, "tok-ana", "/progress").json()["progress"]
    assert own[0]["stage"] == "feedback returned" and own[0]["score"] == 3.0
    assert call(service, "tok-ben", "/progress").json()["progress"][0]["stage"] == "not started"


def test_landing_summary_reads_the_index_without_writing(service, store, tmp_path):
    post(service, "tok-ines", "/courses/stats101/assignments/ps1", encoded())
    call(service, "tok-ana", "/courses/stats101/assignments/ps1")
    post(service, "tok-ana", "/courses/stats101/assignments/ps1/submissions", encoded())
    landing = LandingProgress(store.root)
    ana = SimpleNamespace(name="ana", groups=[SimpleNamespace(name="trainees:stats101")])
    assert landing(ana) == [
        {"course": "stats101", "released": 1, "fetched": 1, "submitted": 1, "feedback": 0}
    ]
    ben = SimpleNamespace(name="ben", groups=[SimpleNamespace(name="trainees:stats101")])
    assert landing(ben)[0]["fetched"] == 0
    assert landing(None) == []
    index = store.root / "index.sqlite"
    index.chmod(0o444)  # the hub only reads: a read-only index must still work
    try:
        assert landing(ana)[0]["submitted"] == 1
    finally:
        index.chmod(0o644)
    assert LandingProgress(tmp_path / "nowhere")(ana) == []


def test_a_gradebook_journal_planted_as_a_link_is_not_opened(service, store, tmp_path):
    """The course folder is its instructors' (issue 17): a link beside the gradebook leaves
    progress without scores instead of SQLite writing a journal through it."""
    grade(tmp_path, "ana", 2)
    secret = tmp_path / "issuer.key"
    secret.write_bytes(b"KEY")
    (tmp_path / "courses" / "stats101" / "gradebook.db-journal").symlink_to(secret)
    answer = call(service, "tok-ines", "/courses/stats101/progress")
    assert answer.status_code == 200
    assert all(row["score"] is None for row in answer.json()["progress"])
    assert secret.read_bytes() == b"KEY"
