"""Exams graded in the sandboxed grader, as in production (certification.grading: sandbox).

A real hub runs the certification service; candidates fetch and submit over its API with a
hub token (what the JupyterLab client does). Each submission runs in a fresh sandbox container
of the user image: the candidate who typed in the method passes, the one who copied her
answers scores zero, and a submission after the time limit is refused before any grading.
"""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import nbformat
import pytest
import requests
from testpolicy import REPO_ROOT
from ungp_hub.courses.folders import alembic_on_path
from ungp_hub.testing.client import HubUser

pytestmark = pytest.mark.integration
SERVICE = "/services/certification/"
TRACK = "foundation"
EXAM = REPO_ROOT / "certification" / "exams" / "x0-foundations" / "exam.ipynb"
# Only a container has /.dockerenv: full marks prove the answers ran in the sandbox.
IN_A_CONTAINER = (
    "from pathlib import Path\nassert Path('/.dockerenv').exists(), 'graded outside a container'\n"
)


def pass_module(state: Path, student: str) -> None:
    """A graded submission of the foundation module in a course gradebook (as autograde)."""
    from nbgrader.api import Gradebook

    folder = state / "courses" / "foundations-course"
    folder.mkdir(parents=True, exist_ok=True)
    with alembic_on_path(), Gradebook(f"sqlite:///{folder}/gradebook.db", "foundations") as book:
        book.update_or_create_student(student)
        book.update_or_create_assignment("m0_catalogue_quality")
        book.update_or_create_notebook("quality", "m0_catalogue_quality")
        book.update_or_create_grade_cell(
            "q", "quality", "m0_catalogue_quality", max_score=9, cell_type="code"
        )
        book.add_submission("m0_catalogue_quality", student)
        book.find_grade("q", "quality", "m0_catalogue_quality", student).manual_score = 8
        book.db.commit()


def call(hub, token: str, verb: str, body: dict | None = None) -> requests.Response:
    return requests.post(
        f"{hub.url}{SERVICE}api/exams/{TRACK}/{verb}",
        data=json.dumps(body or {}),
        timeout=300,
        headers={"Authorization": f"token {token}"},
    )


def answered(released: dict, answers: dict[str, str]) -> dict:
    nb = nbformat.from_dict(released)
    for cell in nb.cells:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
        if grade_id in answers:
            cell.source = answers[grade_id]
    return nb


def method_answers() -> dict[str, str]:
    """The exam's reference method (its solution cells), as a candidate would type it."""
    template = nbformat.read(EXAM, as_version=4)
    return {
        cell.metadata["nbgrader"]["grade_id"]: IN_A_CONTAINER
        + re.sub(r"### (BEGIN|END) SOLUTION\n?", "", cell.source)
        for cell in template.cells
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution")
    }


