"""Access to the catalogue data: which groups get which restricted domains mounted."""

from __future__ import annotations

from traitlets.config import Config

from ..settings import Settings


def update_data(c: Config, settings: Settings) -> None:
    groups = settings.get("data.restricted_groups") or {}
    c.UngpDockerSpawner.restricted_groups = {k: list(v) for k, v in groups.items()}
    # placeholders for the nested per-domain mounts; in the state dir, since the data dir may
    # be read-only media (the USB kit)
    c.UngpDockerSpawner.data_view_path = str(settings.state_dir / "data-view")
