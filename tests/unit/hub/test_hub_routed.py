"""hub_is_routed asks a real configurable-http-proxy's API whether it routes the hub yet."""

from __future__ import annotations

import subprocess

import pytest
import requests
from testpolicy import require
from ungp_hub.configure.hub import hub_is_routed, internal_ports
from ungp_hub.settings import load_settings
from ungp_hub.state import StateDir
from ungp_hub.testing.hub import free_port_block
from ungp_hub.testing.wait import wait_for


@pytest.fixture
def settings(tmp_path):
    port = free_port_block(3)
    environ = {
        "UNGP_HUB__STATE_DIR": str(tmp_path / "state"),
        "UNGP_HUB__BIND_URL": f"http://127.0.0.1:{port}",
    }
    return load_settings(None, environ=environ)


def test_false_until_the_proxy_routes_the_hub_then_true(settings):
    state = StateDir(settings.state_dir)
    command = state.proxy_command()
    require(command is not None, "configurable-http-proxy (make installs it)")
    assert hub_is_routed(settings) is False  # nothing listens yet
    public = settings.get("hub.bind_url")
    api_port, hub_port = internal_ports(public)
    token = state.secret("proxy-auth-token")
    proxy = subprocess.Popen(
        [
            *command,
            "--ip",
            "127.0.0.1",
            "--port",
            public.rsplit(":", 1)[1],
            "--api-ip",
            "127.0.0.1",
            "--api-port",
            str(api_port),
        ],
        env={"CONFIGPROXY_AUTH_TOKEN": token, "PATH": "/usr/bin:/bin"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        api = f"http://127.0.0.1:{api_port}/api/routes"
        headers = {"Authorization": f"token {token}"}
        wait_for(lambda: requests.get(api, headers=headers, timeout=2).ok, 30, "the proxy")
        assert hub_is_routed(settings) is False  # up, but the hub has no route yet
        route = requests.post(
            f"{api}/", headers=headers, json={"target": f"http://127.0.0.1:{hub_port}"}, timeout=5
        )
        assert route.status_code == 201
        assert hub_is_routed(settings) is True
    finally:
        proxy.terminate()
        proxy.wait(timeout=10)
