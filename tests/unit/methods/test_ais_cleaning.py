"""Cleaning rules on small tracks with planted errors."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from ungp_methods.ais import (
    RULES,
    AISDataError,
    clean_positions,
    haversine_km,
    implied_speed_knots,
    valid_mmsi,
)

T0 = pd.Timestamp("2024-05-06 00:00", tz="UTC")


def track(mmsi: int, points: list[tuple[float, float, float]]) -> pd.DataFrame:
    """Rows from (hours after T0, lat, lon)."""
    return pd.DataFrame(
        {
            "mmsi": mmsi,
            "timestamp": [T0 + pd.Timedelta(hours=h) for h, _, _ in points],
            "lat": [p[1] for p in points],
            "lon": [p[2] for p in points],
        }
    )


def test_valid_mmsi() -> None:
    values = pd.Series(
        [244123456, 201000000, 775999999, 123456789, 776000000, 24412345, 2441234567, 2440000]
    )
    assert valid_mmsi(values).tolist() == [True, True, True, False, False, False, False, False]
    assert valid_mmsi(pd.Series(["244123456", "abc", None])).tolist() == [True, False, False]


def test_implied_speed_by_hand() -> None:
    # 0.1 degree of latitude along a meridian in one hour
    speed = implied_speed_knots([50.0, 50.1], [3.0, 3.0], [T0, T0 + pd.Timedelta("1h")])
    expected = 6371.0088 * math.radians(0.1) / 1.852
    assert math.isnan(speed[0])
    assert speed[1] == pytest.approx(expected, rel=1e-9)
    assert haversine_km(0, 0, 0, 180) == pytest.approx(math.pi * 6371.0088)


def test_each_rule_counts_what_it_removes() -> None:
    good = track(244123456, [(h, 51.0 + 0.05 * h, 3.0) for h in range(6)])  # ~3 kn
    jump = track(244123456, [(2.5, 54.0, 3.0)])  # 330 km in 30 min
    dup = good.iloc[[1]].assign(lat=51.2)  # same vessel and time, second copy
    bad_mmsi = track(123456789, [(0, 51.0, 3.0)])
    not_available = track(244123456, [(7, 91.0, 181.0)])
    off_globe = track(244123456, [(8, 51.0, 190.0)])
    no_time = track(244123456, [(9, 51.0, 3.0)]).assign(timestamp=pd.NaT)
    data = pd.concat([good, jump, dup, bad_mmsi, not_available, off_globe, no_time])
    result = clean_positions(data, max_speed_knots=50)
    report = dict(zip(result.report["rule"], result.report["rows_removed"], strict=True))
    assert list(result.report["rule"]) == list(RULES)
    assert report == {
        "invalid_mmsi": 1,
        "impossible_position": 2,
        "missing_timestamp": 1,
        "duplicate": 1,
        "gps_jump": 1,
    }
    kept = result.positions
    assert len(kept) == len(good)
    # the report after the jump is kept: it is compared with the last accepted one
    assert kept["timestamp"].tolist() == good["timestamp"].tolist()
    assert kept["lat"].tolist() == good["lat"].tolist()


def test_threshold_is_a_parameter() -> None:
    data = track(244123456, [(0, 51.0, 3.0), (1, 52.0, 3.0), (2, 52.05, 3.0)])  # 60 kn, then 3 kn
    assert clean_positions(data).report.set_index("rule").loc["gps_jump", "rows_removed"] == 1
    relaxed = clean_positions(data, max_speed_knots=70)
    assert len(relaxed.positions) == 3


def test_vessels_are_checked_separately() -> None:
    # two ships far apart at the same times: no jump between them
    a = track(244123456, [(0, 51.0, 3.0), (1, 51.05, 3.0)])
    b = track(311000001, [(0, -20.0, 57.0), (1, -20.05, 57.0)])
    result = clean_positions(pd.concat([a, b]).sort_values("timestamp"))
    assert result.report["rows_removed"].sum() == 0
    assert len(result.positions) == 4


def test_bad_arguments() -> None:
    with pytest.raises(AISDataError, match="no column"):
        clean_positions(pd.DataFrame({"mmsi": [1]}))
    with pytest.raises(AISDataError, match="positive"):
        clean_positions(track(244123456, [(0, 1.0, 1.0)]), max_speed_knots=0)


def test_empty_input_gives_empty_output() -> None:
    empty = track(244123456, [])
    result = clean_positions(empty)
    assert result.positions.empty and result.report["rows_removed"].sum() == 0
