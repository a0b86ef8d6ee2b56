"""nbgrader across containers through the exchange service: one course, end to end.

An instructor releases an assignment; two trainees fetch, answer (one right, one wrong) and
submit; the instructor collects, autogrades and returns feedback; each trainee gets only their
own feedback, without hidden tests; the grade export matches. Then the service's refusals are
checked over HTTP against the real service with real hub tokens.
"""

from __future__ import annotations

import base64
import csv
import json
import socket
from datetime import UTC, datetime, timedelta

import pytest
import requests
from ungp_hub.testing.client import HubUser
from ungp_hub.testing.containers import container_of, ungp_cli
from ungp_hub.testing.containers import run_in as run
from ungp_hub.testing.containers import write_in as write_file
from ungp_hub.testing.nbgrader_assignment import HIDDEN_MARK, source_notebook

pytestmark = pytest.mark.integration
GATEWAY = "172.30.99.1"  # TEST_NETWORK's gateway in conftest.py


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ungp(hub, *args: str) -> str:
    return ungp_cli(hub.settings_file, *args)


def test_course_round_trip_and_refusals(hub_factory, docker_client, unique, tmp_path):
    port = free_port()
    hub = hub_factory({"exchange": {"port": port, "max_submission_mb": 1}})
    course = f"c{unique}"
    instructor, ana, ben, carl = (f"{who}-{unique}" for who in ("ines", "ana", "ben", "carl"))
    passwords = hub.add_people(
        "username,role,course,full_name\n"
        f"{instructor},instructor,{course},Ines Ibarra\n"
        f"{ana},trainee,{course},Ana María de la Cruz\n"
        f"{ben},trainee,{course},\n{carl},trainee,other{unique},Carl Weber\n"
    )
    assert f"course {course}:" in ungp(hub, "course", "create", course)
    assert (hub.state_dir / "courses" / course / "gradebook.db").is_file()
    # Enrolment with a roster names the trainee in the gradebook before any submission.
    (tmp_path / "enrol.csv").write_text(f"username,role,full_name\n{ben},trainee,Ben Okafor\n")
    assert "names of 1 trainees" in ungp(
        hub, "course", "enrol", course, str(tmp_path / "enrol.csv")
    )
    users = {}
    for name in (instructor, ana, ben, carl):
        users[name] = HubUser(hub.url, name)
        assert users[name].login(passwords[name]).status_code == 302
    for name in (instructor, ana, ben):
        assert users[name].start_server().status_code in (201, 202)
    for name in (instructor, ana, ben):
        users[name].wait_ready()
    box = {name: container_of(docker_client, name) for name in (instructor, ana, ben)}
    mounts = {m["Destination"] for m in box[ana].attrs["Mounts"]}
    assert not any("courses" in m for m in mounts), "trainees must not mount course folders"

    home = f"/home/jovyan/courses/{course}"
    write_file(box[instructor], f"{home}/source/ps1/ps1.ipynb", source_notebook())
    run(box[instructor], "nbgrader", "generate_assignment", "ps1", workdir=home)
    assert "Released as" in run(
        box[instructor], "nbgrader", "release_assignment", "ps1", workdir=home
    )

    answers = {ana: True, ben: False}
    for name, correct in answers.items():
        run(box[name], "nbgrader", "fetch_assignment", "ps1", f"--course={course}")
        fill = (
            "import pathlib; from ungp_hub.testing.nbgrader_assignment import answer; "
            "p = pathlib.Path('ps1/ps1.ipynb'); "
            f"p.write_text(answer(p.read_text(), {correct}))"
        )
        run(box[name], "python3", "-c", fill)
        out = run(box[name], "nbgrader", "submit", "ps1", f"--course={course}")
        assert "Receipt" in out and "sha256" in out
        listed = run(box[name], "sh", "-c", "cat ps1/receipts/*.json")
        assert json.loads(listed)["student"] == name

    for step in ("collect", "autograde", "generate_feedback", "release_feedback"):
        run(box[instructor], "nbgrader", step, "ps1", workdir=home)
    # The hub learnt Ana's name from the roster at her login; collect put it into the gradebook.
    model = hub.api.request("GET", f"/users/{ana}").json()
    assert model["user_info"]["display_name"] == "Ana María de la Cruz"

    for name in answers:
        run(box[name], "nbgrader", "fetch_feedback", "ps1", f"--course={course}")
        html = run(box[name], "sh", "-c", "cat ps1/feedback/*/ps1.html")
        assert "Hidden tests:" in html and HIDDEN_MARK not in html and "HIDDEN TESTS" not in html
        others = run(box[name], "sh", "-c", "ls -R ps1/feedback")
        assert "ps1.html" in others and others.count("ps1.html") == 1

    out = tmp_path / "grades.csv"
    ungp(hub, "course", "grades", course, "--out", str(out))
    scores = {row["student"]: float(row["score"]) for row in csv.DictReader(out.open())}
    assert scores == {ana: 2.0, ben: 1.0}

    check_progress(hub, course, users, answers)

    # The formgrader alone may be framed by the instructor's own JupyterLab.
    token = users[instructor].new_token()
    server = f"{hub.url}/user/{instructor}"
    auth = {"Authorization": f"token {token}"}
    grader = requests.get(f"{server}/formgrader", headers=auth, timeout=30)
    assert grader.status_code == 200
    policy = dict(
        part.strip().split(" ", 1) for part in grader.headers["Content-Security-Policy"].split(";")
    )
    assert policy["frame-ancestors"] == "'self'"
    # its scripts only by nonce or hash (trainee HTML shown there never runs: issue 16)
    assert "'nonce-" in policy["script-src"] and "'unsafe-inline'" not in policy["script-src"]
    lab = requests.get(f"{server}/api/status", headers=auth, timeout=30)
    assert "frame-ancestors 'none'" in lab.headers["Content-Security-Policy"]
    students = requests.get(f"{server}/formgrader/api/students", headers=auth, timeout=30)
    assert students.status_code == 200, students.text
    names = {row["id"]: (row["first_name"], row["last_name"]) for row in students.json()}
    assert names == {ana: ("", "Ana María de la Cruz"), ben: ("", "Ben Okafor")}

    check_refusals(f"http://{GATEWAY}:{port}/services/exchange/api", course, users, token)


