"""The certification service over HTTP (hub login replaced by a test header).

Public: verification by id and by upload, key set, status list. Signed in: fetch and submit
(graded on the host: the submissions here are trusted fixtures), downloads, admin revoke.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import socket
import subprocess
import threading
from datetime import timedelta

import pytest
import requests
from testpolicy import require
from tornado.httpserver import HTTPServer
from ungp_hub.certification import grading, service
from ungp_hub.certification.runner import run_on_host
from ungp_hub.certification.service import Context, make_app

from .conftest import NOW
from .test_grading import hard_coded, solved

PREFIX = "/services/certification/"


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self):  # noqa: ANN204
        return self.now


@pytest.fixture
def service_context(certifier, office) -> Context:
    """The running service's context: tests may set its name source and name policy."""
    return Context(certifier, office, run_on_host, frozenset(), Clock())


@pytest.fixture
def hub(monkeypatch, service_context, modules):
    """(base URL, clock, modules) of a running service; X-Test-User says who is signed in."""

    def current_user(handler):  # noqa: ANN001, ANN202
        name = handler.request.headers.get("X-Test-User")
        return {"name": name, "admin": name == "admin"} if name else None

    monkeypatch.setattr(service.UserHandler, "get_current_user", current_user)
    monkeypatch.setattr(service.UserHandler, "check_xsrf_cookie", lambda self: None)
    monkeypatch.setattr(service.UserHandler, "xsrf_form_html", lambda self: "")
    ctx = service_context
    clock = ctx.clock
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    loop = asyncio.new_event_loop()
    ready = threading.Event()

    def serve() -> None:
        asyncio.set_event_loop(loop)
        HTTPServer(make_app(ctx, PREFIX)).listen(port, "127.0.0.1")
        loop.call_soon(ready.set)
        loop.run_forever()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    ready.wait(10)
    yield f"http://127.0.0.1:{port}{PREFIX}", clock, modules
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)


def as_user(name: str) -> dict[str, str]:
    return {"X-Test-User": name}


def sit_and_pass(base, clock, modules, name="alice"):
    modules.passed[name] = {"m0-foundations", "m3-scanner-cpi"}
    fetched = requests.post(f"{base}api/exams/cpi/fetch", headers=as_user(name), timeout=30)
    assert fetched.status_code == 200, fetched.text
    return fetched.json()


def test_candidate_passes_downloads_and_the_public_page_verifies(hub, office, cpi_exam):
    base, clock, modules = hub
    fetched = sit_and_pass(base, clock, modules)
    sitting = office.registry.sitting(fetched["sitting"]["sitting"])
    assert fetched["sitting"]["deadline"] == (NOW + timedelta(minutes=90)).isoformat()
    work = solved(cpi_exam, office.variant(sitting))
    clock.now = NOW + timedelta(minutes=40)
    answer = requests.post(
        f"{base}api/exams/cpi/submit", headers=as_user("alice"), data=json.dumps(work), timeout=120
    )
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["receipt"]["state"] == "submitted" and len(body["receipt"]["sha256"]) == 64
    assert body["passed"] is True and body["grade"]["score"] == 10
    assert "expected" not in json.dumps(body["grade"])  # reference answers stay on the hub
    credential_id = body["credential"]["id"]

    page = requests.get(base, headers=as_user("alice"), timeout=30)
    assert credential_id in page.text and body["receipt"]["sha256"] in page.text
    pdf = requests.get(f"{base}credentials/{credential_id}.pdf", headers=as_user("alice"))
    assert pdf.content.startswith(b"%PDF") and pdf.headers["Content-Type"] == "application/pdf"
    document = requests.get(f"{base}credentials/{credential_id}.json", headers=as_user("alice"))
    credential = document.json()
    assert credential["id"] == f"urn:uuid:{credential_id}"
    other = requests.get(f"{base}credentials/{credential_id}.json", headers=as_user("bob"))
    assert other.status_code == 404

    public = requests.get(f"{base}verify/{credential_id}", timeout=30)
    assert public.status_code == 200 and 'id="verdict">VALID' in public.text
    uploaded = requests.post(f"{base}verify/", files={"credential": document.content})
    assert 'id="verdict">VALID' in uploaded.text
    tampered = document.text.replace('"alice"', '"alicf"').replace("/alice", "/alicf")
    refused = requests.post(f"{base}verify/", data={"text": tampered})
    assert 'id="verdict">INVALID' in refused.text and "changed after signing" in refused.text

    keys = requests.get(f"{base}issuer").json()
    assert keys["id"] == credential["issuer"]["id"]
    status = requests.get(f"{base}status/1").json()
    assert status["id"] == credential["credentialStatus"]["statusListCredential"]

    # The admin revokes it; the public page says so, with the reason.
    listing = requests.get(f"{base}admin", params={"q": "alice"}, headers=as_user("admin"))
    assert credential_id in listing.text
    assert requests.get(f"{base}admin", headers=as_user("alice")).status_code == 403
    revoked = requests.post(
        f"{base}admin",
        headers=as_user("admin"),
        data={"id": credential_id, "reason": "identity fraud"},
    )
    assert "Revoked" in revoked.text
    public = requests.get(f"{base}verify/{credential_id}", timeout=30)
    assert 'id="verdict">INVALID' in public.text and "revoked: bit" in public.text
    assert "identity fraud" in public.text


