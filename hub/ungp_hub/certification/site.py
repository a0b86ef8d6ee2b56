"""The certification parts of this hub, from its site settings (service, CLI, configure, demo).

One place decides where the state lives, which programme is offered and under which public
URL the issuer signs, so the hub's configuration, the service and `ungp cert` agree.
"""

from __future__ import annotations

from pathlib import Path

from ..settings import Settings
from ..state import StateDir


def default_tracks_file() -> Path:
    """certification/tracks.yaml of the ungp-hub checkout this package is installed from."""
    import ungp_hub

    return Path(ungp_hub.__file__).resolve().parents[2] / "certification" / "tracks.yaml"


def tracks_file(settings: Settings) -> Path:
    """The programme offered: `certification.tracks_file`, else the checkout's."""
    return Path(settings.get("certification.tracks_file") or default_tracks_file())


def public_url(settings: Settings) -> str:
    """The URL certificates name for verification (`certification.public_url`, else the hub's)."""
    return (settings.get("certification.public_url") or settings.get("hub.bind_url")).rstrip("/")


def state_root(settings: Settings) -> Path:
    """STATE_DIR/certification: issuer keys, registry, exam secret, submissions."""
    return StateDir(settings.state_dir).path / "certification"


def install_state(settings: Settings) -> Path:
    """Make the issuer keys, the status list and the exam secret if missing; validate tracks."""
    from .exams import exam_secret
    from .issuing import Certifier
    from .tracks import load_programme

    root = state_root(settings)
    load_programme(tracks_file(settings))
    Certifier(root, public_url(settings), settings.get("certification.issuer_name")).install()
    exam_secret(root)
    return root
