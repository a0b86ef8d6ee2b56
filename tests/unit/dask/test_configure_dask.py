"""update_dask: the gateway service, the roles that let users reach it, notebook settings."""

from __future__ import annotations

import io
import tarfile

import pytest
from traitlets.config import Config
from ungp_hub.configure import dask as configure_dask
from ungp_hub.dask.containers import tls_archive
from ungp_hub.dask.plan import PLAN_ENV, SERVICE_NAME, GatewayPlan


@pytest.fixture
def docker_gateway(monkeypatch):
    monkeypatch.setattr(configure_dask, "_listen_ip", lambda settings: "172.30.0.1")


def test_service_roles_and_notebook_environment(make_settings, docker_gateway):
    c = Config()
    c.JupyterHub.services = [{"name": "ungp-cli", "api_token": "x"}]
    c.JupyterHub.load_roles = [
        {"name": "admin", "services": ["ungp-cli"]},
        {"name": "user", "scopes": ["self", "access:services!service=exchange"]},
    ]
    c.UngpDockerSpawner.environment = {"KEEP": "me"}
    plan = configure_dask.update_dask(c, make_settings())

    services = {service["name"]: service for service in c.JupyterHub.services}
    assert set(services) == {"ungp-cli", SERVICE_NAME}, "earlier services are kept"
    gateway = services[SERVICE_NAME]
    assert gateway["url"] == plan.service_url == f"http://172.30.0.1:{plan.port}"
    assert GatewayPlan.read(gateway["environment"][PLAN_ENV]) == plan
    assert gateway["command"][-1].endswith("gateway_config_file.py")

    roles = {role["name"]: role for role in c.JupyterHub.load_roles}
    scope = f"access:services!service={SERVICE_NAME}"
    assert roles["admin"] == {"name": "admin", "services": ["ungp-cli"]}
    assert roles["user"]["scopes"] == ["self", "access:services!service=exchange", scope]
    server_scopes = roles["server"]["scopes"]
    assert scope in server_scopes and "access:servers!server" in server_scopes

    environment = c.UngpDockerSpawner.environment
    assert environment["KEEP"] == "me"
    assert environment["DASK_GATEWAY__ADDRESS"].startswith("http://172.30.0.1:")


def test_configuring_twice_does_not_repeat_the_scope(make_settings, docker_gateway):
    c = Config()
    configure_dask.update_dask(c, make_settings())
    first = [dict(role) for role in c.JupyterHub.load_roles]
    c.JupyterHub.services = []
    configure_dask.update_dask(c, make_settings())
    assert c.JupyterHub.load_roles == first


@pytest.mark.parametrize("env", [{"UNGP_DASK__ENABLED": "false"}, {"UNGP_HUB__SPAWNER": "local"}])
def test_off_when_disabled_or_in_local_demo_mode(make_settings, docker_gateway, env):
    c = Config()
    assert configure_dask.update_dask(c, make_settings(**env)) is None
    assert "services" not in c.JupyterHub and "environment" not in c.UngpDockerSpawner


def test_off_without_a_docker_engine(make_settings, monkeypatch):
    monkeypatch.setattr(configure_dask, "_listen_ip", lambda settings: None)
    c = Config()
    assert configure_dask.update_dask(c, make_settings()) is None
    assert "services" not in c.JupyterHub


def test_tls_files_reach_the_container_private_to_the_dask_user():
    archive = tarfile.open(fileobj=io.BytesIO(tls_archive(b"CERT", b"KEY", 1000)))
    members = {member.name: member for member in archive.getmembers()}
    assert set(members) == {"dask-gateway", "dask-gateway/dask.crt", "dask-gateway/dask.pem"}
    assert members["dask-gateway"].isdir() and members["dask-gateway"].mode == 0o700
    for name, content in (("dask.crt", b"CERT"), ("dask.pem", b"KEY")):
        member = members[f"dask-gateway/{name}"]
        assert (member.uid, member.mode) == (1000, 0o600)
        assert archive.extractfile(member).read() == content