def test_copied_answers_fail_and_late_submission_is_refused(hub, office, cpi_exam):
    base, clock, modules = hub
    alice = office.variant(
        office.registry.sitting(sit_and_pass(base, clock, modules)["sitting"]["sitting"])
    )
    from ungp_hub.certification.exams import reference_answers

    bob_fetch = sit_and_pass(base, clock, modules, "bob")
    bob = office.variant(office.registry.sitting(bob_fetch["sitting"]["sitting"]))
    copied = hard_coded(cpi_exam, bob, reference_answers(cpi_exam, alice))
    answer = requests.post(
        f"{base}api/exams/cpi/submit", headers=as_user("bob"), data=json.dumps(copied), timeout=120
    )
    assert answer.status_code == 201
    assert answer.json()["passed"] is False and answer.json()["grade"]["score"] == 0
    assert "credential" not in answer.json()

    clock.now = NOW + timedelta(minutes=91)
    late = requests.post(
        f"{base}api/exams/cpi/submit",
        headers=as_user("alice"),
        data=json.dumps(solved(cpi_exam, alice)),
        timeout=30,
    )
    assert late.status_code == 403
    assert "after your time limit ended at 2026-06-01 10:30:00" in late.json()["reason"]


def test_unknown_credential_and_anonymous_candidate_pages(hub):
    base, _, _ = hub
    missing = requests.get(f"{base}verify/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404 and "issued no credential" in missing.text
    anonymous = requests.post(f"{base}api/exams/cpi/fetch", timeout=30)
    assert anonymous.status_code == 403


def test_the_container_client_fetches_submits_and_prints_the_receipt(
    hub, office, cpi_exam, tmp_path, monkeypatch, capsys
):
    from ungp_hub.certification import client

    base, clock, modules = hub
    modules.passed["erin"] = {"m0-foundations", "m3-scanner-cpi"}
    # The test service reads the user from X-Test-User; the client sends a hub token.
    monkeypatch.setattr(
        service.UserHandler,
        "get_current_user",
        lambda handler: {
            "name": handler.request.headers["Authorization"].split()[-1],
            "admin": False,
        },
    )
    monkeypatch.setenv("UNGP_CERTIFICATION_URL", base)
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "erin")
    monkeypatch.chdir(tmp_path)
    assert client.main(["fetch", "cpi"]) == 0
    assert "submit before 2026-06-01T10:30:00+00:00" in capsys.readouterr().out
    sitting = office.registry.sittings(candidate="erin")[0]
    (tmp_path / "x3-scanner-cpi.ipynb").write_text(
        json.dumps(solved(cpi_exam, office.variant(sitting)))
    )
    assert client.main(["submit", "cpi", "x3-scanner-cpi.ipynb"]) == 0
    out = capsys.readouterr().out
    assert f"receipt {sitting.id}" in out and "PASSED" in out and "certificate " in out
    clock.now = NOW + timedelta(hours=2)
    assert client.main(["submit", "cpi", "x3-scanner-cpi.ipynb"]) == 1
    assert "no open sitting" in capsys.readouterr().err


def test_a_grader_failure_leaves_the_submission_waiting_then_it_is_graded(
    hub, office, certifier, cpi_exam
):
    """No sandbox could start: not the candidate's fault, so no zero; graded on a retry."""
    base, clock, modules = hub
    released = sit_and_pass(base, clock, modules, name="dora")
    sitting = office.open_sitting("dora", "cpi", clock.now)
    nb = solved(cpi_exam, office.variant(sitting))
    assert released["notebook"]["cells"][1]["source"] == nb.cells[1].source
    ctx = Context(certifier, office, None, frozenset(), clock)

    def broken(notebook):  # noqa: ANN001, ANN202
        raise RuntimeError("the sandbox did not start")

    ctx.runner = broken
    office.submit("dora", "cpi", json.dumps(nb).encode(), clock.now)
    waiting = office.registry.sitting(sitting.id)
    answer = asyncio.run(grading.grade_and_issue(ctx, waiting))
    assert answer["grading"].startswith("waiting") and "grade" not in answer
    assert office.registry.sitting(sitting.id).state == "submitted"
    ctx.runner = run_on_host
    assert asyncio.run(grading.grade_waiting(ctx)) == 1
    graded = office.registry.sitting(sitting.id)
    assert graded.state == "graded" and graded.score == graded.max_score
    assert [c.candidate for c in certifier.registry.credentials(candidate="dora")] == ["dora"]


