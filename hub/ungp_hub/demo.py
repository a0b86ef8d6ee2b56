"""The demo of `make up`: accounts, data, a course with lessons, a dashboard, an open exam.

A newcomer's first hour must meet a hub with something in it. Each step below is idempotent
(a second `make up` finds it done and moves on) and timed, so the start-up prints where its
time went. Everything goes through the same code paths an admin's commands use
(`ungp catalog build`, `ungp course install`, `ungp dashboards publish`), never around them.
"""

from __future__ import annotations

import json
import os
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .accounts.hub_api import HubAPI, api_url
from .accounts.importer import import_roster
from .accounts.roster import Roster
from .settings import Settings

DEMO_COURSE = "demo"
# Foundations first (every module assumes it), Dask (a cluster one call away), AIS (port
# calls) and dissemination (the fast indicators behind the example dashboard).
DEMO_MODULES = ("m0-foundations", "m1-dask", "m2-ais", "m8-dissemination")
DEMO_DASHBOARD = "ais-weekly-ports"
# Three stages of a trainee: trainee1 starts from the lessons; trainee3 has passed module m0 and
# can sit the foundation exam; trainee2 holds the foundation certificate (what a verifier
# checks first). Both earn it at set-up through the same grading as anyone.
DEMO_HOLDER = "trainee2"
DEMO_PASSED_MODULE = ("trainee2", "trainee3")
DEMO_TRACK = "foundation"
DEMO_MODULE_ASSIGNMENT = ("m0_catalogue_quality", "quality.ipynb")
DEMO_CERTIFICATE_FILE = "demo-certificate.json"
DEMO_ROSTER = f"""username,role,full_name,course
admin,admin,Adam Admin,
instructor,instructor,Ines Instructor,{DEMO_COURSE}
trainee1,trainee,Tomas Trainee,{DEMO_COURSE}
trainee2,trainee,Tara Trainee,{DEMO_COURSE}
trainee3,trainee,Kofi Candidate,{DEMO_COURSE}
analyst,analyst,Ana Analyst,
"""


@dataclass
class DemoReport:
    """What each demo step did and how long it took, printed by `ungp hub run`."""

    steps: list[tuple[str, float, str]] = field(default_factory=list)
    passwords: dict[str, str] = field(default_factory=dict)

    log: Path | None = None

    def run(self, name: str, step: Callable[[], str]) -> None:
        """Run one step; a step that fails is reported (its traceback in ``log``) and the
        hub keeps running with the rest of the demo."""
        started = time.monotonic()
        try:
            outcome = step()
        except Exception as error:  # noqa: BLE001 - reported, logged whole, the hub stays up
            outcome = f"FAILED: {error}"
            if self.log is not None:
                self.log.parent.mkdir(parents=True, exist_ok=True)
                with self.log.open("a", encoding="utf-8") as handle:
                    handle.write(f"--- {name} ---\n{traceback.format_exc()}\n")
                outcome += f" (details in {self.log})"
        self.steps.append((name, time.monotonic() - started, outcome))

    def lines(self) -> list[str]:
        return [
            f"  {name:<11} {seconds:6.1f} s  {outcome}" for name, seconds, outcome in self.steps
        ]


def ensure_demo_accounts(settings: Settings) -> dict[str, str]:
    """Create the demo accounts once; afterwards return the passwords saved the first time."""
    saved = settings.state_dir / "secrets" / "demo-accounts.json"
    if saved.exists():
        return json.loads(saved.read_text())
    roster = Roster.parse(DEMO_ROSTER, "demo roster")
    db_url = settings.get("hub.database_url") or f"sqlite:///{settings.state_dir}/jupyterhub.sqlite"
    result = import_roster(roster, HubAPI.from_settings(settings), db_url, "demo roster")
    _write_private(saved, json.dumps(result.passwords, indent=2))
    return result.passwords


def ensure_demo_data(settings: Settings) -> str:
    """Build the small catalogue unless one is there (before the hub starts: the spawner
    mounts the domains that exist when a server starts)."""
    from ungp_catalogs.build import DEFAULT_SEED, build_catalog

    root = settings.data_dir / "catalog.yaml"
    if root.is_file() and root.stat().st_size > 0:
        return f"catalogue in {settings.data_dir} (kept)"
    report = build_catalog(settings.data_dir, scale="small", seed=DEFAULT_SEED)
    files = sum(d.files for d in report.domains)
    return f"small catalogue built: {len(report.domains)} domains, {files} files"


