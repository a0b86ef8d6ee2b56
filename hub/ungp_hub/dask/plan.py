"""Everything the gateway process needs, resolved once by the hub from the site settings.

The hub computes the plan (ports, addresses, image, limits) when it reads its settings and
writes it to STATE_DIR/dask/gateway-plan.json; the gateway, a separate process the hub starts,
reads it back. So both sides agree on addresses, and environment overrides (UNGP_*) that the
hub saw need not be passed on to the service.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from ..containment.rules import bridge_tag
from ..settings import Settings
from ..spawner.profiles import memory_in_bytes
from .limits import LimitsTable

SERVICE_NAME = "dask-gateway"
PREFIX = f"/services/{SERVICE_NAME}"
PLAN_ENV = "UNGP_DASK_PLAN"


@dataclass
class GatewayPlan:
    backend: str
    listen_ip: str
    port: int
    api_port: int
    hub_api_url: str
    limits: dict[str, dict[str, Any]]
    idle_timeout: float
    start_timeout: float
    scheduler_cores: int
    scheduler_memory: int
    image: str
    gateway_id: str
    log_level: str = "INFO"
    docker: dict[str, Any] = field(default_factory=dict)
    kubernetes: dict[str, Any] = field(default_factory=dict)
    slurm: dict[str, Any] = field(default_factory=dict)

    # Addresses, derived so that the hub, the gateway and the notebooks cannot disagree.
    @property
    def proxy_listen(self) -> str:
        return f"{self.listen_ip}:{self.port}"

    @property
    def api_listen(self) -> str:
        return f"127.0.0.1:{self.api_port}"

    @property
    def service_url(self) -> str:
        """Where the hub's proxy sends /services/dask-gateway/ (the gateway's own proxy)."""
        return f"http://{self.listen_ip}:{self.port}"

    def client_environment(self) -> dict[str, str]:
        """dask-gateway client configuration for notebooks (read by dask.config from env)."""
        return {
            "DASK_GATEWAY__ADDRESS": f"{self.service_url}{PREFIX}",
            "DASK_GATEWAY__PROXY_ADDRESS": f"gateway://{self.listen_ip}:{self.port}",
            # Relative to the page: dashboard links go through the hub's public address.
            "DASK_GATEWAY__PUBLIC_ADDRESS": PREFIX,
            "DASK_GATEWAY__AUTH__TYPE": "jupyterhub",
        }

    def write(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(asdict(self), handle, indent=2, sort_keys=True)
        return path

    @classmethod
    def read(cls, path: Path | str) -> GatewayPlan:
        return cls(**json.loads(Path(path).read_text()))


def gateway_id(state_dir: Path) -> str:
    """Stable per hub: marks its Docker objects apart from other hubs on the same engine."""
    return hashlib.sha256(str(Path(state_dir).resolve()).encode()).hexdigest()[:12]


def plan_path(state_dir: Path) -> Path:
    return Path(state_dir) / "dask" / "gateway-plan.json"


def make_plan(settings: Settings, listen_ip: str, hub_api_url: str, image: str) -> GatewayPlan:
    dask = settings.get("dask")
    public_port = urlparse(settings.get("hub.bind_url")).port or 8000
    return GatewayPlan(
        backend=dask["backend"],
        listen_ip=listen_ip,
        port=dask["port"] or public_port + 3,
        api_port=dask["api_port"] or public_port + 4,
        hub_api_url=hub_api_url,
        limits=LimitsTable.from_settings(dask["limits"]).to_dict(),
        idle_timeout=float(dask["idle_timeout"]),
        start_timeout=float(dask["start_timeout"]),
        scheduler_cores=int(dask["scheduler_cores"]),
        scheduler_memory=memory_in_bytes(dask["scheduler_memory"]),
        image=dask["image"] or image,
        gateway_id=gateway_id(settings.state_dir),
        log_level=settings.get("hub.log_level"),
        docker={
            "data_host_path": str(settings.data_dir),
            "data_mount_path": settings.get("docker.data_mount"),
            # The same mounts as notebooks (configure/data.py): placeholders + visible domains.
            "data_view_path": str(settings.state_dir / "data-view"),
            "restricted_groups": dict(settings.get("data.restricted_groups") or {}),
            "pids": dask["pids"],
            "subnet_pool": dask["subnet_pool"],
            "cluster_subnet_prefix": dask["cluster_subnet_prefix"],
            # Clusters' bridges share the users' network tag: the same containment rules.
            "bridge_prefix": bridge_tag(settings.get("docker.network")) + "-",
        },
        kubernetes=dict(dask["kubernetes"]),
        slurm=dict(dask["slurm"]),
    )
