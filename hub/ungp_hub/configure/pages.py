"""The hub's own pages: the landing page (with the trainee's progress) and the demo banner."""

from __future__ import annotations

from importlib import resources

from traitlets.config import Config

from ..exchange.progress import LandingProgress
from ..settings import Settings
from ..state import StateDir

DEMO_BANNER = "Demo mode: servers run as local processes without isolation. Not for real trainees."


def update_pages(c: Config, settings: Settings, demo_local: bool) -> None:
    c.JupyterHub.template_paths = [str(resources.files("ungp_hub").joinpath("templates"))]
    variables = {"ungp_demo": bool(settings.get("hub.demo")), "ungp_local": demo_local}
    if demo_local:
        variables["announcement"] = DEMO_BANNER
    if settings.get("exchange.enabled"):
        # Called with the signed-in user when the landing page renders.
        variables["ungp_progress"] = LandingProgress(StateDir(settings.state_dir).path / "exchange")
    c.JupyterHub.template_vars = variables
