"""The certification service and its state (issuer keys, exam secret), made at install.

The service listens on the address containers use for the hub (candidates fetch and submit
exams from JupyterLab) and the proxy routes /services/certification/ to it for browsers; its
verification pages, key set and status list are public. See docs/certification.md.
"""

from __future__ import annotations

import logging

from traitlets.config import Config

from ..certification.site import default_tracks_file, install_state
from ..settings import Settings
from .hub_service import add_hub_service

log = logging.getLogger("ungp_hub")
CERTIFICATION_SERVICE = "certification"


def update_certification(c: Config, settings: Settings) -> None:
    section = settings.get("certification")
    if not section["enabled"]:
        return
    if not section["tracks_file"] and not default_tracks_file().exists():
        # Installed without the source tree (a wheel): there is no programme to offer.
        log.warning(
            "certification is off: %s does not exist; set certification.tracks_file to the "
            "programme's tracks.yaml (its folder's exams/ holds the exams)",
            default_tracks_file(),
        )
        return
    install_state(settings)
    if section["grading"] == "host":
        log.warning(
            "certification.grading is 'host': exam submissions run ON THE HUB HOST. This is "
            "for tests only; set certification.grading: sandbox (the default) on a real hub"
        )
    role = {
        "description": "The certification service reads who is a hub admin.",
        "scopes": ["read:users"],
    }
    add_hub_service(c, settings, CERTIFICATION_SERVICE, role, "UNGP_CERTIFICATION_URL", True)
