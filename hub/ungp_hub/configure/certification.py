"""The certification service and its state (issuer keys, exam secret), made at install.

The service listens on the address containers use for the hub (candidates fetch and submit
exams from JupyterLab) and the proxy routes /services/certification/ to it for browsers; its
verification pages, key set and status list are public. See docs/certification.md.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from urllib.parse import urlparse

from traitlets.config import Config

from ..settings import Settings
from ..state import StateDir
from .hub_service import add_service

log = logging.getLogger("ungp_hub")
CERTIFICATION_SERVICE = "certification"


def certification_port(settings: Settings) -> int:
    public = urlparse(settings.get("hub.bind_url")).port or 8000
    return settings.get("certification.port") or public + 7


def default_tracks_file() -> Path:
    """certification/tracks.yaml of the ungp-hub checkout this package is installed from."""
    import ungp_hub

    return Path(ungp_hub.__file__).resolve().parents[2] / "certification" / "tracks.yaml"


def public_url(settings: Settings) -> str:
    return (settings.get("certification.public_url") or settings.get("hub.bind_url")).rstrip("/")


def install_state(settings: Settings) -> Path:
    """Make the issuer keys, the status list and the exam secret if missing; validate tracks."""
    from ..certification.exams import exam_secret
    from ..certification.issuing import Certifier
    from ..certification.tracks import load_programme

    root = StateDir(settings.state_dir).path / "certification"
    load_programme(tracks_file(settings))
    Certifier(root, public_url(settings), settings.get("certification.issuer_name")).install()
    exam_secret(root)
    return root


def tracks_file(settings: Settings) -> Path:
    return Path(settings.get("certification.tracks_file") or default_tracks_file())


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
    root = install_state(settings)
    if section["grading"] == "host":
        log.warning(
            "certification.grading is 'host': exam submissions run ON THE HUB HOST. This is "
            "for tests only; set certification.grading: sandbox (the default) on a real hub"
        )
    host = c.JupyterHub.hub_connect_ip if "hub_connect_ip" in c.JupyterHub else "127.0.0.1"
    url = f"http://{host}:{certification_port(settings)}"
    state = StateDir(settings.state_dir)
    service = {
        "name": CERTIFICATION_SERVICE,
        "url": url,
        "display": True,
        "oauth_no_confirm": True,
        "command": [
            sys.executable,
            "-m",
            "ungp_hub.certification",
            "--root",
            str(root),
            "--tracks",
            str(tracks_file(settings)),
            "--public-url",
            public_url(settings),
            "--issuer-name",
            section["issuer_name"],
            "--public-name",
            section["public_name"],
            "--courses-dir",
            str(state.path / "courses"),
            "--gradebook-url",
            settings.get("courses.gradebook_url"),
            "--grading",
            section["grading"],
            "--admins",
            ",".join(settings.get("hub.admin_users")),
            "--settings",
            str(settings.source or ""),
        ],
        # JupyterHub starts services with an almost empty environment: the sandboxed grader
        # needs to reach the container engine the hub uses.
        "environment": {
            name: os.environ[name]
            for name in ("DOCKER_HOST", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH")
            if name in os.environ
        },
    }
    role = {
        "name": "certification-service",
        "description": "The certification service reads who is a hub admin.",
        "scopes": ["read:users"],
    }
    env = {"UNGP_CERTIFICATION_URL": f"{url}/services/{CERTIFICATION_SERVICE}"}
    add_service(c, service, role, env)
