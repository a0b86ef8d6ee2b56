"""A dash-* server runs the gate with the snapshot and the owner's data, nothing else."""

from types import SimpleNamespace

import pytest
from ungp_hub.dashboards.registry import Audience, Dashboard, Registry
from ungp_hub.dashboards.spawner import DashboardNotPublished, DashboardSpawner


def spawner(tmp_path, owner: str, server: str) -> DashboardSpawner:
    user = SimpleNamespace(
        name=owner,
        groups=[SimpleNamespace(name="analysts")],
        admin=False,
        url=f"/user/{owner}/",
        id=1,
    )
    made = DashboardSpawner(
        user=user,
        orm_spawner=SimpleNamespace(name=server, server=None),  # the hub's record: the name
        dashboards_root=str(tmp_path / "dashboards"),
    )
    made.data_host_path = ""
    made.course_settings = {"host_root": "", "mount": ""}
    return made


def test_dashboard_server_mounts_only_the_snapshot_and_runs_the_gate(tmp_path):
    registry = Registry(tmp_path / "dashboards")
    registry.save(Dashboard("ports", "ana", "Ports", Audience("all")))
    made = spawner(tmp_path, "ana", "dash-ports")
    made._apply_profile()
    assert made.volumes == {
        str(registry.live_dir("ports")): {"bind": "/srv/dashboard", "mode": "ro"}
    }
    assert made.cmd[:3] == ["python", "-m", "ungp_hub.dashboards.gate"]
    assert made.extra_host_config["read_only"] is True
    assert made.extra_host_config["cap_drop"] == ["ALL"]


def test_only_the_owner_and_only_published_dashboards(tmp_path):
    Registry(tmp_path / "dashboards").save(Dashboard("ports", "ana", "P", Audience("all")))
    with pytest.raises(DashboardNotPublished):
        spawner(tmp_path, "eve", "dash-ports")._apply_profile()
    with pytest.raises(DashboardNotPublished):
        spawner(tmp_path, "ana", "dash-other")._apply_profile()


def test_other_servers_are_ordinary(tmp_path):
    made = spawner(tmp_path, "ana", "analysis")
    made._apply_profile()
    assert made.volumes == {"ungp-home-{username}": "/home/jovyan"}
    assert not made.cmd or "gate" not in " ".join(made.cmd)
