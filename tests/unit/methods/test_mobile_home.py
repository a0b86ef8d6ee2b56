"""Home location rules on synthetic subscribers with planted homes."""

from __future__ import annotations

import pandas as pd
import pytest
from ungp_methods.mobile import MobileDataError, majority_home, night_time_home

MONDAY = pd.Timestamp("2024-04-01")  # a Monday


def at(day: int, clock: str) -> pd.Timestamp:
    return MONDAY + pd.Timedelta(days=day) + pd.Timedelta(clock)


def events() -> pd.DataFrame:
    rows = []
    for d in range(4):  # a: home H1 (nights Mon-Thu), works in W1 Mon-Fri
        rows.append(("a", at(d, "23:00:00"), "H1"))
    for d in range(5):
        rows += [("a", at(d, f"{h}:00:00"), "W1") for h in (10, 11, 14)]
    for d in range(1, 5):  # b: home H2, seen at 01:30 on the nights of Mon-Thu
        rows.append(("b", at(d, "01:30:00"), "H2"))
    rows += [("b", at(4, f"21:{m}:00"), "H9") for m in (10, 20, 30)]  # one hotel night
    rows += [("c", at(d, "22:00:00"), "H3") for d in range(2)]  # only two nights
    rows += [("d", at(d, "12:00:00"), "W1") for d in range(5)]  # never seen at night
    return pd.DataFrame(rows, columns=["subscriber", "timestamp", "area"])


def test_night_time_rule() -> None:
    result = night_time_home(events(), min_nights=3)
    homes = result.homes.set_index("subscriber")
    assert homes["home_area"].to_dict() == {"a": "H1", "b": "H2"}
    assert homes.loc["b", "nights"] == 4 and homes.loc["b", "events"] == 4
    reasons = result.unassigned.set_index("subscriber")["reason"]
    assert reasons["c"].startswith("fewer than 3 nights")
    assert reasons["d"] == "no night-time events"
    assert result.assignment_rate == 0.5


def test_majority_rule_differs_where_it_should() -> None:
    result = majority_home(events(), min_days=3)
    homes = result.homes.set_index("subscriber")
    # a is seen at work on 5 days but at home on only 4: the majority rule says W1
    assert homes["home_area"].to_dict() == {"a": "W1", "b": "H2", "d": "W1"}
    assert homes.loc["a", "days"] == 5 and homes.loc["a", "share_days"] == 1.0
    assert homes.loc["b", "share_days"] == pytest.approx(4 / 4)
    assert result.unassigned["subscriber"].tolist() == ["c"]


def test_night_window_edges_and_dating() -> None:
    df = pd.DataFrame(
        {
            "subscriber": ["x"] * 4,
            "timestamp": [
                at(1, "06:59:00"),
                at(1, "07:00:00"),
                at(1, "19:59:00"),
                at(1, "20:00:00"),
            ],
            "area": ["N1", "D1", "D1", "N2"],
        }
    )
    homes = night_time_home(df, min_nights=1).homes
    # 06:59 Tuesday belongs to Monday's night, 20:00 to Tuesday's: one event each, tie on
    # events and nights, broken by the label
    assert homes["home_area"].tolist() == ["N1"]
    assert night_time_home(df, min_nights=2).homes.empty


def test_time_zone_moves_the_night() -> None:
    # 17:00 UTC is 21:00 in Tbilisi (UTC+4): night there, day in UTC
    utc = pd.DataFrame(
        {
            "subscriber": ["y"] * 3,
            "timestamp": pd.to_datetime([at(d, "17:00:00") for d in range(3)]).tz_localize("UTC"),
            "area": ["T1"] * 3,
        }
    )
    assert night_time_home(utc, min_nights=3).homes.empty
    assert night_time_home(utc, min_nights=3, tz="Asia/Tbilisi").homes["home_area"].tolist() == [
        "T1"
    ]


def test_parameter_errors() -> None:
    with pytest.raises(MobileDataError, match="night_end < night_start"):
        night_time_home(events(), night_start=6, night_end=7)
    with pytest.raises(MobileDataError, match="no column"):
        majority_home(events().rename(columns={"area": "cell"}))
    assert (
        majority_home(
            events().rename(columns={"area": "cell"}), area="cell", min_days=3
        ).homes.shape[0]
        == 3
    )
