"""ungp_methods.dissemination.weekly_distinct: ISO weeks of local days, coverage, zeros."""

from __future__ import annotations

import pandas as pd
import pytest
from ungp_methods.dissemination import IndicatorError, weekly_distinct

ZONE = "Africa/Dar_es_Salaam"  # UTC+3, no daylight saving


def _events(rows: list[tuple[str, str, str]], tz: str | None = ZONE) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["zone", "subscriber", "timestamp"])
    times = pd.to_datetime(frame["timestamp"])
    frame["timestamp"] = times.dt.tz_localize(tz) if tz else times
    return frame


def test_a_unit_counts_once_per_iso_week_and_weeks_cross_the_year():
    events = _events(
        [
            ("A", "s1", "2024-12-27 10:00"),  # Friday, ISO 2024-W52
            ("A", "s1", "2024-12-29 10:00"),  # Sunday, still 2024-W52
            ("A", "s2", "2024-12-29 11:00"),
            ("A", "s1", "2024-12-30 09:00"),  # Monday: ISO 2025-W01 although still in 2024
        ]
    )
    out = weekly_distinct(events, by="zone")
    assert list(out["week"]) == ["2024-W52", "2025-W01"]
    assert [str(d) for d in out["week_start"]] == ["2024-12-23", "2024-12-30"]
    assert list(out["count"]) == [2, 1]
    assert list(out["days"]) == [2, 1] and not out["complete"].any()


def test_weeks_follow_local_days_not_utc():
    # Sunday 22:30 UTC is Monday 01:30 in UTC+3: the next ISO week.
    events = _events([("A", "s1", "2024-03-10 22:30")], tz="UTC")
    utc = weekly_distinct(events, by="zone")
    local = weekly_distinct(events, by="zone", tz=ZONE)
    assert list(utc["week"]) == ["2024-W10"] and list(local["week"]) == ["2024-W11"]


def test_zeros_for_groups_absent_in_a_covered_week_and_complete_weeks_flagged():
    days = pd.date_range("2024-03-04 12:00", periods=9, freq="D")  # Mon 4 to Tue 12 March
    rows = [("A", f"s{i}", str(t)) for i, t in enumerate(days)]
    rows.append(("B", "s99", "2024-03-05 08:00:00"))
    out = weekly_distinct(_events(rows), by="zone").set_index(["zone", "week"])
    assert out.loc[("A", "2024-W10"), "count"] == 7
    assert out.loc[("B", "2024-W11"), "count"] == 0  # B seen only in W10: explicit zero
    assert bool(out.loc[("B", "2024-W10"), "complete"])
    assert out.loc[("A", "2024-W11"), "days"] == 2 and not out.loc[("A", "2024-W11"), "complete"]


def test_several_group_columns():
    events = _events([("A", "s1", "2024-03-04 01:00"), ("A", "s2", "2024-03-04 02:00")])
    events["kind"] = ["call", "sms"]
    out = weekly_distinct(events, by=["zone", "kind"])
    assert list(out.columns[:3]) == ["zone", "kind", "week"]
    assert list(out["count"]) == [1, 1]


def test_naive_times_need_a_zone_and_missing_columns_are_named():
    naive = _events([("A", "s1", "2024-03-04 01:00")], tz=None)
    with pytest.raises(IndicatorError, match="tz="):
        weekly_distinct(naive, by="zone")
    assert weekly_distinct(naive, by="zone", tz=ZONE)["count"].tolist() == [1]
    with pytest.raises(IndicatorError, match="region"):
        weekly_distinct(naive, by="region", tz=ZONE)
