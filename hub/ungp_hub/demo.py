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
DEMO_ROSTER = f"""username,role,full_name,course
admin,admin,Hub Administrator,
instructor,instructor,Ines Instructor,{DEMO_COURSE}
trainee1,trainee,Tomas Trainee,{DEMO_COURSE}
trainee2,trainee,Tara Trainee,{DEMO_COURSE}
analyst,analyst,Ana Analyst,
"""


@dataclass
class DemoReport:
    """What each demo step did and how long it took, printed by `ungp hub run`."""

    steps: list[tuple[str, float, str]] = field(default_factory=list)
    passwords: dict[str, str] = field(default_factory=dict)

    def run(self, name: str, step: Callable[[], str]) -> None:
        started = time.monotonic()
        outcome = step()
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
    from .certification.tracks import load_programme
    from .configure.certification import tracks_file

    if not settings.get("certification.enabled"):
        return "certification is off in the settings"
    track = load_programme(tracks_file(settings)).track("foundation")
    return (
        f"exam {track.exam.id} open until {track.exam.closes:%Y-%m-%d} "
        f"(after {', '.join(track.required_modules)})"
    )


def docker_available() -> bool:
    """Dashboards run in containers: without an engine (demo of local processes), none."""
    from .engine import docker_client_or_none

    return docker_client_or_none() is not None


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
