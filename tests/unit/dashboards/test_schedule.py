"""Schedules: an interval or a cron expression, validated, with the next due time."""

from datetime import UTC, datetime

import pytest
from ungp_hub.dashboards.errors import DashboardError
from ungp_hub.dashboards.schedule import describe, is_due, make_schedule, next_due


def test_exactly_one_of_every_and_cron():
    with pytest.raises(DashboardError, match="exactly one"):
        make_schedule(None, None, {})
    with pytest.raises(DashboardError, match="exactly one"):
        make_schedule(3600, "0 6 * * 1", {})
    with pytest.raises(DashboardError, match="too often"):
        make_schedule(10, None, {})
    with pytest.raises(DashboardError, match="bad cron"):
        make_schedule(None, "every monday", {})


def test_interval_is_counted_from_the_last_start():
    schedule = make_schedule(3600, None, {"week": "2024-W10"})
    schedule["since"] = "2026-01-05T00:00:00+00:00"
    assert next_due(schedule, None) == datetime(2026, 1, 5, 1, tzinfo=UTC)
    assert next_due(schedule, "2026-01-05T03:30:00+00:00") == datetime(
        2026, 1, 5, 4, 30, tzinfo=UTC
    )
    assert is_due(schedule, None, at=datetime(2026, 1, 5, 1, 0, 1, tzinfo=UTC))
    assert not is_due(schedule, None, at=datetime(2026, 1, 5, 0, 59, tzinfo=UTC))


def test_cron_mondays_at_six():
    schedule = make_schedule(None, "0 6 * * 1", {})
    schedule["since"] = "2026-01-04T12:00:00+00:00"  # a Sunday
    assert next_due(schedule, None) == datetime(2026, 1, 5, 6, tzinfo=UTC)  # Monday 06:00
    assert next_due(schedule, "2026-01-05T06:00:00+00:00") == datetime(2026, 1, 12, 6, tzinfo=UTC)


def test_describe():
    assert describe(None) == "not scheduled"
    assert describe({"every": 3600, "parameters": {"week": 3}}) == "every 3600 s (week=3)"
    assert describe({"cron": "0 6 * * 1", "parameters": {}}) == "cron 0 6 * * 1"
