"""The grader service over HTTP (real tornado app, real nbgrader gradebook, a fake sandbox),
and the formgrader extension's client against it."""

from __future__ import annotations

import asyncio
import time
from unittest import mock

import pytest
import requests
from ungp_hub.courses.access import Person
from ungp_hub.grader import run as run_module
from ungp_hub.grader import site as site_module
from ungp_hub.grader.formgrader import GraderClient, GraderUnavailable, describe
from ungp_hub.grader.service import Runs, make_app
from ungp_hub.settings import load_settings
from ungp_hub.testing.course import TestCourse
from ungp_hub.testing.nbgrader_assignment import CORRECT, source_notebook
from ungp_hub.testing.threaded_app import serving

from .test_run import FakePool

PEOPLE = {
    "tok-ines": Person.of("ines", ["instructors:c1"]),
    "tok-ana": Person.of("ana", ["trainees:c1"]),
}


class FakeDirectory:
    async def person_for_token(self, token: str) -> Person | None:
        return PEOPLE.get(token)


@pytest.fixture(scope="module")
def state(tmp_path_factory):
    state = tmp_path_factory.mktemp("grader-service")
    course = TestCourse.make(state, "c1", "ps1", source_notebook())
    for student in ("ana", "bo"):
        course.submit(student, course.answer({"answer": CORRECT}))
    course.submit("carl", b'{"cells": [')
    return state


@pytest.fixture(scope="module")
def service(state):
    patches = [
        mock.patch.object(run_module, "WarmPool", FakePool),
        mock.patch.object(site_module, "docker_client_or_none", mock.MagicMock),
        mock.patch.object(site_module.SandboxLimits, "from_settings", lambda s: FakePool.limits),
    ]
    for patch in patches:
        patch.start()
    settings = load_settings(None, {"UNGP_HUB__STATE_DIR": str(state)})

    def app():
        return make_app(Runs(settings), FakeDirectory(), "/services/grader/")

    with serving(app, "/services/grader") as url:
        yield url
    for patch in patches:
        patch.stop()


def call(url, token, method, path, **kwargs):
    headers = {"Authorization": f"token {token}"} if token else {}
    return requests.request(method, f"{url}/api{path}", headers=headers, timeout=30, **kwargs)


def wait_done(url, path="/courses/c1/assignments/ps1") -> dict:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status = call(url, "tok-ines", "GET", path).json()
        if status["state"] != "running":
            return status
        time.sleep(0.2)
    raise AssertionError("the run did not finish")


def test_only_instructors_of_the_course_grade(service):
    path = "/courses/c1/assignments/ps1"
    assert call(service, None, "GET", path).status_code == 401
    refused = call(service, "tok-ana", "POST", path + "/grade", json={})
    assert refused.status_code == 403 and "not an instructor" in refused.json()["reason"]
    other = call(service, "tok-ines", "GET", "/courses/c2/assignments/ps1")
    assert other.status_code == 403
    bad = call(service, "tok-ines", "POST", path + "/grade", json={"students": ["../x"]})
    assert bad.status_code == 400


def test_grading_reports_progress_and_a_summary(service):
    path = "/courses/c1/assignments/ps1"
    started = call(service, "tok-ines", "POST", path + "/grade", json={"force": True})
    assert started.status_code == 202 and started.json()["state"] == "running"
    assert started.json()["total"] == 3
    status = wait_done(service)
    assert status["state"] == "done" and status["done"] == 3
    assert status["counts"]["graded"] == 2 and status["counts"]["failed"] == 1
    assert status["summary"].startswith("3 submissions in ")
    assert "2 graded, 1 failed, 0 timed out, 0 error, 0 skipped" in status["summary"]
    by = {r["student"]: r for r in status["results"]}
    assert by["ana"]["score"] == 2 and by["carl"]["score"] == 0


def test_status_survives_from_the_records(service, state):
    call(service, "tok-ines", "POST", "/courses/c1/assignments/ps1/grade", json={})
    wait_done(service)
    from ungp_hub.grader.site import site_assignment
    from ungp_hub.grader.status import status_from_records

    settings = load_settings(None, {"UNGP_HUB__STATE_DIR": str(state)})
    again = status_from_records(site_assignment(settings, "c1", "ps1")).to_json()
    assert again["state"] == "done" and again["counts"]["graded"] == 2
    assert {r["student"] for r in again["results"]} == {"ana", "bo", "carl"}
    missing = call(service, "tok-ines", "GET", "/courses/c1/assignments/nope")
    assert missing.status_code == 404 and "not in the gradebook" in missing.json()["reason"]


def test_formgrader_client_grades_one_submission_and_describes_it(service):
    client = GraderClient(service, "tok-ines")
    status = asyncio.run(client.grade_and_wait("c1", "ps1", ["bo"], every=0.2))
    success, log, error = describe(status, "bo")
    assert success and not error
    assert "1 submissions" in log and "bo: graded 2 / 2" in log
    failed = asyncio.run(client.grade_and_wait("c1", "ps1", ["carl"], every=0.2))
    success, log, error = describe(failed, "carl")
    assert not success and "carl: failed 0 / 2" in log
    assert "not a valid notebook" in error
    with pytest.raises(GraderUnavailable, match="403"):
        asyncio.run(GraderClient(service, "tok-ana").status("c1", "ps1"))
    with pytest.raises(GraderUnavailable, match="UNGP_GRADER_URL"):
        GraderClient.from_environment({})
