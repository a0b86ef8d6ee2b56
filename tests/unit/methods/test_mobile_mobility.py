"""Presence counts and origin-destination matrices on hand-counted event records."""

from __future__ import annotations

import pandas as pd
from ungp_methods.mobile import od_home_to_visited, od_matrix, od_trips, presence_counts

DAY = pd.Timestamp("2024-06-03")


def ev(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """Rows of (subscriber, 'D HH:MM' with D the day offset, area)."""
    out = []
    for s, when, area in rows:
        d, clock = when.split()
        out.append((s, DAY + pd.Timedelta(days=int(d)) + pd.Timedelta(clock + ":00"), area))
    return pd.DataFrame(out, columns=["subscriber", "timestamp", "area"])


def test_presence_counts_distinct_subscribers() -> None:
    df = ev(
        [
            ("a", "0 08:05", "A1"),
            ("a", "0 08:10", "A1"),
            ("a", "0 08:59", "A1"),
            ("b", "0 08:30", "A1"),
            ("b", "0 09:15", "A2"),
            ("c", "0 09:40", "A2"),
        ]
    )
    out = presence_counts(df).set_index(["area", "slot"])["subscribers"]
    assert out[("A1", DAY + pd.Timedelta("8h"))] == 2  # a three times, b once
    assert out[("A2", DAY + pd.Timedelta("9h"))] == 2
    assert len(out) == 2
    daily = presence_counts(df, freq="1D")
    assert daily["subscribers"].tolist() == [2, 2]


def test_od_home_to_visited_by_hand() -> None:
    homes = pd.DataFrame({"subscriber": ["a", "b", "c"], "home_area": ["H1", "H1", "H2"]})
    df = ev(
        [
            ("a", "0 07:00", "H1"),
            ("a", "0 09:00", "W1"),
            ("a", "0 13:00", "W2"),
            ("b", "0 09:00", "W1"),
            ("b", "0 15:00", "W1"),
            ("c", "0 10:00", "W1"),
            ("e", "0 10:00", "W1"),  # no home: left out
            ("a", "1 10:00", "W2"),
        ]
    )
    out = od_home_to_visited(df, homes)
    got = {(r.date.day, r.origin, r.destination): r.subscribers for r in out.itertuples()}
    assert got == {(3, "H1", "W1"): 2, (3, "H1", "W2"): 1, (3, "H2", "W1"): 1, (4, "H1", "W2"): 1}
    with_home = od_home_to_visited(df, homes, include_home=True)
    assert len(with_home) == len(out) + 1  # a seen at home on day 0


def trips_events() -> pd.DataFrame:
    return ev(
        [
            ("a", "0 08:00", "H1"),
            ("a", "0 08:30", "H1"),
            ("a", "0 09:00", "W1"),
            ("a", "0 17:00", "W1"),
            ("a", "0 18:00", "H1"),
            ("a", "0 23:00", "W1"),
            ("a", "1 01:00", "H1"),  # crosses midnight: not a same-day trip
            ("b", "0 06:00", "H1"),
            ("b", "0 07:00", "H1"),
            ("b", "0 07:10", "X"),
            ("b", "0 07:30", "W1"),
            ("b", "0 16:00", "W1"),
            ("b", "0 17:00", "H1"),
            ("b", "0 18:00", "H1"),
        ]
    )


def test_od_trips_by_hand() -> None:
    out = od_trips(trips_events())
    got = {(r.origin, r.destination): r.trips for r in out.itertuples()}
    # a: H1-W1, W1-H1, H1-W1 ; b: H1-X, X-W1, W1-H1
    assert got == {("H1", "W1"): 2, ("W1", "H1"): 2, ("H1", "X"): 1, ("X", "W1"): 1}
    assert set(out["date"]) == {DAY.date()}


def test_min_stay_drops_pass_through() -> None:
    out = od_trips(trips_events(), min_stay="15min")
    got = {(r.origin, r.destination): r.trips for r in out.itertuples()}
    # single-event stays last 0 minutes: b's X is dropped (H1-W1-H1 remains); a keeps only
    # H1 (30 min) and W1 (8 h), as its evening stays are single events
    assert got == {("H1", "W1"): 2, ("W1", "H1"): 1}


def test_od_matrix_is_square_with_zeros() -> None:
    matrix = od_matrix(od_trips(trips_events()))
    assert list(matrix.index) == list(matrix.columns) == ["H1", "W1", "X"]
    assert matrix.loc["H1", "W1"] == 2 and matrix.loc["W1", "X"] == 0
    assert int(matrix.to_numpy().sum()) == 6
