"""Per-group limits and the cluster options built from them."""

from __future__ import annotations

import pytest
from dask_gateway_server.models import User
from ungp_hub.dask.limits import LimitsTable
from ungp_hub.dask.options import GIB, OverLimit, cluster_options, options_for
from ungp_hub.spawner.profiles import memory_in_bytes


@pytest.fixture
def table(make_settings):
    return LimitsTable.from_settings(make_settings().get("dask.limits"))


@pytest.mark.parametrize(
    ("groups", "admin", "group"),
    [
        (["trainees"], False, "trainee"),
        ([], False, "trainee"),
        (["trainees", "analysts"], False, "analyst"),
        (["analysts", "instructors:sdg"], False, "instructor"),
        ([], True, "instructor"),
    ],
)
def test_user_gets_the_limits_of_their_profile(table, groups, admin, group):
    assert table.for_user(groups, admin).group == group


def test_limits_follow_the_settings(make_settings):
    settings = make_settings(
        UNGP_DASK__LIMITS__TRAINEE__MAX_WORKERS="3",
        UNGP_DASK__LIMITS__TRAINEE__MAX_WORKER_MEMORY="3G",
    )
    limits = LimitsTable.from_settings(settings.get("dask.limits")).for_user(["trainees"], False)
    assert limits.max_workers == 3
    assert limits.max_worker_memory == 3 * GIB
    # Keys not overridden keep their schema default.
    default = settings.get("dask.limits.trainee.default_worker_memory")
    assert limits.default_worker_memory == memory_in_bytes(default)


def test_default_memory_never_exceeds_the_maximum(make_settings):
    settings = make_settings(
        UNGP_DASK__LIMITS__TRAINEE__MAX_WORKER_MEMORY="512M",
        UNGP_DASK__LIMITS__TRAINEE__DEFAULT_WORKER_MEMORY="4G",
    )
    limits = LimitsTable.from_settings(settings.get("dask.limits")).by_group["trainee"]
    assert limits.default_worker_memory == limits.max_worker_memory == 512 * 2**20


def test_table_round_trips_through_a_dict(table):
    assert LimitsTable.from_dict(table.to_dict()).by_group == table.by_group


def test_options_specification_has_the_group_bounds(table):
    limits = table.by_group["analyst"]
    spec = {field["field"]: field for field in options_for(limits, 60).get_specification()}
    assert spec["worker_cores"]["spec"]["max"] == limits.max_worker_cores
    assert spec["worker_memory"]["spec"]["max"] == pytest.approx(limits.max_worker_memory / GIB)
    assert spec["worker_memory"]["default"] == pytest.approx(limits.default_worker_memory / GIB)


def test_options_turn_into_cluster_configuration(table):
    limits = table.by_group["trainee"]
    options = options_for(limits, idle_timeout=900)
    config = options.get_configuration(options.parse_options({"worker_memory": 1.5}), User("a"))
    assert config == {
        "worker_cores": 1,
        "worker_memory": int(1.5 * GIB),
        "cluster_max_workers": limits.max_workers,
        "idle_timeout": 900.0,
    }


def test_over_the_limit_names_the_limit_and_the_setting(table):
    options = options_for(table.by_group["trainee"], 60)
    with pytest.raises(OverLimit) as memory:
        options.parse_options({"worker_memory": 64})
    assert "dask.limits.trainee.max_worker_memory" in str(memory.value)
    assert "64 GiB" in str(memory.value)
    with pytest.raises(OverLimit) as cores:
        options.parse_options({"worker_cores": 99})
    assert "dask.limits.trainee.max_worker_cores" in str(cores.value)


BAD = [{"worker_cores": 0}, {"worker_cores": 1.5}, {"worker_memory": "x"}, {"worker_memory": 0.01}]


@pytest.mark.parametrize("request_", BAD)
def test_bad_values_are_refused(table, request_):
    with pytest.raises(OverLimit):
        options_for(table.by_group["analyst"], 60).parse_options(request_)


def test_unknown_option_is_refused(table):
    with pytest.raises(ValueError, match="Unknown fields"):
        options_for(table.by_group["analyst"], 60).parse_options({"gpus": 1})


def test_options_are_chosen_by_the_users_groups(table):
    choose = cluster_options(table, 60, record_groups=True)
    trainee = choose(User("t", groups=["trainees"]))
    analyst = choose(User("a", groups=["analysts"]))
    assert trainee.fields[0].max == table.by_group["trainee"].max_worker_cores
    assert analyst.fields[0].max == table.by_group["analyst"].max_worker_cores
    config = analyst.get_configuration(analyst.parse_options({}), User("a", groups=["analysts"]))
    assert config["owner_groups"] == ["analysts"]


def test_a_tiny_memory_limit_still_gives_usable_options(make_settings):
    settings = make_settings(
        UNGP_DASK__LIMITS__TRAINEE__MAX_WORKER_MEMORY="128M",
        UNGP_DASK__LIMITS__TRAINEE__DEFAULT_WORKER_MEMORY="128M",
    )
    limits = LimitsTable.from_settings(settings.get("dask.limits")).by_group["trainee"]
    options = options_for(limits, 60)
    config = options.get_configuration(options.parse_options({}), User("t"))
    assert config["worker_memory"] == limits.max_worker_memory
