"""Inbound tourism, ITU population coverage and publication thresholds, with known answers."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from ungp_methods.mobile import (
    MobileDataError,
    inbound_tourism,
    mcc_from_imsi,
    population_coverage,
    suppress_small_counts,
)

DAY = pd.Timestamp("2024-07-01")


def t(day: int, clock: str) -> pd.Timestamp:
    return DAY + pd.Timedelta(days=day) + pd.Timedelta(clock)


def roaming() -> pd.DataFrame:
    rows = [
        ("r1", t(0, "10:00:00"), "A", "250"),
        ("r1", t(0, "13:00:00"), "A", "250"),
        ("r1", t(1, "09:00:00"), "A", "250"),
        ("r1", t(1, "11:00:00"), "A", "250"),
        ("r2", t(0, "12:00:00"), "A", "250"),
        ("r2", t(0, "16:00:00"), "A", "250"),  # same day
        ("r3", t(0, "20:00:00"), "B", "234"),  # single event in B
        ("r3", t(1, "08:00:00"), "A", "234"),
        ("r3", t(1, "10:00:00"), "A", "234"),
        ("r3", t(2, "09:00:00"), "A", "234"),
        ("d1", t(0, "10:00:00"), "A", "282"),
        ("d1", t(1, "10:00:00"), "A", "282"),  # domestic
    ]
    return pd.DataFrame(rows, columns=["subscriber", "timestamp", "area", "mcc"])


def test_inbound_tourism_minimum_stay() -> None:
    out = inbound_tourism(roaming(), home_mcc="282", min_stay_in_area="1h")
    got = {(r.date.day, r.area, r.mcc): r.visitors for r in out.itertuples()}
    # r2 left the same day (not a tourist); r3's single event in B and on day 2 are too short
    assert got == {(1, "A", "250"): 1, (2, "A", "250"): 1, (2, "A", "234"): 1}
    loose = inbound_tourism(roaming(), home_mcc="282", min_days_in_country=1)
    assert loose.loc[(loose["date"] == DAY.date()) & (loose["area"] == "A"), "visitors"].sum() == 2
    assert len(loose) == 5  # day 1: A (250), B (234); day 2: A (250, 234); day 3: A (234)


def test_country_names_and_imsi() -> None:
    out = inbound_tourism(roaming(), home_mcc=["282"], countries={"250": "RU", "234": "GB"})
    assert set(out["country"]) == {"RU", "GB"}
    imsi = pd.Series(["250011234567890", "282041234567890"])
    assert mcc_from_imsi(imsi).tolist() == ["250", "282"]
    with pytest.raises(MobileDataError, match="IMSIs"):
        mcc_from_imsi(pd.Series(["25A01"]))


KM_PER_DEG = 6371.0088 * math.pi / 180


def test_population_coverage_known_share() -> None:
    grid = pd.DataFrame(
        {
            "lat": [0.0, 0.0, 0.0, 0.0, 1.0],
            "lon": [0.0, 0.01, -0.01, 0.05, 1.0],
            "population": [100.0, 50.0, 50.0, 300.0, 500.0],
        }
    )
    # 0.01 degree of longitude at the equator is 1.112 km, 0.05 is 5.56 km
    towers = pd.DataFrame(
        {"lat": [0.0, 1.0], "lon": [0.0, 1.0], "technology": ["4G", "2G"], "radius_km": [2.0, 5.0]}
    )
    out = population_coverage(grid, towers).set_index("technology")["coverage_pct"]
    assert out.to_dict() == pytest.approx({"2G": 70.0, "3G": 20.0, "4G": 20.0, "5G": 0.0})
    only = population_coverage(grid, towers, at_least=False).set_index("technology")
    assert only["coverage_pct"].to_dict() == pytest.approx(
        {"2G": 50.0, "3G": 0, "4G": 20.0, "5G": 0}
    )
    # the radius is a great-circle distance: a cell 1.9 km away is in, 2.1 km away is out
    edge = pd.DataFrame(
        {"lat": [0.0, 0.0], "lon": [1.9 / KM_PER_DEG, 2.1 / KM_PER_DEG], "population": [1.0, 1.0]}
    )
    assert population_coverage(edge, towers)["population_covered"].tolist()[2] == 1.0


def test_coverage_rejects_unknown_technology() -> None:
    grid = pd.DataFrame({"lat": [0.0], "lon": [0.0], "population": [1.0]})
    towers = pd.DataFrame({"lat": [0.0], "lon": [0.0], "technology": ["LTE"], "radius_km": [1.0]})
    with pytest.raises(MobileDataError, match="unknown technology"):
        population_coverage(grid, towers)


def counts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "region": ["R1", "R1", "R1", "R2", "R2", "R2", "R3", "R3"],
            "area": list("abcdefgh"),
            "count": [3, 20, 12, 4, 5, 30, 0, 50],
        }
    )


def test_primary_suppression() -> None:
    out = suppress_small_counts(counts(), k=10)
    assert out["suppression"].tolist() == ["primary", "", "", "primary", "primary", "", "", ""]
    assert np.isnan(out["count"].iloc[0]) and out["count"].iloc[6] == 0  # zeros shown
    zeros = suppress_small_counts(counts(), k=10, suppress_zeros=True)
    assert zeros["suppression"].iloc[6] == "primary"


def test_secondary_suppression_for_one_dimensional_totals() -> None:
    out = suppress_small_counts(counts(), k=10, total_by=["region"])
    flags = dict(zip(out["area"], out["suppression"], strict=True))
    # R1: a (3) alone could be recovered from the total: hide the next smallest, c (12)
    # R2: d + e = 9 < k: hide f too; R3: nothing small
    assert flags == {
        "a": "primary",
        "b": "",
        "c": "secondary",
        "d": "primary",
        "e": "primary",
        "f": "secondary",
        "g": "",
        "h": "",
    }
    # published totals minus published cells never isolate one hidden cell below k
    for _, group in out.groupby("region"):
        hidden = counts().loc[group.index[group["count"].isna()], "count"]
        assert len(hidden) == 0 or (len(hidden) >= 2 and hidden.sum() >= 10)


def test_threshold_errors() -> None:
    with pytest.raises(MobileDataError, match="non-negative counts"):
        suppress_small_counts(counts().assign(count=[1, -1, 0, 0, 0, 0, 0, 0]))
    with pytest.raises(MobileDataError, match="k must be"):
        suppress_small_counts(counts(), k=0)
