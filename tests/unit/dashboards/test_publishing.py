"""The publishing rules: who may publish, refusals, shares, refreshes and withdrawal."""

import pytest
from fakes import FakeHub, FakeRuns, notebook
from ungp_hub.dashboards.errors import (
    DashboardError,
    NoSuchDashboard,
    NotAllowed,
    PublishRefused,
)
from ungp_hub.dashboards.publishing import Publication, Publisher
from ungp_hub.dashboards.registry import Audience, Registry


@pytest.fixture
def hub():
    return FakeHub(
        groups={"analysts": ["ana", "al"], "ports": ["bob"], "trainees": ["eve"]}, admins={"root"}
    )


@pytest.fixture
def runs():
    return FakeRuns()


@pytest.fixture
def publisher(tmp_path, hub, runs):
    return Publisher(Registry(tmp_path), hub, runs, ["analysts"])


def publication(to="ports", code="print(1)", **kwargs):
    return Publication(
        owner=kwargs.pop("owner", "ana"),
        source=notebook(code),
        title=kwargs.pop("title", "Port calls"),
        audience=Audience.parse(to),
        **kwargs,
    )


async def test_publish_runs_then_shares_with_the_group(publisher, hub, runs):
    dashboard = await publisher.publish(publication(parameters={"week": "2024-W10"}))
    assert dashboard.slug == "port-calls" and dashboard.server_name == "dash-port-calls"
    assert runs.given[0][1:] == ({"week": "2024-W10"}, False, ["analysts"])
    assert ("start", "ana", "dash-port-calls") in hub.calls
    # the group, and each member (JupyterHub 6.1 leaves group shares out of OAuth tokens)
    assert hub.shares[("ana", "dash-port-calls")] == {"group:ports", "bob"}
    assert dashboard.last_run["status"] == "succeeded"
    live = publisher.registry.live_dir("port-calls") / "dashboard.ipynb"
    assert live.read_bytes() == runs.given[0][0] + b" "  # the executed snapshot


async def test_a_notebook_that_raises_is_refused_with_its_error(publisher, hub):
    with pytest.raises(PublishRefused, match="ValueError: no data for this week"):
        await publisher.publish(publication(code="FAIL"))
    assert publisher.registry.all() == []
    assert not hub.shares and not hub.calls


async def test_who_may_publish_and_where(publisher):
    with pytest.raises(NotAllowed, match="analysts"):
        await publisher.publish(publication(owner="eve"))
    with pytest.raises(DashboardError, match="no group 'nobody'"):
        await publisher.publish(publication(to="nobody"))
    with pytest.raises(DashboardError, match="not a Jupyter notebook"):
        await publisher.publish(Publication("ana", b"plain text", "T", Audience("all")))
    await publisher.publish(publication())
    with pytest.raises(DashboardError, match="taken by another analyst"):
        await publisher.publish(publication(owner="al"))
    assert (await publisher.publish(publication(owner="root", slug="admin-one"))).owner == "root"


async def test_all_and_public_are_shared_with_every_user(publisher, hub, runs):
    await publisher.publish(publication(to="public", title="Open data"))
    assert hub.shares[("ana", "dash-open-data")] == {"al", "bob", "eve", "root"}  # not ana
    assert runs.given[-1][2] is True  # a static page is rendered for the public
    assert publisher.public_page("open-data") == b"<html>static</html>"


async def test_republish_to_another_audience_revokes_the_old_share(publisher, hub):
    await publisher.publish(publication(to="ports"))
    await publisher.publish(publication(to="all"))
    assert hub.shares[("ana", "dash-port-calls")] == {"al", "bob", "eve", "root"}
    assert ("revoke", "ana", "dash-port-calls") in hub.calls
    with pytest.raises(NoSuchDashboard):
        publisher.public_page("port-calls")  # not public


async def test_failed_republish_keeps_the_last_good_snapshot(publisher):
    await publisher.publish(publication())
    live = publisher.registry.live_dir("port-calls") / "dashboard.ipynb"
    good = live.read_bytes()
    with pytest.raises(PublishRefused, match="last good one stays"):
        await publisher.publish(publication(code="FAIL"))
    assert live.read_bytes() == good
    assert publisher.registry.get("port-calls").last_run["status"] == "failed"


async def test_scheduled_refresh_failure_is_recorded_and_keeps_the_dashboard(publisher, runs):
    await publisher.publish(publication())
    schedule = {"every": 300, "parameters": {"week": 7}, "since": "2000-01-01T00:00:00+00:00"}
    await publisher.set_schedule("ana", "port-calls", schedule)
    (await publisher.due_refreshes())[0]
    assert runs.given[-1][1] == {"week": 7}
    assert await publisher.due_refreshes() == []  # not due again right away
    live = publisher.registry.live_dir("port-calls") / "dashboard.ipynb"
    good = live.read_bytes()
    # the source starts failing (e.g. the data of the week is missing)
    (publisher.registry.folder("port-calls") / "source.ipynb").write_bytes(notebook("FAIL"))
    run = await publisher.refresh("port-calls")
    assert run.status == "failed" and "ValueError" in run.error
    assert live.read_bytes() == good
    dashboard = publisher.registry.get("port-calls")
    assert dashboard.last_run["status"] == "failed"
    assert [r.status for r in publisher.registry.runs("port-calls")].count("failed") == 1
    with pytest.raises(NotAllowed):
        await publisher.set_schedule("al", "port-calls", None)


async def test_viewers_and_refusals_say_nothing_about_the_dashboard(publisher):
    await publisher.publish(publication())
    assert [d.slug for d in await publisher.visible("bob")] == ["port-calls"]
    assert await publisher.visible("eve") == []
    assert (await publisher.viewable("bob", "port-calls")).title == "Port calls"
    with pytest.raises(NotAllowed) as outsider:
        await publisher.viewable("eve", "port-calls")
    with pytest.raises(NotAllowed) as missing:
        await publisher.viewable("eve", "no-such-one")
    assert str(outsider.value) == str(missing.value)
    assert "Port" not in str(outsider.value)


async def test_open_starts_an_idle_dashboard_then_redirects(publisher, hub):
    dashboard = await publisher.publish(publication())
    hub.servers.clear()  # culled while idle
    assert await publisher.open_url(dashboard, "/") is None
    assert hub.calls[-1] == ("start", "ana", "dash-port-calls")
    hub.servers[("ana", "dash-port-calls")] = {"ready": True, "url": "/user/ana/dash-port-calls/"}
    assert await publisher.open_url(dashboard, "/") == "/user/ana/dash-port-calls/"


async def test_unpublish_removes_access_first(publisher, hub):
    await publisher.publish(publication())
    with pytest.raises(NotAllowed):
        await publisher.unpublish("bob", "port-calls")
    await publisher.unpublish("ana", "port-calls")
    revoke = hub.calls.index(("revoke", "ana", "dash-port-calls"))
    assert revoke < hub.calls.index(("remove", "ana", "dash-port-calls"))
    assert publisher.registry.all() == []
    with pytest.raises(NotAllowed):
        await publisher.viewable("bob", "port-calls")


async def test_shares_follow_group_membership(publisher, hub):
    await publisher.publish(publication(to="ports"))
    hub.groups["ports"] = ["eve"]  # bob left, eve joined
    await publisher.sync_all()
    assert hub.shares[("ana", "dash-port-calls")] == {"group:ports", "eve"}
    assert ("revoke-user", "ana", "dash-port-calls", "bob") in hub.calls