def test_the_sandbox_runner_uses_the_grader_limits_of_the_site_settings(tmp_path, monkeypatch):
    import ungp_hub.grader
    import yaml

    settings = tmp_path / "settings.yaml"
    settings.write_text(
        yaml.safe_dump(
            {
                "hub": {"state_dir": str(tmp_path / "state")},
                "grader": {
                    "image": "ungp/user:exam",
                    "cell_timeout": 17,
                    "memory": "300M",
                    "data_mount": False,
                },
            }
        )
    )
    calls = []

    def fake_run_notebook(nb, *, timeout, limits):  # noqa: ANN001, ANN202
        calls.append((timeout, limits))
        return nb

    monkeypatch.setattr(ungp_hub.grader, "run_notebook", fake_run_notebook, raising=False)
    runner = grading.sandbox_runner(settings)
    assert runner is not None and runner is not run_on_host
    marker = object()
    assert runner(marker) is marker
    ((timeout, limits),) = calls
    assert (timeout, limits.image, limits.memory) == (17, "ungp/user:exam", "300M")


def test_the_certificate_names_the_person_and_the_public_page_only_with_consent(
    hub, office, cpi_exam, service_context
):
    """The hub's full name goes into the signed credential and the PDF; the QR page shows it
    once the holder agrees (certification.public_name: consent), and hides it again."""
    base, clock, modules = hub
    ctx = service_context

    async def hub_name(username):  # noqa: ANN001, ANN202 - the hub's user_info, as hub_names
        return {"ana": "Ana María de la Cruz"}.get(username, "")

    ctx.full_name = hub_name
    fetched = sit_and_pass(base, clock, modules, name="ana")
    work = solved(cpi_exam, office.variant(office.registry.sitting(fetched["sitting"]["sitting"])))
    answer = requests.post(
        f"{base}api/exams/cpi/submit", headers=as_user("ana"), data=json.dumps(work), timeout=120
    )
    credential_id = answer.json()["credential"]["id"]
    document = requests.get(f"{base}credentials/{credential_id}.json", headers=as_user("ana"))
    assert document.json()["credentialSubject"]["name"] == "Ana María de la Cruz"
    pdf = requests.get(f"{base}credentials/{credential_id}.pdf", headers=as_user("ana"))
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True).stdout
    assert "Ana María de la Cruz" in text.decode()

    home = requests.get(base, headers=as_user("ana"), timeout=30).text
    assert 'id="certificate-name">Ana María de la Cruz<' in home
    offered = [t for t in office.programme.tracks.values() if t.offered]
    assert home.count('<section class="track"') == len(offered) > 1  # one block per track

    def public_holder() -> str:
        page = requests.get(f"{base}verify/{credential_id}", timeout=30).text
        assert 'id="verdict">VALID' in page
        return page.split('id="holder">')[1].split("</td>")[0]

    assert "not shown here" in public_holder() and "Ana" not in public_holder()
    shown = requests.post(f"{base}consent", headers=as_user("ana"), data={"public": "yes"})
    assert shown.status_code == 200  # back on the certificates page
    assert public_holder() == "Ana María de la Cruz"
    requests.post(f"{base}consent", headers=as_user("ana"), data={"public": "no"})
    assert "Ana" not in public_holder()
    # The uploaded credential is the holder's to give: its name is always shown.
    uploaded = requests.post(f"{base}verify/", files={"credential": document.content}).text
    assert 'id="holder">Ana María de la Cruz<' in uploaded

    ctx.public_name = "always"
    assert public_holder() == "Ana María de la Cruz"
    refused = requests.post(f"{base}consent", headers=as_user("ana"), data={"public": "no"})
    assert refused.status_code == 409
    ctx.public_name = "never"
    requests.post(f"{base}consent", headers=as_user("ana"), data={"public": "yes"})
    assert "Ana" not in public_holder()


def test_an_old_certificate_named_by_account_says_so_and_a_silent_hub_issues_none(
    hub, office, cpi_exam, service_context
):
    base, clock, modules = hub
    ctx = service_context
    ctx.public_name = "always"
    fetched = sit_and_pass(base, clock, modules, name="olga")  # no full name on the hub
    work = solved(cpi_exam, office.variant(office.registry.sitting(fetched["sitting"]["sitting"])))
    answer = requests.post(
        f"{base}api/exams/cpi/submit", headers=as_user("olga"), data=json.dumps(work), timeout=120
    )
    credential_id = answer.json()["credential"]["id"]
    page = requests.get(f"{base}verify/{credential_id}", timeout=30).text
    assert "olga" in page and "the hub had no full name for the holder" in page

    async def hub_down(username):  # noqa: ANN001, ANN202
        raise ConnectionError("the hub does not answer")

    ctx.full_name = hub_down
    fetched = sit_and_pass(base, clock, modules, name="pia")
    work = solved(cpi_exam, office.variant(office.registry.sitting(fetched["sitting"]["sitting"])))
    waiting = requests.post(
        f"{base}api/exams/cpi/submit", headers=as_user("pia"), data=json.dumps(work), timeout=120
    )
    assert waiting.status_code == 201 and "waiting" in waiting.json()["grading"]
    assert office.registry.credentials(candidate="pia") == []
