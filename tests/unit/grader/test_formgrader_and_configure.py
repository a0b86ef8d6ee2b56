"""The formgrader override wins over nbgrader's handler; the hub configures the service."""

from __future__ import annotations

import logging
from types import SimpleNamespace

from tornado.httputil import HTTPServerRequest
from tornado.web import Application, RequestHandler
from traitlets.config import Config
from ungp_hub.configure import apply_settings
from ungp_hub.configure.grader import GRADER_SERVICE
from ungp_hub.configure.hub_service import service_environment
from ungp_hub.grader import formgrader
from ungp_hub.settings import load_settings


class StockAutograde(RequestHandler):
    pass


def _handler_for(app: Application, path: str) -> type:
    request = HTTPServerRequest(method="POST", uri=path, headers=None)
    request.host = "localhost"
    request.host_name = "localhost"
    return app.find_handler(request).handler_class


def test_autograde_goes_to_the_grader_whatever_the_extension_order():
    app = Application([], base_url="/user/ines/")
    stock = [(r"/user/ines/formgrader/api/submission/([^/]+)/([^/]+)/autograde", StockAutograde)]
    app.add_handlers(".*$", stock)  # nbgrader's formgrader loaded first
    serverapp = SimpleNamespace(web_app=app, log=logging.getLogger("test"))
    formgrader._load_jupyter_server_extension(serverapp)
    app.add_handlers(".*$", stock)  # ... or after
    found = _handler_for(app, "/user/ines/formgrader/api/submission/ps1/ana/autograde")
    assert found.__name__ == "AutogradeViaGrader"
    status = _handler_for(app, "/user/ines/formgrader/api/ungp/grader/ps1")
    assert status.__name__ == "GradingStatus"
    other = _handler_for(app, "/user/ines/formgrader/api/submission/ps1/ana")
    assert other.__name__ != "AutogradeViaGrader"


def test_no_handlers_where_the_formgrader_is_off():
    app = Application([], base_url="/user/ana/")
    off = {"nbgrader.server_extensions.formgrader": False}
    serverapp = SimpleNamespace(web_app=app, log=logging.getLogger("test"), jpserver_extensions=off)
    formgrader._load_jupyter_server_extension(serverapp)
    assert len(app.default_router.rules) == 1  # only the application's initial rule


def test_hub_runs_the_grader_service_and_tells_containers(tmp_path):
    environ = {"UNGP_HUB__STATE_DIR": str(tmp_path), "UNGP_GRADER__CPU": "0.5"}
    settings = load_settings(None, environ)
    c = Config()
    apply_settings(c, settings)
    service = next(s for s in c.JupyterHub.services if s["name"] == GRADER_SERVICE)
    assert service["command"][1:] == ["-m", "ungp_hub.grader"]
    assert service["url"].endswith(":8008")  # public port 8000 + 8
    assert service["environment"]["UNGP_HUB__STATE_DIR"] == str(tmp_path)
    assert service_environment(settings, environ)["UNGP_GRADER__CPU"] == "0.5"
    role = next(r for r in c.JupyterHub.load_roles if r["name"] == "grader-service")
    assert role["scopes"] == ["read:users:name", "read:users:groups"]
    server = next(r for r in c.JupyterHub.load_roles if r["name"] == "server")
    assert f"access:services!service={GRADER_SERVICE}" in server["scopes"]
    assert c.UngpDockerSpawner.environment["UNGP_GRADER_URL"].endswith("/services/grader")
    off = load_settings(None, {**environ, "UNGP_GRADER__SERVICE": "false"})
    c2 = Config()
    apply_settings(c2, off)
    assert GRADER_SERVICE not in [s["name"] for s in c2.JupyterHub.get("services", [])]
