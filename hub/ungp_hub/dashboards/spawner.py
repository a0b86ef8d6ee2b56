"""The hub's spawner, taught to run a dashboard server for named servers ``dash-<slug>``.

A dashboard server is a container of the owner's image that runs only the gate and Voila
(``ungp_hub.dashboards.gate``): no home volume, no course folders, a read-only root file
system, the published snapshot read-only at ``dashboard_mount`` and the owner's data mounts
(already read-only). Every other server is the ordinary UngpDockerSpawner server.
"""

from __future__ import annotations

from traitlets import Unicode

from ..spawner.docker import UngpDockerSpawner
from ..spawner.errors import SpawnFailure
from . import SERVER_PREFIX
from .errors import DashboardError
from .registry import Registry


class DashboardNotPublished(SpawnFailure):
    def __init__(self, name: str):
        super().__init__(
            f"There is no published dashboard for the server {name!r}. Servers named "
            f"'{SERVER_PREFIX}...' are reserved for dashboards: publish one with "
            "`ungp dashboards publish`, or give your server another name."
        )


class DashboardSpawner(UngpDockerSpawner):
    dashboards_root = Unicode(
        "",
        help="""Folder of the published dashboards (STATE_DIR/dashboards). Empty: dashboards
        are off and servers named dash-* are ordinary servers.""",
    ).tag(config=True)

    dashboard_mount = Unicode(
        "/srv/dashboard",
        help="Where a dashboard server sees its snapshot (read-only).",
    ).tag(config=True)

    @property
    def is_dashboard(self) -> bool:
        return bool(self.dashboards_root) and (self.name or "").startswith(SERVER_PREFIX)

    @property
    def server_extensions_off(self) -> list[str]:
        # A dashboard server runs the gate and Voila, not a Jupyter server with extensions.
        return [] if self.is_dashboard else super().server_extensions_off

    def _apply_profile(self) -> None:
        super()._apply_profile()
        if not self.is_dashboard:
            return
        registry = Registry(self.dashboards_root)
        slug = self.name[len(SERVER_PREFIX) :]
        try:
            dashboard = registry.get(slug)
        except DashboardError:
            raise DashboardNotPublished(self.name) from None
        if dashboard.owner != self.user.name:
            raise DashboardNotPublished(self.name)
        data = self.data_mount_path.rstrip("/")
        volumes = {
            host: spec
            for host, spec in self.volumes.items()
            if isinstance(spec, dict) and str(spec.get("bind", "")).startswith(data)
        }
        volumes[str(registry.live_dir(slug))] = {"bind": self.dashboard_mount, "mode": "ro"}
        self.volumes = volumes
        self.cmd = [
            "python",
            "-m",
            "ungp_hub.dashboards.gate",
            "--notebook",
            f"{self.dashboard_mount}/dashboard.ipynb",
        ]
        self.default_url = ""
        host_config = dict(self.extra_host_config)
        host_config.update(
            read_only=True,
            tmpfs={"/tmp": "size=256m", "/home/jovyan": "size=256m,uid=1000,gid=1000"},
        )
        self.extra_host_config = host_config
        self.log.info(
            "Starting dashboard %s of %s (snapshot %s)",
            slug,
            self.user.name,
            registry.live_dir(slug),
        )
