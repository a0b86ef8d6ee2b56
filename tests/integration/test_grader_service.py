"""The grader service in a real hub: an instructor's hub token grades a course's submissions
in real sandboxes, through the proxy; a trainee's token is refused."""

from __future__ import annotations

import socket
import time

import pytest
import requests
from ungp_hub.testing.client import HubUser
from ungp_hub.testing.course import TestCourse
from ungp_hub.testing.nbgrader_assignment import CORRECT, source_notebook

pytestmark = pytest.mark.integration


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_instructor_grades_through_the_service(hub_factory, unique):
    grader = {
        "port": free_port(),
        "memory": "512M",
        "pool_size": 2,
        "data_mount": False,
        "warm_modules": ["numpy", "numpy.testing"],
    }
    hub = hub_factory({"grader": grader})
    course, instructor, ana = f"g{unique}", f"ines-{unique}", f"ana-{unique}"
    passwords = hub.add_people(
        f"username,role,course\n{instructor},instructor,{course}\n{ana},trainee,{course}\n"
    )
    fixture = TestCourse.make(hub.state_dir, course, "ps1", source_notebook())
    fixture.submit(ana, fixture.answer({"answer": CORRECT}))
    tokens = {}
    for name in (instructor, ana):
        user = HubUser(hub.url, name)
        assert user.login(passwords[name]).status_code == 302
        tokens[name] = user.new_token()
    api = f"{hub.url}/services/grader/api/courses/{course}/assignments/ps1"

    def call(method: str, who: str, path: str = "", **kwargs) -> requests.Response:
        headers = {"Authorization": f"token {tokens[who]}"}
        return requests.request(method, api + path, headers=headers, timeout=30, **kwargs)

    refused = call("POST", ana, "/grade", json={})
    assert refused.status_code == 403, refused.text
    started = call("POST", instructor, "/grade", json={})
    assert started.status_code == 202, started.text + hub.log()[-2000:]
    deadline = time.monotonic() + 180
    status = started.json()
    while status["state"] == "running" and time.monotonic() < deadline:
        time.sleep(1)
        status = call("GET", instructor).json()
    assert status["state"] == "done", status
    (result,) = status["results"]
    assert (result["student"], result["status"], result["score"]) == (ana, "graded", 2)
    assert status["summary"].startswith("1 submissions in ")
    assert fixture.scores()[ana] == {"visible": 1.0, "hidden": 1.0}
