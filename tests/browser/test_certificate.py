"""A candidate passes the CPI exam and gets a certificate that a stranger verifies in Chromium;
the admin revokes it and the page and `ungp cert verify` then say revoked; a second candidate's
copied answers fail.

The hub runs with local servers (no containers needed: the candidate fetches and submits over
the service's API with a hub token, as the JupyterLab extension does) and grades on the host
(certification.grading: host), because the submissions here are trusted fixtures.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import requests
from playwright.sync_api import expect
from testpolicy import ARTIFACTS, REPO_ROOT
from ungp_hub.certification.tracks import load_programme
from ungp_hub.courses.folders import alembic_on_path
from ungp_hub.state import StateDir
from ungp_hub.testing.client import HubUser
from ungp_hub.testing.hub import RunningHub, free_port_block, write_settings

pytestmark = pytest.mark.browser
SERVICE = "/services/certification/"
EXAM = REPO_ROOT / "certification" / "exams" / "x3-scanner-cpi" / "exam.ipynb"


@pytest.fixture
def cert_hub(tmp_path):
    state = tmp_path / "state"
    StateDir(state).ensure()
    port = free_port_block()
    settings = write_settings(
        state,
        port,
        {
            "hub": {"spawner": "local"},
            "dask": {"enabled": False},
            "certification": {"grading": "host", "issuer_name": "Test Statistics Academy"},
        },
    )
    hub = RunningHub(state, settings, REPO_ROOT / "jupyterhub_config.py", port)
    hub.start(timeout=120)
    yield hub
    hub.stop()


def pass_modules(state: Path, student: str) -> None:
    """Graded module submissions in a course gradebook, as autograde leaves them."""
    from nbgrader.api import Gradebook

    folder = state / "courses" / "cpi-course"
    folder.mkdir(parents=True, exist_ok=True)
    with alembic_on_path(), Gradebook(f"sqlite:///{folder}/gradebook.db", "cpi-course") as book:
        book.update_or_create_student(student)
        for assignment in ("m0_catalogue_quality", "m3_scanner_index"):
            book.update_or_create_assignment(assignment)
            book.update_or_create_notebook("work", assignment)
            book.update_or_create_grade_cell(
                "q", "work", assignment, max_score=10, cell_type="code"
            )
            book.add_submission(assignment, student)
            book.find_grade("q", "work", assignment, student).manual_score = 9
            book.db.commit()


def api(hub: RunningHub, token: str, verb: str, body: dict | None = None) -> requests.Response:
    return requests.post(
        f"{hub.url}{SERVICE}api/exams/cpi/{verb}",
        data=json.dumps(body or {}),
        headers={"Authorization": f"token {token}"},
        timeout=180,
    )


def answered(released: dict, answers: dict[str, str]) -> dict:
    nb = nbformat.from_dict(released)
    for cell in nb.cells:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
        if grade_id.startswith("answer-"):
            cell.source = answers[grade_id]
    return nb


def method_answers() -> dict[str, str]:
    """The reference method of each question (the template's solution cells)."""
    template = nbformat.read(EXAM, as_version=4)
    return {
        cell.metadata["nbgrader"]["grade_id"]: re.sub(
            r"### (BEGIN|END) SOLUTION\n?", "", cell.source
        )
        for cell in template.cells
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution")
    }


def login(page, hub: RunningHub, name: str, password: str, next_path: str) -> None:
    page.goto(f"{hub.url}/hub/login?next={next_path}")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", password)
    page.click("#login_submit")


def test_certificate_issued_verified_revoked_and_copy_refused(cert_hub, browser, tmp_path):
    hub = cert_hub
    passwords = hub.add_people(
        "username,role,full_name\ncand-a,trainee,Ana María de la Cruz\ncand-b,trainee,Ben\n"
        "cert-boss,admin,Boss\n"
    )
    for name in ("cand-a", "cand-b"):
        pass_modules(hub.state_dir, name)
    tokens = {}
    for name in ("cand-a", "cand-b"):
        person = HubUser(hub.url, name)
        assert person.login(passwords[name]).status_code == 302
        tokens[name] = person.new_token()

    # Candidate A fetches her variant and submits the method: graded, passed, issued.
    fetched = api(hub, tokens["cand-a"], "fetch")
    assert fetched.status_code == 200, fetched.text
    notebook = answered(fetched.json()["notebook"], method_answers())
    submitted = api(hub, tokens["cand-a"], "submit", notebook)
    assert submitted.status_code == 201, submitted.text
    result = submitted.json()
    assert result["passed"] and result["grade"]["score"] == 10, result
    credential_id = result["credential"]["id"]
    a_answers = {item["item"]: item["answer"] for item in result["grade"]["items"]}

    # She downloads the PDF and the JSON from her certificates page (landing page link).
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    login(page, hub, "cand-a", passwords["cand-a"], "/hub/home")
    page.wait_for_url("**/hub/**")
    page.goto(f"{hub.url}/hub/home")
    page.click("#ungp-certificates-link")
    expect(page.locator("#my-certificates")).to_contain_text(credential_id, timeout=30_000)
    expect(page.locator("#sittings")).to_contain_text(result["receipt"]["sha256"])
    with page.expect_download() as pdf_download:
        page.click(".download-pdf")
    pdf = tmp_path / "certificate.pdf"
    pdf_download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Ana María de la Cruz" in text and "cand-a" not in text
    with page.expect_download() as json_download:
        page.click(".download-json")
    credential_file = tmp_path / "certificate.json"
    json_download.value.save_as(credential_file)
    credential = json.loads(credential_file.read_text())
    assert credential["id"] == f"urn:uuid:{credential_id}"
    assert credential["credentialSubject"]["name"] == "Ana María de la Cruz"
    expect(page.locator("#certificate-name")).to_have_text("Ana María de la Cruz")
    programme = load_programme(REPO_ROOT / "certification" / "tracks.yaml")
    offered = [track for track in programme.tracks.values() if track.offered]
    expect(page.locator("section.track")).to_have_count(len(offered))
    page.screenshot(path=str(ARTIFACTS / "certificates-page.png"), full_page=True)

    # A verifier without an account: the QR target, then an upload of the JSON.
    stranger = browser.new_context()
    public = stranger.new_page()
    public.goto(f"{hub.url}{SERVICE}verify/{credential_id}")
    expect(public.locator("#verdict")).to_have_text("VALID")
    expect(public.locator("#holder")).to_contain_text("has not chosen to show their name")
    # She agrees to show her name there (certification.public_name: consent, the default).
    page.click("#name-consent button")
    expect(page.locator("#name-consent")).to_contain_text("is shown")
    context.close()
    public.goto(f"{hub.url}{SERVICE}verify/{credential_id}")
    expect(public.locator("#holder")).to_have_text("Ana María de la Cruz")
    public.screenshot(path=str(ARTIFACTS / "certificate-verified.png"), full_page=True)
    public.goto(f"{hub.url}{SERVICE}verify/")
    public.set_input_files("#credential-file", str(credential_file))
    public.click("#verify-submit")
    expect(public.locator("#verdict")).to_have_text("VALID")

    # The admin revokes it with a reason.
    admin_context = browser.new_context()
    admin = admin_context.new_page()
    login(admin, hub, "cert-boss", passwords["cert-boss"], f"{SERVICE}admin")
    expect(admin.locator("#issued")).to_contain_text(credential_id, timeout=30_000)
    admin.fill(".revoke-reason", "exam taken by someone else")
    admin.click(".revoke")
    expect(admin.locator("#admin-message")).to_contain_text(f"Revoked {credential_id}")
    admin_context.close()

    public.goto(f"{hub.url}{SERVICE}verify/{credential_id}")
    expect(public.locator("#verdict")).to_have_text("INVALID")
    expect(public.locator("#reasons")).to_contain_text("revoked")
    expect(public.locator("#revocation")).to_contain_text("exam taken by someone else")
    public.screenshot(path=str(ARTIFACTS / "certificate-revoked.png"), full_page=True)
    stranger.close()

    # Offline check with the published key set and status list.
    for name, path in (("issuer.json", "issuer"), ("status.json", "status/1")):
        (tmp_path / name).write_text(requests.get(f"{hub.url}{SERVICE}{path}", timeout=30).text)
    verified = subprocess.run(
        [
            sys.executable,
            "-m",
            "ungp_hub.cli.main",
            "cert",
            "verify",
            str(credential_file),
            "--keys",
            str(tmp_path / "issuer.json"),
            "--status-list",
            str(tmp_path / "status.json"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert verified.returncode == 1 and "revoked: bit" in verified.stdout, verified.stdout

    # Candidate B copies A's correct answers: refused with the reason, no certificate.
    fetched = api(hub, tokens["cand-b"], "fetch")
    assert fetched.status_code == 200, fetched.text
    copied = answered(
        fetched.json()["notebook"],
        {f"answer-{item}": f"{item} = {value!r}" for item, value in a_answers.items()},
    )
    answer = api(hub, tokens["cand-b"], "submit", copied).json()
    assert answer["passed"] is False and answer["grade"]["score"] == 0
    assert {i["reason"] for i in answer["grade"]["items"]} == {"incorrect for your exam's data"}
    assert "credential" not in answer
