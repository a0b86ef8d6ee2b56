"""The gateway's traitlets configuration, from a GatewayPlan: one function per backend."""

from __future__ import annotations

from traitlets.config import Config

from .limits import LimitsTable
from .options import cluster_options
from .plan import PREFIX, SERVICE_NAME, GatewayPlan

BACKENDS = {
    "docker": "ungp_hub.dask.containers.ContainerBackend",
    "kubernetes": "ungp_hub.dask.kubernetes.QuotaKubeBackend",
    "slurm": "ungp_hub.dask.slurm.QuotaSlurmBackend",
}
CLUSTER_CONFIGS = {
    "docker": "ContainerClusterConfig",
    "kubernetes": "KubeClusterConfig",
    "slurm": "SlurmClusterConfig",
}


def configure_gateway(c: Config, plan: GatewayPlan) -> Config:
    """Set (never append) the gateway's configuration; returns c for chaining in tests."""
    c.DaskGateway.address = plan.api_listen
    c.DaskGateway.log_level = plan.log_level
    c.DaskGateway.backend_class = BACKENDS[plan.backend]
    c.DaskGateway.authenticator_class = "dask_gateway_server.auth.JupyterHubAuthenticator"
    c.JupyterHubAuthenticator.jupyterhub_api_url = plan.hub_api_url
    # Only tokens with access:services!service=dask-gateway (granted to every user and their
    # servers by configure/dask.py) may use the gateway; JupyterHub RBAC can narrow it.
    c.JupyterHubAuthenticator.jupyterhub_service_name = SERVICE_NAME
    c.Proxy.address = plan.proxy_listen
    c.Proxy.tcp_address = plan.proxy_listen
    c.Proxy.prefix = PREFIX

    backend = c[BACKENDS[plan.backend].rsplit(".", 1)[1]]
    table = LimitsTable.from_dict(plan.limits)
    docker = plan.backend == "docker"
    backend.cluster_options = cluster_options(table, plan.idle_timeout, record_groups=docker)
    backend.group_limits = plan.limits

    cluster = c[CLUSTER_CONFIGS[plan.backend]]
    cluster.scheduler_cores = plan.scheduler_cores
    cluster.scheduler_memory = plan.scheduler_memory
    cluster.idle_timeout = plan.idle_timeout
    {"docker": _docker, "kubernetes": _kubernetes, "slurm": _slurm}[plan.backend](c, plan)
    return c


def _docker(c: Config, plan: GatewayPlan) -> None:
    docker = plan.docker
    backend = c.ContainerBackend
    backend.image = plan.image
    backend.data_host_path = docker["data_host_path"]
    backend.data_mount_path = docker["data_mount_path"]
    backend.data_view_path = docker["data_view_path"]
    backend.restricted_groups = docker["restricted_groups"]
    backend.pids_limit = docker["pids"]
    backend.subnet_pool = docker["subnet_pool"]
    backend.cluster_subnet_prefix = docker["cluster_subnet_prefix"]
    backend.bridge_prefix = docker.get("bridge_prefix", "")
    backend.gateway_id = plan.gateway_id
    backend.cluster_start_timeout = plan.start_timeout
    backend.worker_start_timeout = plan.start_timeout
    # Clusters are cheap to recreate; an in-memory database means a stopped gateway stops its
    # clusters, and a crashed one has its containers removed at the next start (orphans).
    backend.db_url = "sqlite:///:memory:"
    backend.stop_clusters_on_shutdown = True
    # Notice dead or stuck containers within seconds rather than the default 30 s.
    backend.cluster_status_period = 5.0
    backend.worker_status_period = 5.0
    # The scheduler reports a scale request in its next heartbeat: a short period makes
    # `cluster.scale(2)` start workers within ~2 s (one small POST per cluster). The timeout
    # stays generous so a loaded machine does not fail healthy clusters.
    backend.cluster_heartbeat_period = 2
    backend.cluster_heartbeat_timeout = 30.0


def _kubernetes(c: Config, plan: GatewayPlan) -> None:
    kube = plan.kubernetes
    c.QuotaKubeBackend.gateway_instance = kube["gateway_instance"]
    cluster = c.KubeClusterConfig
    cluster.image = plan.image
    cluster.image_pull_policy = kube["image_pull_policy"]
    if kube["namespace"]:
        cluster.namespace = kube["namespace"]
    # The user image's command line, as in the container backend.
    cluster.scheduler_cmd = ["dask", "scheduler"]
    cluster.worker_cmd = ["dask", "worker"]


def _slurm(c: Config, plan: GatewayPlan) -> None:
    slurm = plan.slurm
    c.QuotaSlurmBackend.cluster_start_timeout = plan.start_timeout
    c.QuotaSlurmBackend.worker_start_timeout = plan.start_timeout
    cluster = c.SlurmClusterConfig
    for key in ("partition", "account", "qos"):
        if slurm[key]:
            cluster[key] = slurm[key]
    setup = f"export PATH={slurm['python_env']}/bin:$PATH"
    cluster.scheduler_setup = setup
    cluster.worker_setup = setup
    cluster.scheduler_cmd = ["dask", "scheduler"]
    cluster.worker_cmd = ["dask", "worker"]