def test_exams_are_graded_in_the_sandbox(hub_factory):
    hub = hub_factory(
        {
            "hub": {"spawner": "local"},
            "dask": {"enabled": False},
            "certification": {"grading": "sandbox"},
            "grader": {"data_mount": False, "memory": "512M"},
        }
    )
    people = ("cert-ana", "cert-ben", "cert-cy")
    passwords = hub.add_people(
        "username,role,full_name\n" + "".join(f"{p},trainee,{p}\n" for p in people)
    )
    tokens = {}
    for name in people:
        pass_module(hub.state_dir, name)
        person = HubUser(hub.url, name)
        assert person.login(passwords[name]).status_code == 302
        tokens[name] = person.new_token()

    # Ana types in the method: graded in a sandbox container, full marks, a credential.
    fetched = call(hub, tokens["cert-ana"], "fetch")
    assert fetched.status_code == 200, fetched.text
    submitted = call(
        hub, tokens["cert-ana"], "submit", answered(fetched.json()["notebook"], method_answers())
    )
    assert submitted.status_code == 201, submitted.text
    result = submitted.json()
    assert "grade" in result, f"not graded: {result} (log: {hub.log()[-3000:]})"
    assert result["grade"]["score"] == result["grade"]["max_score"] == 10, result["grade"]
    assert result["passed"] and "credential" in result
    ana = {item["item"]: item["answer"] for item in result["grade"]["items"]}
    assert "grading: sandbox" in hub.log()

    # Ben copies Ana's correct answers into his own exam: zero, no credential.
    fetched = call(hub, tokens["cert-ben"], "fetch")
    copied = answered(
        fetched.json()["notebook"],
        {f"answer-{item}": f"{item} = {value!r}" for item, value in ana.items()},
    )
    result = call(hub, tokens["cert-ben"], "submit", copied).json()
    assert result["grade"]["score"] == 0 and result["passed"] is False, result
    assert {i["reason"] for i in result["grade"]["items"]} == {"incorrect for your exam's data"}
    assert "credential" not in result

    # Cy's time limit ends before he submits (the hub's clock moved on: here, his deadline
    # is moved back in the registry): refused with the times, nothing graded.
    fetched = call(hub, tokens["cert-cy"], "fetch")
    sitting = fetched.json()["sitting"]
    past = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    with sqlite3.connect(hub.state_dir / "certification" / "registry.sqlite") as db:
        db.execute("UPDATE sittings SET deadline = ? WHERE id = ?", (past, sitting["sitting"]))
    late = call(
        hub, tokens["cert-cy"], "submit", answered(fetched.json()["notebook"], method_answers())
    )
    assert late.status_code == 403, late.text
    assert "after your time limit ended" in late.json()["reason"]
    sittings = requests.get(
        f"{hub.url}{SERVICE}api/sittings",
        timeout=30,
        headers={"Authorization": f"token {tokens['cert-cy']}"},
    ).json()
    assert [s["state"] for s in sittings["sittings"]] == ["expired"]


def test_every_exams_method_scores_full_marks_in_the_user_image(user_image):
    """Each exam's reference method, run in the sandbox of the user image (its Python and
    pandas, not the hub's), records answers the server accepts: one sandbox for all exams."""
    from ungp_hub.certification.exams import (
        derive_variant,
        grade_exam,
        graded_notebook,
        load_exam,
        render_notebook,
    )
    from ungp_hub.certification.runner import run_together
    from ungp_hub.certification.tracks import load_programme
    from ungp_hub.grader import run_notebook
    from ungp_hub.grader.limits import SandboxLimits

    programme = load_programme(REPO_ROOT / "certification" / "tracks.yaml")
    exams = {
        t.exam.id: load_exam(programme.exam_dir(t.exam.id))
        for t in programme.tracks.values()
        if t.offered
    }
    assert len(exams) >= 3
    graded, variants = {}, {}
    for exam_id, exam in exams.items():
        variants[exam_id] = derive_variant(exam, b"s" * 32, "sandbox-candidate")
        source = render_notebook(exam, variants[exam_id], solutions=True)
        answers = {
            cell.metadata["nbgrader"]["grade_id"]: IN_A_CONTAINER
            + re.sub(r"### (BEGIN|END) SOLUTION\n?", "", cell.source)
            for cell in source.cells
            if cell.get("metadata", {}).get("nbgrader", {}).get("solution")
        }
        released = answered(render_notebook(exam, variants[exam_id]), answers)
        graded[exam_id] = graded_notebook(exam, variants[exam_id], released)
    limits = SandboxLimits(image=user_image, memory="768M", pids=64, cell_timeout=60)

    def in_sandbox(nb):  # noqa: ANN001, ANN202
        return run_notebook(nb, timeout=60, limits=limits)

    for exam_id, executed in run_together(graded, in_sandbox).items():
        grade = grade_exam(exams[exam_id], variants[exam_id], executed)
        assert grade.score == grade.max_score, grade.to_json(with_expected=True)
