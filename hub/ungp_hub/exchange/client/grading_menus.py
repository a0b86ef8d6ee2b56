"""Hide nbgrader's grading menus from people who do not grade.

Trainees and analysts run without nbgrader's formgrader server extension (their profiles'
``server_extensions_off``; it costs start-up time and serves nothing to them), yet nbgrader's
lab extension still showed Formgrader, Course List and Create Assignment, which then answer
404. This server extension follows the server's own extension list rather than a second
setting: when the formgrader is off, the lab plugins that only talk to it are listed in the
page's ``disabledExtensions`` (JupyterLab's ``page_config_hook``), the same as
``jupyter labextension disable`` would do, but per server. Instructors keep everything.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

FORMGRADER = "nbgrader.server_extensions.formgrader"
# The lab plugins that need the formgrader: its panel, the course list (a list of
# formgraders) and the Create Assignment toolbar (it edits nbgrader metadata for grading).
GRADING_PLUGINS = (
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:course-list",
    "@jupyter/nbgrader:create-assignment",
)

PageConfigHook = Callable[[Any, dict[str, Any]], dict[str, Any]]


def disabling_hook(plugins: tuple[str, ...], previous: PageConfigHook | None) -> PageConfigHook:
    """A page_config_hook that adds `plugins` to disabledExtensions after `previous` ran."""

    def hook(handler: Any, page_config: dict[str, Any]) -> dict[str, Any]:
        if previous is not None:
            page_config = previous(handler, page_config)
        disabled = list(page_config.get("disabledExtensions") or [])
        page_config["disabledExtensions"] = disabled + [p for p in plugins if p not in disabled]
        return page_config

    return hook


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "ungp_hub.exchange.client.grading_menus"}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    # The extension manager, not ServerApp.jpserver_extensions: that trait misses the
    # extensions enabled by packages' jupyter_server_config.d files (nbgrader's among them).
    formgrader = serverapp.extension_manager.extensions.get(FORMGRADER)
    if formgrader is not None and formgrader.enabled:
        return
    settings = serverapp.web_app.settings
    settings["page_config_hook"] = disabling_hook(GRADING_PLUGINS, settings.get("page_config_hook"))
    serverapp.log.info("ungp: no formgrader here, nbgrader's grading menus are hidden")
