"""Every hub service starts one way (``ungp_hub.service.app.HubService``), reads the hub's
own settings file by the hub's rule, answers ``{prefix}health``, and maps errors the same way.

The services run as real processes here, as JupyterHub starts them (the environment the
hub's configuration gives them), with no hub behind them: health needs none.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import signal
import subprocess
import sys

import pytest
import requests
import yaml
from tornado import httpclient
from tornado.httpserver import HTTPServer
from traitlets.config import Config
from ungp_hub.configure import apply_settings
from ungp_hub.errors import NotFound
from ungp_hub.service.app import HubService, tornado_app
from ungp_hub.service.handlers import UserErrorAnswers
from ungp_hub.settings import load_settings, site_settings_file
from ungp_hub.testing.hub import free_port_block
from ungp_hub.testing.logs import problems
from ungp_hub.testing.wait import wait_for

SERVICES = ("exchange", "grader", "certification", "dashboards")


@pytest.fixture
def hub_config(tmp_path):
    """The hub's configuration from a site file, as jupyterhub_config.py makes it."""
    path = tmp_path / "settings.yaml"
    site = {
        "hub": {"state_dir": str(tmp_path / "state"), "bind_url": "http://127.0.0.1:8800"},
        "exchange": {"max_submission_mb": 3},
        "certification": {"public_url": "https://hub.example.org"},
    }
    path.write_text(yaml.safe_dump(site))
    settings = load_settings(path, environ={})
    c = Config()
    apply_settings(c, settings)
    return settings, {s["name"]: s for s in c.JupyterHub.services}


def test_the_hub_and_its_services_find_the_settings_by_one_rule():
    assert site_settings_file(environ={"UNGP_SETTINGS": "/srv/site.yaml"}) == "/srv/site.yaml"
    assert site_settings_file(environ={}) == "/etc/ungp-hub/settings.yaml"
    assert site_settings_file("/given.yaml", environ={"UNGP_SETTINGS": "/x"}) == "/given.yaml"
    config = importlib.resources.files("ungp_hub") / ".." / ".." / "jupyterhub_config.py"
    assert "load_settings(site_settings_file())" in config.read_text()


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_is_registered_one_way_and_reads_the_hubs_settings(hub_config, name):
    settings, services = hub_config
    service = services[name]
    assert service["command"] == [sys.executable, "-m", f"ungp_hub.{name}"]
    environ = service["environment"]
    assert environ["UNGP_SETTINGS"] == str(settings.source)
    seen = load_settings(site_settings_file(environ=environ), environ=environ)
    assert seen.data == settings.data
    runners = [
        cls
        for cls in vars(importlib.import_module(f"ungp_hub.{name}.service")).values()
        if isinstance(cls, type) and issubclass(cls, HubService) and cls is not HubService
    ]
    assert [cls.name for cls in runners] == [name]
    main = importlib.util.find_spec(f"ungp_hub.{name}.__main__").loader.get_source(
        f"ungp_hub.{name}.__main__"
    )
    assert f"{runners[0].__name__}.launch_instance()" in main


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_answers_health_and_stops_cleanly(hub_config, name):
    settings, services = hub_config
    port = free_port_block(1)
    env = {
        "PATH": os.environ["PATH"],
        **services[name]["environment"],
        "JUPYTERHUB_SERVICE_NAME": name,
        "JUPYTERHUB_SERVICE_URL": f"http://127.0.0.1:{port}",
        "JUPYTERHUB_SERVICE_PREFIX": f"/services/{name}/",
        "JUPYTERHUB_API_URL": "http://127.0.0.1:9/hub/api",
        "JUPYTERHUB_API_TOKEN": "unused",
    }
    process = subprocess.Popen(
        services[name]["command"], env=env, stderr=subprocess.PIPE, text=True
    )
    url = f"http://127.0.0.1:{port}/services/{name}/health"
    try:

        def health() -> requests.Response:
            assert process.poll() is None, process.stderr.read()
            return requests.get(url, timeout=2)

        answer = wait_for(health, 120, f"the {name} service")  # a loaded machine starts slowly
        assert answer.status_code == 200
        assert answer.json() == {"service": name, "status": "ok"}
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
    stderr = process.stderr.read()
    assert code == 0, stderr
    assert f"{name} listening on http://127.0.0.1:{port}" in stderr
    assert problems(stderr) == [], stderr


class Raises(UserErrorAnswers):
    service = "the test service"

    def get(self, kind: str) -> None:
        if kind == "refused":
            raise NotFound("there is no course 'x' on this hub")
        raise KeyError("/srv/state/secret-path")  # a bug: its details stay in the log


def test_user_errors_are_answered_with_their_status_and_bugs_name_nothing(caplog):
    async def exchange() -> dict[str, tuple[int, dict]]:
        app = tornado_app("t", "/services/t/", [("(refused|bug)", Raises, {})])
        server = HTTPServer(app)
        port = free_port_block(1)
        server.listen(port, "127.0.0.1")
        client = httpclient.AsyncHTTPClient()
        answers = {}
        for path in ("refused", "bug", "health"):
            response = await client.fetch(
                f"http://127.0.0.1:{port}/services/t/{path}", raise_error=False
            )
            answers[path] = (response.code, json.loads(response.body))
        server.stop()
        return answers

    with caplog.at_level("WARNING"):
        answers = asyncio.run(exchange())
    assert answers["refused"] == (404, {"reason": "there is no course 'x' on this hub"})
    code, body = answers["bug"]
    assert code == 500 and "secret-path" not in json.dumps(body)
    assert body == {"reason": "internal error of the test service; the hub admin has the log"}
    assert answers["health"] == (200, {"service": "t", "status": "ok"})
    refused = [r for r in caplog.records if "refused GET /services/t/refused" in r.getMessage()]
    assert len(refused) == 1 and refused[0].exc_info is None  # one line, no traceback
    assert any(r.exc_info and "secret-path" in str(r.exc_info[1]) for r in caplog.records)