def ensure_demo_course(settings: Settings, modules_dir: Path) -> str:
    """The demo course: its folder and gradebook, the modules' assignments released and
    their lessons published (the accounts' roster already put people in its groups)."""
    from .exchange.modules import install_modules

    report = install_modules(
        settings.state_dir,
        DEMO_COURSE,
        DEMO_MODULES,
        modules_dir,
        settings.get("courses.gradebook_url"),
    )
    released = sum("released as version" in line for line in report)
    kept = sum("already released" in line for line in report)
    return (
        f"course {DEMO_COURSE!r}: {len(DEMO_MODULES)} modules, "
        f"{released} assignments released now, {kept} already released; lessons published"
    )


def ensure_demo_dashboard(settings: Settings) -> str:
    """The analyst's example dashboard, published to every user (it runs in a container of
    the user image, as the analyst, like any publication)."""
    from .dashboards.client import DashboardsClient
    from .dashboards.examples import example_paths

    if not settings.get("dashboards.enabled"):
        return "dashboards are off in the settings"
    api = HubAPI.from_settings(settings)
    response = api.request(
        "POST",
        "/users/analyst/tokens",
        json={"expires_in": 900, "note": "make up: publish the example dashboard"},
    )
    if response.status_code != 201:
        return f"not published: the hub refused a token for the analyst ({response.status_code})"
    token = response.json()["token"]
    url = api_url(settings).removesuffix("/hub/api") + "/services/dashboards/"
    client = DashboardsClient(url, token)
    try:
        if any(d["slug"] == DEMO_DASHBOARD for d in client.list()):
            return f"dashboard {DEMO_DASHBOARD!r} (kept)"
        result = client.publish(
            next(p for p in example_paths() if p.stem == DEMO_DASHBOARD),
            "all",
            title="Weekly port calls",
            description="Port calls and tonnes per port and week, from AIS (example).",
            slug=DEMO_DASHBOARD,
        )
    finally:
        api.request("DELETE", f"/users/analyst/tokens/{response.json()['id']}")
    return f"dashboard {DEMO_DASHBOARD!r} published to all users: {result['url']}"


def demo_exam(settings: Settings) -> str:
    """Which exam the demo's trainees can sit (the foundation track, after module m0)."""
    from .certification.site import tracks_file
    from .certification.tracks import load_programme

    if not settings.get("certification.enabled"):
        return "certification is off in the settings"
    track = load_programme(tracks_file(settings)).track("foundation")
    return (
        f"exam {track.exam.id} open until {track.exam.closes:%Y-%m-%d} "
        f"(after {', '.join(track.required_modules)})"
    )