def check_progress(hub, course: str, users: dict, answers: dict) -> None:
    """Real groups, the real gradebook, the OAuth page, and the trainee's landing page."""
    instructor, ana, ben, _ = users
    api = f"{hub.url}/services/exchange/api"
    auth = {"Authorization": f"token {users[instructor].new_token()}"}
    answer = requests.get(f"{api}/courses/{course}/progress", headers=auth, timeout=60)
    assert answer.status_code == 200, answer.text
    rows = {row["student"]: row for row in answer.json()["progress"]}
    assert set(rows) == set(answers)
    assert rows[ana]["score"] == 2.0 and rows[ben]["score"] == 1.0
    assert {row["stage"] for row in rows.values()} == {"feedback returned"}
    assert all(row["time_spent_s"] is not None for row in rows.values())
    trainee = {"Authorization": f"token {users[ana].new_token()}"}
    refused = requests.get(f"{api}/courses/{course}/progress", headers=trainee, timeout=60)
    assert refused.status_code == 403

    page = users[instructor].session.get(f"{hub.url}/services/exchange/progress/", timeout=60)
    assert page.status_code == 200 and f'data-student="{ben}"' in page.text
    assert "feedback returned" in page.text
    landing = users[ana].session.get(f"{hub.url}/hub/home", timeout=60).text
    assert f'data-course="{course}"' in landing and "ungp-progress-link" in landing
    own = users[ana].session.get(f"{hub.url}/services/exchange/progress/", timeout=60)
    assert f'data-course="{course}"' in own.text and f'data-student="{ben}"' not in own.text


def check_refusals(api: str, course: str, users: dict, instructor_token: str) -> None:
    instructor, ana, ben, carl = users
    tokens = {name: users[name].new_token() for name in (ana, ben, carl)}
    tokens[instructor] = instructor_token

    def call(who, method, path, **kwargs):
        headers = {"Authorization": f"token {tokens[who]}"}
        return requests.request(method, api + path, headers=headers, timeout=60, **kwargs)

    def send(who, name, content: bytes, assignment="ps1"):
        body = {"files": {name: base64.b64encode(content).decode()}}
        return call(
            who, "POST", f"/courses/{course}/assignments/{assignment}/submissions", json=body
        )

    before = call(instructor, "GET", f"/courses/{course}/submissions").json()["submissions"]
    traversal = send(ana, "../../etc/ps1.ipynb", b"{}")
    assert traversal.status_code == 400 and "file name" in traversal.json()["reason"]
    big = send(ana, "data.csv", b"x" * 1_100_000)
    assert big.status_code == 413 and "limit" in big.json()["reason"]
    broken = send(ana, "ps1.ipynb", b"{not json")
    assert broken.status_code == 422 and "not a valid notebook" in broken.json()["reason"]
    outsider = send(carl, "ps1.ipynb", b'{"cells": []}')
    assert outsider.status_code == 403 and "not enrolled" in outsider.json()["reason"]
    bens = call(ben, "GET", f"/courses/{course}/feedback").json()["feedback"]
    assert bens and call(ana, "GET", f"/feedback/{bens[0]['id']}").status_code == 404
    assert (
        call(ana, "GET", f"/courses/{course}/feedback", params={"student": ben}).status_code == 403
    )
    past = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    nb = base64.b64encode(b'{"cells": []}').decode()
    released = call(
        instructor,
        "POST",
        f"/courses/{course}/assignments/late1",
        json={"files": {"late1.ipynb": nb}, "deadline": past},
    )
    assert released.status_code == 201
    late = send(ana, "late1.ipynb", b'{"cells": []}', assignment="late1")
    assert late.status_code == 403 and "deadline" in late.json()["reason"]
    after = call(instructor, "GET", f"/courses/{course}/submissions").json()["submissions"]
    assert after == before, "refused requests must not add or change submissions"
