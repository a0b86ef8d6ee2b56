"""The per-user cluster quota, on top of any backend."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest
from dask_gateway_server.models import User
from ungp_hub.dask.limits import LimitsTable
from ungp_hub.dask.quota import ClusterQuota, TooManyClusters


class CountingBackend:
    """Stands in for a dask-gateway backend: holds clusters per user, starts new ones."""

    def __init__(self, existing: dict[str, int] | None = None):
        self.existing = existing or {}
        self.started: list[str] = []

    async def list_clusters(self, username=None, statuses=None):
        count = self.existing.get(username, 0)
        return [SimpleNamespace(name=f"{username}-{i}") for i in range(count)]

    async def start_cluster(self, user, cluster_options):
        self.started.append(user.name)
        return f"new-{user.name}"


class QuotaBackend(ClusterQuota, CountingBackend):
    def __init__(self, existing, limits):
        ClusterQuota.__init__(self, group_limits=limits)
        CountingBackend.__init__(self, existing)


@pytest.fixture
def limits(make_settings):
    return LimitsTable.from_settings(make_settings().get("dask.limits")).to_dict()


def test_under_the_quota_the_cluster_starts(limits):
    backend = QuotaBackend({}, limits)
    assert asyncio.run(backend.start_cluster(User("t", groups=["trainees"]), {})) == "new-t"
    assert backend.started == ["t"]


def test_at_the_quota_the_user_is_told_which_limit(limits):
    held = limits["trainee"]["max_clusters"]
    backend = QuotaBackend({"t": held}, limits)
    with pytest.raises(TooManyClusters) as refused:
        asyncio.run(backend.start_cluster(User("t", groups=["trainees"]), {}))
    message = str(refused.value)
    assert "dask.limits.trainee.max_clusters" in message and f"at most {held}" in message
    assert "t-0" in message, "the message lists the clusters to shut down"
    assert backend.started == []


def test_quota_is_per_group(limits):
    held = limits["trainee"]["max_clusters"]
    assert limits["analyst"]["max_clusters"] > held, "defaults: analysts may hold more"
    backend = QuotaBackend({"a": held}, limits)
    assert asyncio.run(backend.start_cluster(User("a", groups=["analysts"]), {})) == "new-a"


def test_no_limits_configured_means_no_quota():
    backend = QuotaBackend({"t": 50}, {})
    assert asyncio.run(backend.start_cluster(User("t"), {})) == "new-t"
