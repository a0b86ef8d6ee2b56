"""The nbgrader exchange service and what user containers need to reach it.

The service listens on the address containers already use for the hub's API (the user
network's gateway, ``hub_connect_ip``), because inside a container the proxy's 127.0.0.1 is
not reachable; the proxy also routes /services/exchange/ to it for the host. See
docs/decisions/exchange.md.
"""

from __future__ import annotations

from traitlets.config import Config

from ..lessons import LESSONS_MOUNT, lessons_dir
from ..settings import Settings
from ..state import StateDir
from .hub_service import add_hub_service

EXCHANGE_SERVICE = "exchange"


def update_exchange(c: Config, settings: Settings) -> None:
    if not settings.get("exchange.enabled"):
        return
    state = StateDir(settings.state_dir)
    role = {
        "description": (
            "The exchange reads who is in which course group (and a course's trainees "
            "for its progress page)."
        ),
        "scopes": ["read:users:name", "read:users:groups", "read:groups"],
    }
    # Users and their servers' tokens may call it: the trainee's own server fetches and submits.
    add_hub_service(c, settings, EXCHANGE_SERVICE, role, "UNGP_EXCHANGE_URL")
    courses = settings.get("courses")
    c.UngpDockerSpawner.course_settings = {
        "host_root": str(state.path / "courses"),
        "mount": courses["mount"],
        "gradebook_url": courses["gradebook_url"],
        "late_penalty_per_hour": courses["late_penalty_per_hour"],
        "lessons_root": str(lessons_dir(state.path)),
        "lessons_mount": LESSONS_MOUNT,
    }
