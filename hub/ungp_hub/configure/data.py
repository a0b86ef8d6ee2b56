"""Access to the catalogue data: which groups get which restricted domains mounted."""

from __future__ import annotations

from traitlets.config import Config

from ..settings import Settings
from ..spawner.data_mounts import data_view_path, restricted_groups


def update_data(c: Config, settings: Settings) -> None:
    c.UngpDockerSpawner.restricted_groups = restricted_groups(settings)
    c.UngpDockerSpawner.data_view_path = data_view_path(settings)
