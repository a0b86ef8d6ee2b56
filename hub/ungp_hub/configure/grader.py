"""The grader service, and what instructors' containers need to reach it.

Like the exchange, it listens on the address containers use for the hub; the instructor's
formgrader (``ungp_hub.grader.formgrader``) calls it with the container's hub token. The
service grades in its own process on the hub host, which has Docker and the course folders.
See docs/grading.md and docs/decisions/grader.md.
"""

from __future__ import annotations

import os
import sys
from urllib.parse import urlparse

from traitlets.config import Config

from ..settings import Settings
from .hub_service import add_service

GRADER_SERVICE = "grader"


def grader_port(settings: Settings) -> int:
    public = urlparse(settings.get("hub.bind_url")).port or 8000
    return settings.get("grader.port") or public + 8


def service_environment(settings: Settings, environ: dict[str, str] | None = None) -> dict:
    """The site's UNGP_ overrides and its state dir: the service reads the same settings."""
    environ = dict(os.environ if environ is None else environ)
    kept = {k: v for k, v in environ.items() if k.startswith("UNGP_") and "__" in k}
    return {**kept, "UNGP_HUB__STATE_DIR": str(settings.state_dir)}


def update_grader(c: Config, settings: Settings) -> None:
    if not settings.get("grader.service"):
        return
    host = c.JupyterHub.hub_connect_ip if "hub_connect_ip" in c.JupyterHub else "127.0.0.1"
    url = f"http://{host}:{grader_port(settings)}"
    command = [sys.executable, "-m", "ungp_hub.grader.service"]
    if settings.source is not None:
        command += ["--settings", str(settings.source)]
    service = {
        "name": GRADER_SERVICE,
        "url": url,
        "display": False,
        "command": command,
        "environment": service_environment(settings),
    }
    role = {
        "name": "grader-service",
        "description": "The grader reads who is in which course group.",
        "scopes": ["read:users:name", "read:users:groups"],
    }
    # The token in a user's container may call it; the service lets only instructors grade.
    add_service(c, service, role, {"UNGP_GRADER_URL": f"{url}/services/{GRADER_SERVICE}"})
