"""Dashboards on disk: names, audiences, snapshots replaced whole, every run kept."""

import json

import pytest
from ungp_hub.dashboards.errors import DashboardError, NoSuchDashboard
from ungp_hub.dashboards.registry import Audience, Dashboard, Registry, check_slug, slugify


def test_slug_from_title_and_checks():
    assert slugify("Weekly port calls (AIS)") == "weekly-port-calls-ais"
    assert slugify("!!!") == "dashboard"
    assert len(slugify("x" * 100)) == 40
    for bad in ("", "-a", "a-", "A", "a/b", "../x", "a" * 41):
        with pytest.raises(DashboardError):
            check_slug(bad)


def test_audience_parse_and_admission():
    assert Audience.parse("analysts") == Audience("group", "analysts")
    assert Audience.parse(" all ") == Audience("all")
    assert Audience.parse("public").kind == "public"
    with pytest.raises(DashboardError, match="--to"):
        Audience.parse("  ")
    group = Dashboard("d", "ana", "T", Audience("group", "ports"))
    assert group.can_view("bob", ["ports"])
    assert not group.can_view("eve", ["trainees"])
    assert group.can_view("ana", [])  # the owner
    assert group.can_view("root", [], admin=True)
    assert Dashboard("d", "ana", "T", Audience("all")).can_view("eve", [])
    assert not Dashboard("d", "ana", "T", Audience("all")).can_view("", [])


def test_install_save_and_read_back(tmp_path):
    registry = Registry(tmp_path)
    dashboard = Dashboard("ports", "ana", "Ports", Audience("public"), parameters={"week": 3})
    registry.save(dashboard)
    registry.install("ports", b"source", b"snapshot", b"<html/>")
    assert registry.get("ports") == dashboard
    assert registry.source("ports") == b"source"
    assert (registry.live_dir("ports") / "dashboard.ipynb").read_bytes() == b"snapshot"
    assert registry.public_page("ports") == b"<html/>"
    assert oct((registry.live_dir("ports") / "dashboard.ipynb").stat().st_mode)[-3:] == "644"
    # republished for a group: the public page goes away
    registry.install("ports", b"source2", b"snapshot2", None)
    assert registry.public_page("ports") is None
    assert not list(registry.live_dir("ports").glob(".*"))  # no temporary files left
    assert [d.slug for d in registry.all()] == ["ports"]
    registry.remove("ports")
    with pytest.raises(NoSuchDashboard):
        registry.get("ports")
    assert registry.all() == []


def test_runs_are_kept_newest_first(tmp_path):
    registry = Registry(tmp_path)
    registry.save(Dashboard("ports", "ana", "Ports", Audience("all")))
    first = registry.new_run("ports", "publish", {"week": 1})
    first.status = "succeeded"
    registry.save_run(first, b'{"cells": []}')
    second = registry.new_run("ports", "schedule", {"week": 2})
    second.status, second.error = "failed", "ValueError: boom"
    registry.save_run(second)
    runs = registry.runs("ports")
    assert {r.id for r in runs} == {first.id, second.id}
    assert runs[0].id >= runs[1].id
    assert registry.run_output("ports", first.id) == b'{"cells": []}'
    assert registry.run_output("ports", second.id) is None
    assert registry.run_output("ports", "../../etc") is None
    stored = json.loads((registry.folder("ports") / "runs" / second.id / "run.json").read_text())
    assert stored["error"] == "ValueError: boom"