def _solved(source: dict) -> bytes:
    """A notebook as a trainee who knows the method hands it in: the solution cells' code
    (nbgrader's markers removed) in place of the exercise."""
    import re

    for cell in source["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("solution") and cell["cell_type"] == "code":
            text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            cell["source"] = re.sub(r"^\s*### (BEGIN|END) SOLUTION\n?", "", text, flags=re.M)
    return json.dumps(source, indent=1).encode()


def _user_token(api: HubAPI, user: str, note: str) -> tuple[str, str]:
    response = api.request("POST", f"/users/{user}/tokens", json={"expires_in": 900, "note": note})
    if response.status_code != 201:
        raise DemoStepFailed(f"the hub refused a token for {user} ({response.status_code})")
    return response.json()["token"], response.json()["id"]


class DemoStepFailed(RuntimeError):
    """A demo step could not be done; the hub still runs, the step is reported."""


def ensure_demo_certificate(settings: Settings) -> str:
    """Module m0 passed by trainee2 and trainee3 (_pass_demo_module), then trainee2's exam
    fetched, answered with the method and submitted to the certification service, which
    grades it in the sandbox and issues the credential. Nothing is written around the checks."""
    import requests

    from .certification.issuing import Certifier
    from .certification.site import install_state, public_url

    if not settings.get("certification.enabled"):
        return "certification is off in the settings"
    root = install_state(settings)
    certifier = Certifier(root, public_url(settings), settings.get("certification.issuer_name"))
    graded = _pass_demo_module(settings)
    held = certifier.registry.credentials(DEMO_HOLDER, None, DEMO_TRACK)
    if held:
        _save_certificate(settings, held[0])
        return f"{DEMO_HOLDER} holds certificate {held[0].id} (kept; {graded})"

    api = HubAPI.from_settings(settings)
    token, token_id = _user_token(api, DEMO_HOLDER, "make up: the demo certificate")
    exams = (
        api_url(settings).removesuffix("/hub/api")
        + f"/services/certification/api/exams/{DEMO_TRACK}"
    )
    headers = {"Authorization": f"token {token}"}
    try:
        fetched = requests.post(f"{exams}/fetch", data=b"{}", headers=headers, timeout=120)
        if fetched.status_code != 200:
            raise DemoStepFailed(f"exam fetch: {fetched.status_code} {fetched.text[:300]}")
        template = json.loads(_exam_template(settings).read_text())
        answers = {
            c["metadata"]["nbgrader"]["grade_id"]: c
            for c in json.loads(_solved(template))["cells"]
            if c.get("metadata", {}).get("nbgrader", {}).get("solution")
        }
        paper = fetched.json()["notebook"]
        for cell in paper["cells"]:
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if grade_id in answers:
                cell["source"] = answers[grade_id]["source"]
        submitted = requests.post(
            f"{exams}/submit", data=json.dumps(paper).encode(), headers=headers, timeout=600
        )
    finally:
        api.request("DELETE", f"/users/{DEMO_HOLDER}/tokens/{token_id}")
    held = certifier.registry.credentials(DEMO_HOLDER, None, DEMO_TRACK)
    if not held:
        raise DemoStepFailed(
            f"the exam did not give a certificate: {submitted.status_code} {submitted.text[:300]}"
        )
    sitting = certifier.registry.sittings(DEMO_HOLDER, DEMO_TRACK)[-1]
    saved = _save_certificate(settings, held[0])
    return (
        f"{DEMO_HOLDER} earned certificate {held[0].id} ({graded}; exam "
        f"{sitting.score:g}/{sitting.max_score:g}): "
        f"{certifier.verify_url(held[0].id)}; the signed JSON in {saved}"
    )


def _pass_demo_module(settings: Settings) -> str:
    """trainee2 and trainee3 hand in module m0's reference solution through the exchange; it
    is collected and autograded in the sandbox like anyone's. Kept if already handed in."""
    from .courses import safe_files
    from .courses.folders import hand_to_container_user
    from .exchange.client.base import nbgrader_time
    from .exchange.store import ExchangeStore
    from .grader.site import site_assignment, site_run

    assignment, notebook = DEMO_MODULE_ASSIGNMENT
    course_dir = settings.state_dir / "courses" / DEMO_COURSE
    source = json.loads(safe_files.read_bytes(course_dir, f"source/{assignment}/{notebook}"))
    store = ExchangeStore(settings.state_dir / "exchange")
    todo = [s for s in DEMO_PASSED_MODULE if not store.submissions(DEMO_COURSE, assignment, s)]
    for student in todo:
        receipt = store.submit(DEMO_COURSE, assignment, student, {notebook: _solved(source)})
        collected = f"submitted/{student}/{assignment}"
        handed_in = store.submission_files(receipt)[notebook]
        safe_files.write_bytes(course_dir, f"{collected}/{notebook}", handed_in)
        stamp = nbgrader_time(receipt.submitted_at).encode()
        safe_files.write_bytes(course_dir, f"{collected}/timestamp.txt", stamp)
    for student in DEMO_PASSED_MODULE:  # also a demo made before this was done
        # as nbgrader's collect in the instructor's container (uid 1000) would have made it:
        # the instructor collects the trainee's later hand-ins into the same folder
        if (course_dir / "submitted" / student).exists():
            hand_to_container_user(course_dir / "submitted" / student)
    if not todo:
        return f"{assignment} graded before"
    work = site_assignment(settings, DEMO_COURSE, assignment)
    summary = site_run(settings, work).grade(todo, force=True)
    failed = [r for r in summary.results if r.status != "graded"]
    if failed:
        raise DemoStepFailed(
            "grading " + ", ".join(f"{r.student}: {r.status} {r.reasons}" for r in failed)
        )
    scores = ", ".join(f"{r.student} {r.score:g}/{r.max_score:g}" for r in summary.results)
    return f"{assignment}: {scores}"


def _save_certificate(settings: Settings, issued) -> Path:  # noqa: ANN001 - IssuedCredential
    """The demo certificate as its holder downloads it, for the README's offline check."""
    path = settings.state_dir / DEMO_CERTIFICATE_FILE
    path.write_text(json.dumps(issued.credential, indent=2) + "\n", encoding="utf-8")
    return path


def _exam_template(settings: Settings) -> Path:
    from .certification.site import tracks_file
    from .certification.tracks import load_programme

    programme = load_programme(tracks_file(settings))
    exam = programme.track(DEMO_TRACK).exam.id
    return programme.root / "exams" / exam / "exam.ipynb"


def docker_available() -> bool:
    """Dashboards run in containers: without an engine (demo of local processes), none."""
    from .engine import docker_client_or_none

    return docker_client_or_none() is not None


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
