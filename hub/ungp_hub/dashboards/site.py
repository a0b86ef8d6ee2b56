"""What the dashboards service runs notebooks with, from the hub's site settings.

The analyst profile's image and limits, the data mounts the hub's spawner gives the same
groups, and the service's own settings: computed here from the settings file the hub reads
(`configure` uses the same functions), so nothing is copied into a file at hub start.
"""

from __future__ import annotations

from typing import Any

from ..settings import Settings
from ..spawner.data_mounts import data_view_path, restricted_groups
from ..spawner.profiles import memory_in_bytes, profile_images
from ..state import StateDir


def run_config(settings: Settings) -> dict[str, Any]:
    """Where dashboards live and how their notebooks run (image, limits, data mounts)."""
    analyst = profile_images(settings)["analyst"]
    return {
        "root": str(StateDir(settings.state_dir).path / "dashboards"),
        "image": analyst["image"],
        "cpu": float(analyst.get("cpu", 2.0)),
        "memory_bytes": memory_in_bytes(analyst.get("memory", "4G")),
        "pids": int(analyst.get("pids", 1024)),
        "run_timeout": settings.get("dashboards.run_timeout"),
        "check_every": settings.get("dashboards.check_every"),
        "publisher_groups": list(settings.get("dashboards.publisher_groups")),
        "node_modules": settings.get("dashboards.node_modules") or "",
        "data_host_path": str(settings.data_dir),
        "data_mount": settings.get("docker.data_mount"),
        "data_view_path": data_view_path(settings),
        "restricted_groups": restricted_groups(settings),
    }
