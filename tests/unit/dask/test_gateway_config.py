"""The gateway's configuration for each backend loads and its objects construct (no cluster)."""

from __future__ import annotations

import asyncio

import pytest
from dask_gateway_server.app import DaskGateway
from dask_gateway_server.models import User
from testpolicy import require_module
from traitlets import HasTraits
from traitlets.config import Config
from ungp_hub.dask.containers import ContainerBackend, ContainerClusterConfig
from ungp_hub.dask.gateway_config import BACKENDS, configure_gateway
from ungp_hub.dask.plan import PREFIX, GatewayPlan, make_plan, plan_path
from ungp_hub.dask.quota import ClusterQuota


def needs_kubernetes_client(kind: str) -> None:
    if kind == "kubernetes":
        require_module("kubernetes_asyncio", "dask-gateway-server[kubernetes] (the hub extra)")


def plan_for(make_settings, backend: str, **env: str) -> GatewayPlan:
    settings = make_settings(UNGP_DASK__BACKEND=backend, **env)
    return make_plan(settings, "172.30.0.1", "http://172.30.0.1:8002/hub/api", "ungp/user:abc")


def gateway_for(plan: GatewayPlan, monkeypatch) -> tuple[DaskGateway, object, object]:
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "not-a-real-token")
    app = DaskGateway(config=configure_gateway(Config(), plan))
    authenticator = app.authenticator_class(parent=app, log=app.log)
    backend = app.backend_class(parent=app, log=app.log)
    return app, authenticator, backend


@pytest.mark.parametrize("kind", sorted(BACKENDS))
def test_every_backend_constructs_with_hub_auth_and_limits(make_settings, monkeypatch, kind):
    needs_kubernetes_client(kind)
    plan = plan_for(make_settings, kind)
    app, authenticator, backend = gateway_for(plan, monkeypatch)
    assert f"{type(backend).__module__}.{type(backend).__name__}" == BACKENDS[kind]
    assert isinstance(backend, ClusterQuota) and backend.group_limits == plan.limits
    assert authenticator.jupyterhub_api_url == plan.hub_api_url
    assert authenticator.use_service_access_scopes is True
    assert app.address == plan.api_listen

    user = User("t", groups=["trainees"])
    options, config = asyncio.run(backend.process_cluster_options(user, {"worker_memory": 0.5}))
    assert config.worker_memory == 2**29
    assert config.cluster_max_workers == plan.limits["trainee"]["max_workers"]
    assert config.idle_timeout == plan.idle_timeout
    assert config.scheduler_memory == plan.scheduler_memory
    assert config.scheduler_cmd == ["dask", "scheduler"]


def test_docker_backend_gets_the_notebooks_image_mounts_and_proxy(make_settings, monkeypatch):
    plan = plan_for(make_settings, "docker", UNGP_DASK__PIDS="300")
    _, _, backend = gateway_for(plan, monkeypatch)
    assert isinstance(backend, ContainerBackend)
    assert backend.image == "ungp/user:abc"
    assert backend.pids_limit == 300
    assert backend.data_host_path == plan.docker["data_host_path"]
    assert backend.restricted_groups == plan.docker["restricted_groups"]
    assert backend.gateway_id == plan.gateway_id
    assert backend.db_url == "sqlite:///:memory:" and backend.stop_clusters_on_shutdown
    config = configure_gateway(Config(), plan)
    assert config.Proxy.prefix == PREFIX
    assert config.Proxy.address == config.Proxy.tcp_address == plan.proxy_listen


def test_kubernetes_cluster_config_uses_the_user_image(make_settings, monkeypatch):
    needs_kubernetes_client("kubernetes")
    plan = plan_for(make_settings, "kubernetes", UNGP_DASK__KUBERNETES__NAMESPACE="dask")
    _, _, backend = gateway_for(plan, monkeypatch)
    config = backend.cluster_config_class(parent=backend)
    assert config.image == "ungp/user:abc"
    assert config.namespace == "dask"
    assert config.worker_cmd == ["dask", "worker"]


def test_slurm_cluster_config_has_partition_and_environment(make_settings, monkeypatch):
    plan = plan_for(make_settings, "slurm", UNGP_DASK__SLURM__PARTITION="compute")
    _, _, backend = gateway_for(plan, monkeypatch)
    config = backend.cluster_config_class(parent=backend)
    assert config.partition == "compute"
    assert "/opt/ungp/bin" in config.worker_setup


def test_plan_round_trips_and_is_private(make_settings, tmp_path):
    settings = make_settings()
    plan = make_plan(settings, "172.30.0.1", "http://x/hub/api", "img")
    path = plan.write(plan_path(settings.state_dir))
    assert GatewayPlan.read(path) == plan
    assert path.stat().st_mode & 0o077 == 0


def test_ports_follow_the_public_port_unless_set(make_settings):
    derived = plan_for(make_settings, "docker", UNGP_HUB__BIND_URL="http://127.0.0.1:9000")
    assert (derived.port, derived.api_port) == (9003, 9004)
    fixed = plan_for(make_settings, "docker", UNGP_DASK__PORT="7000", UNGP_DASK__API_PORT="7001")
    assert (fixed.port, fixed.api_port) == (7000, 7001)


def test_notebook_client_settings_point_at_the_gateway(make_settings):
    plan = plan_for(make_settings, "docker")
    env = plan.client_environment()
    assert env["DASK_GATEWAY__ADDRESS"] == f"http://172.30.0.1:{plan.port}{PREFIX}"
    assert env["DASK_GATEWAY__PROXY_ADDRESS"] == f"gateway://172.30.0.1:{plan.port}"
    assert env["DASK_GATEWAY__AUTH__TYPE"] == "jupyterhub"


@pytest.mark.parametrize("cls", [ContainerBackend, ContainerClusterConfig, ClusterQuota])
def test_every_trait_of_ours_has_help(cls: type[HasTraits]):
    for name, trait in cls.class_traits(config=True).items():
        assert (trait.help or "").strip(), f"{cls.__name__}.{name} has no help"
