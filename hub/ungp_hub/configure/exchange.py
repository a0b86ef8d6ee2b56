"""The nbgrader exchange service and what user containers need to reach it.

The service listens on the address containers already use for the hub's API (the user
network's gateway, ``hub_connect_ip``), because inside a container the proxy's 127.0.0.1 is
not reachable; the proxy also routes /services/exchange/ to it for the host. See
docs/decisions/exchange.md.
"""

from __future__ import annotations

import sys
from urllib.parse import urlparse

from traitlets.config import Config

from ..lessons import LESSONS_MOUNT, lessons_dir
from ..settings import Settings
from ..state import StateDir
from .hub_service import add_service

EXCHANGE_SERVICE = "exchange"


def exchange_port(settings: Settings) -> int:
    return (
        settings.get("exchange.port") or (urlparse(settings.get("hub.bind_url")).port or 8000) + 5
    )


def update_exchange(c: Config, settings: Settings) -> None:
    exchange = settings.get("exchange")
    if not exchange["enabled"]:
        return
    state = StateDir(settings.state_dir)
    host = c.JupyterHub.hub_connect_ip if "hub_connect_ip" in c.JupyterHub else "127.0.0.1"
    url = f"http://{host}:{exchange_port(settings)}"
    service = {
        "name": EXCHANGE_SERVICE,
        "url": url,
        "display": False,
        "command": [
            sys.executable,
            "-m",
            "ungp_hub.exchange",
            "--storage",
            str(state.path / "exchange"),
            "--max-submission-mb",
            str(exchange["max_submission_mb"]),
            "--max-release-mb",
            str(exchange["max_release_mb"]),
            "--courses-root",
            str(state.path / "courses"),
            "--gradebook-url",
            settings.get("courses.gradebook_url"),
        ],
        "oauth_no_confirm": True,
    }
    role = {
        "name": "exchange-service",
        "description": (
            "The exchange reads who is in which course group (and a course's trainees "
            "for its progress page)."
        ),
        "scopes": ["read:users:name", "read:users:groups", "read:groups"],
    }
    # Users and their servers' tokens may call it: the trainee's own server fetches and submits.
    add_service(c, service, role, {"UNGP_EXCHANGE_URL": f"{url}/services/{EXCHANGE_SERVICE}"})
    courses = settings.get("courses")
    c.UngpDockerSpawner.course_settings = {
        "host_root": str(state.path / "courses"),
        "mount": courses["mount"],
        "gradebook_url": courses["gradebook_url"],
        "late_penalty_per_hour": courses["late_penalty_per_hour"],
        "lessons_root": str(lessons_dir(state.path)),
        "lessons_mount": LESSONS_MOUNT,
    }
