"""The grader service, and what instructors' containers need to reach it.

Like the exchange, it listens on the address containers use for the hub; the instructor's
formgrader (``ungp_hub.grader.formgrader``) calls it with the container's hub token. The
service grades in its own process on the hub host, which has Docker and the course folders.
See docs/grading.md and docs/decisions/grader.md.
"""

from __future__ import annotations

from traitlets.config import Config

from ..settings import Settings
from .hub_service import add_hub_service

GRADER_SERVICE = "grader"


def update_grader(c: Config, settings: Settings) -> None:
    if not settings.get("grader.service"):
        return
    role = {
        "description": "The grader reads who is in which course group.",
        "scopes": ["read:users:name", "read:users:groups"],
    }
    # The token in a user's container may call it; the service lets only instructors grade.
    add_hub_service(c, settings, GRADER_SERVICE, role, "UNGP_GRADER_URL")
