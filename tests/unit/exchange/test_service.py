"""The service's answers to bad input and to people outside their rights (HTTP level)."""

from __future__ import annotations

import base64
from datetime import timedelta

import requests

NB = b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'


def call(url, token, method, path, **kwargs):
    headers = {"Authorization": f"token {token}"} if token else {}
    return requests.request(method, f"{url}/api{path}", headers=headers, timeout=10, **kwargs)


def files(**named: bytes) -> dict:
    return {"files": {k.replace("__", "/"): base64.b64encode(v).decode() for k, v in named.items()}}


def release(url, **extra):
    body = {"files": {"ps1.ipynb": base64.b64encode(NB).decode()}, **extra}
    return call(url, "tok-ines", "POST", "/courses/stats101/assignments/ps1", json=body)


def submit(url, token, body):
    return call(url, token, "POST", "/courses/stats101/assignments/ps1/submissions", json=body)


def test_roles_decide_who_releases_fetches_and_submits(service, store):
    assert call(service, None, "GET", "/courses").status_code == 401
    assert call(service, "bogus", "GET", "/courses").status_code == 401
    body = {"files": {"ps1.ipynb": base64.b64encode(NB).decode()}}
    refused = call(service, "tok-ana", "POST", "/courses/stats101/assignments/ps1", json=body)
    assert refused.status_code == 403 and "not an instructor" in refused.json()["reason"]
    assert release(service).status_code == 201
    assert call(service, "tok-ana", "GET", "/courses/stats101/assignments/ps1").status_code == 200
    outsider = call(service, "tok-carl", "GET", "/courses/stats101/assignments/ps1")
    assert outsider.status_code == 403 and "neither" in outsider.json()["reason"]
    not_enrolled = submit(service, "tok-carl", files(ps1__ipynb=NB))
    assert not_enrolled.status_code == 403 and "enrolled" in not_enrolled.json()["reason"]
    receipt = submit(service, "tok-ana", files(**{"ps1.ipynb": NB})).json()["receipt"]
    assert receipt["student"] == "ana"
    assert store.submissions("stats101", "ps1", "carl") == []


def test_bad_input_is_refused_and_nothing_is_kept(service, store):
    release(service)
    traversal = submit(service, "tok-ana", {"files": {"../../x.ipynb": "e30="}})
    assert traversal.status_code == 400 and "invalid file name" in traversal.json()["reason"]
    big = submit(service, "tok-ana", files(**{"data.csv": b"x" * 3000}))
    assert big.status_code == 413 and "limit" in big.json()["reason"]
    broken = submit(service, "tok-ana", files(**{"ps1.ipynb": b"{not json"}))
    assert broken.status_code == 422 and "not a valid notebook" in broken.json()["reason"]
    assert submit(service, "tok-ana", {"nofiles": 1}).status_code == 400
    assert store.submissions("stats101") == []


def test_trainees_see_only_their_own_work_and_feedback(service, store):
    release(service)
    ana = submit(service, "tok-ana", files(**{"ps1.ipynb": NB})).json()["receipt"]
    ben = submit(service, "tok-ben", files(**{"ps1.ipynb": NB})).json()["receipt"]
    html = base64.b64encode(b"<p>well done</p>").decode()
    for sid in (ana["id"], ben["id"]):
        given = call(
            service,
            "tok-ines",
            "POST",
            f"/submissions/{sid}/feedback",
            json={"notebook": "ps1", "html": html},
        )
        assert given.status_code == 201
    assert call(service, "tok-ana", "GET", f"/submissions/{ben['id']}").status_code == 404
    others = call(
        service, "tok-ana", "GET", "/courses/stats101/feedback", params={"student": "ben"}
    )
    assert others.status_code == 403
    (own,) = call(service, "tok-ana", "GET", "/courses/stats101/feedback").json()["feedback"]
    assert own["submission"] == ana["id"]
    bens = store.feedback("stats101", "ben")[0]["id"]
    assert call(service, "tok-ana", "GET", f"/feedback/{bens}").status_code == 404
    mine = call(service, "tok-ana", "GET", f"/feedback/{own['id']}").json()["html"]
    assert base64.b64decode(mine) == b"<p>well done</p>"
    listed = call(service, "tok-ana", "GET", "/courses/stats101/submissions").json()
    assert {item["student"] for item in listed["submissions"]} == {"ana"}
    all_of_them = call(service, "tok-ines", "GET", "/courses/stats101/submissions").json()
    assert {item["student"] for item in all_of_them["submissions"]} == {"ana", "ben"}


def test_feedback_showing_hidden_tests_is_refused(service):
    release(service)
    sid = submit(service, "tok-ana", files(**{"ps1.ipynb": NB})).json()["receipt"]["id"]
    leaky = b'<span class="c1">### BEGIN HIDDEN TESTS</span>\nassert secret'
    answer = call(
        service,
        "tok-ines",
        "POST",
        f"/submissions/{sid}/feedback",
        json={"notebook": "ps1", "html": base64.b64encode(leaky).decode()},
    )
    assert answer.status_code == 422 and "hidden tests" in answer.json()["reason"]
    assert call(service, "tok-ana", "GET", "/courses/stats101/feedback").json()["feedback"] == []


def test_after_the_deadline_submissions_are_refused(service, clock):
    deadline = clock.now - timedelta(minutes=1)
    assert release(service, deadline=deadline.isoformat()).status_code == 201
    late = submit(service, "tok-ana", files(**{"ps1.ipynb": NB}))
    assert late.status_code == 403 and "deadline" in late.json()["reason"]
    moved = call(
        service,
        "tok-ines",
        "PUT",
        "/courses/stats101/assignments/ps1/deadline",
        json={
            "deadline": deadline.isoformat(),
            "late_until": (clock.now + timedelta(hours=1)).isoformat(),
        },
    )
    assert moved.status_code == 200
    accepted = submit(service, "tok-ana", files(**{"ps1.ipynb": NB}))
    assert accepted.status_code == 201 and accepted.json()["receipt"]["late"] is True


def test_instructors_read_the_trainees_full_names_and_trainees_do_not(service):
    answer = call(service, "tok-ines", "GET", "/courses/stats101/students")
    assert answer.status_code == 200, answer.text
    assert answer.json()["students"] == [
        {"student": "ana", "name": "Ana María de la Cruz"},
        {"student": "ben", "name": ""},
    ]
    assert call(service, "tok-ana", "GET", "/courses/stats101/students").status_code == 403
