"""The hub's own pages: the landing page and the demo-mode banner."""

from __future__ import annotations

from importlib import resources

from traitlets.config import Config

from ..settings import Settings

DEMO_BANNER = "Demo mode: servers run as local processes without isolation. Not for real trainees."


def update_pages(c: Config, settings: Settings, demo_local: bool) -> None:
    c.JupyterHub.template_paths = [str(resources.files("ungp_hub").joinpath("templates"))]
    variables = {"ungp_demo": bool(settings.get("hub.demo")), "ungp_local": demo_local}
    if demo_local:
        variables["announcement"] = DEMO_BANNER
    c.JupyterHub.template_vars = variables
