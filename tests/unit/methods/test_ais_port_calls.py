"""Port-call detection on synthetic tracks with a known answer."""

from __future__ import annotations

import pandas as pd
import pytest
import shapely
from ungp_methods.ais import AISDataError, assign_ports, detect_port_calls

T0 = pd.Timestamp("2024-02-05 00:00", tz="UTC")
KM_PER_DEG_LAT = 6371.0088 * 3.141592653589793 / 180
PORTS = pd.DataFrame(
    {
        "locode": ["NLRTM", "NLVLI"],
        "lat": [51.95, 51.44],
        "lon": [4.05, 3.58],
        "radius_km": [3.0, 3.0],
    }
)
PLACES = {"A": (51.95, 4.05), "B": (51.44, 3.58), "sea": (52.30, 3.40)}


def voyage(legs: list[tuple[str, int]], mmsi: int = 244123456, draught=None) -> pd.DataFrame:
    """Hourly pings: each leg is (place, number of hours spent there)."""
    rows, hour = [], 0
    for place, hours in legs:
        for _ in range(hours):
            lat, lon = PLACES[place]
            rows.append(
                {"mmsi": mmsi, "timestamp": T0 + pd.Timedelta(hours=hour), "lat": lat, "lon": lon}
            )
            hour += 1
    df = pd.DataFrame(rows)
    if draught is not None:
        df["draught"] = draught(df)
    return df


def test_short_excursion_is_one_call() -> None:
    # 11 h in port, 6 h outside, back for 14 h
    calls = detect_port_calls(voyage([("A", 11), ("sea", 6), ("A", 14)]), PORTS)
    assert len(calls) == 1
    call = calls.iloc[0]
    assert call["port"] == "NLRTM" and call["country"] == "NL"
    assert call["arrival"] == T0
    assert call["departure"] == T0 + pd.Timedelta(hours=30)
    assert call["hours_in_port"] == 30.0
    assert call["n_reports"] == 25


def test_two_days_away_is_two_calls() -> None:
    calls = detect_port_calls(voyage([("A", 11), ("sea", 48), ("A", 12)]), PORTS)
    assert len(calls) == 2
    assert calls["departure"].iloc[0] == T0 + pd.Timedelta(hours=10)
    assert calls["arrival"].iloc[1] == T0 + pd.Timedelta(hours=59)
    assert calls["hours_in_port"].tolist() == [10.0, 11.0]


@pytest.mark.parametrize(("hours_outside", "expected"), [(22, 1), (23, 2), (40, 2)])
def test_a_call_ends_only_after_one_day_outside(hours_outside: int, expected: int) -> None:
    # last report in port at hour 4, next one at 5 + hours_outside: gap = hours_outside + 1
    track = voyage([("A", 5), ("sea", hours_outside), ("A", 3)])
    assert len(detect_port_calls(track, PORTS)) == expected


def test_route_back_within_24h_is_merged() -> None:
    track = voyage([("A", 11), ("sea", 2), ("B", 3), ("sea", 2), ("A", 8)])
    calls = detect_port_calls(track, PORTS)
    assert calls["port"].tolist() == ["NLRTM"]
    assert calls["departure"].iloc[0] == T0 + pd.Timedelta(hours=25)
    unmerged = detect_port_calls(track, PORTS, merge_within=None)
    assert unmerged["port"].tolist() == ["NLRTM", "NLVLI", "NLRTM"]


def test_route_back_after_24h_stays_separate() -> None:
    track = voyage([("A", 5), ("sea", 2), ("B", 30), ("sea", 2), ("A", 5)])
    calls = detect_port_calls(track, PORTS)
    assert calls["port"].tolist() == ["NLRTM", "NLVLI", "NLRTM"]
    assert calls["hours_in_port"].tolist() == [4.0, 29.0, 4.0]


def test_draught_on_arrival_and_departure() -> None:
    def draught(df: pd.DataFrame) -> pd.Series:
        hours = (df["timestamp"] - T0).dt.total_seconds() / 3600
        return pd.Series(8.0, index=df.index).where(hours < 20, 12.5).where(hours != 0)

    track = voyage([("A", 11), ("sea", 6), ("A", 14)], draught=draught)
    call = detect_port_calls(track, PORTS).iloc[0]
    # hour 0 has no draught: the first reported one is used
    assert call["draught_arrival"] == 8.0
    assert call["draught_departure"] == 12.5


def test_vessels_are_independent() -> None:
    a = voyage([("A", 5), ("sea", 30), ("A", 5)], mmsi=244000001)
    b = voyage([("sea", 3), ("A", 10)], mmsi=311000002)
    calls = detect_port_calls(pd.concat([a, b]).sort_values("timestamp"), PORTS)
    assert calls.groupby("mmsi").size().to_dict() == {244000001: 2, 311000002: 1}


def test_min_hours_drops_passages() -> None:
    track = voyage([("sea", 2), ("A", 1), ("sea", 40), ("A", 6)])
    assert len(detect_port_calls(track, PORTS)) == 2
    assert len(detect_port_calls(track, PORTS, min_hours=1)) == 1


def test_circle_buffer() -> None:
    lat = pd.Series([51.95 + 3.5 / KM_PER_DEG_LAT])  # 3.5 km north of a 3 km circle
    assert assign_ports(lat, pd.Series([4.05]), PORTS).isna().all()
    assert assign_ports(lat, pd.Series([4.05]), PORTS, buffer_km=1.0).tolist() == ["NLRTM"]


def test_polygon_buffer_in_kilometres() -> None:
    square = pd.DataFrame(
        {"locode": ["XXSQR"], "geometry": [shapely.box(-0.01, -0.01, 0.01, 0.01)]}
    )
    edge_km = 0.01 * KM_PER_DEG_LAT
    lat = pd.Series([0.0, 0.0, 0.01 + 0.5 / KM_PER_DEG_LAT])  # centre, centre, 0.5 km outside
    lon = pd.Series([0.0, 0.0, 0.0])
    assert edge_km == pytest.approx(1.112, abs=1e-3)
    assert assign_ports(lat, lon, square).tolist()[:2] == ["XXSQR", "XXSQR"]
    assert pd.isna(assign_ports(lat, lon, square).iloc[2])
    assert pd.isna(assign_ports(lat, lon, square, buffer_km=0.4).iloc[2])
    assert assign_ports(lat, lon, square, buffer_km=0.6).iloc[2] == "XXSQR"


def test_overlapping_areas_go_to_the_nearest_port() -> None:
    ports = pd.DataFrame(
        {
            "locode": ["AAAAA", "BBBBB"],
            "lat": [0.0, 0.0],
            "lon": [0.0, 0.05],
            "radius_km": [10.0, 10.0],
        }
    )
    got = assign_ports(pd.Series([0.0, 0.0]), pd.Series([0.02, 0.03]), ports)
    assert got.tolist() == ["AAAAA", "BBBBB"]


def test_port_table_errors() -> None:
    with pytest.raises(AISDataError, match="radius_km"):
        assign_ports(pd.Series([0.0]), pd.Series([0.0]), PORTS.drop(columns="radius_km"))
    with pytest.raises(AISDataError, match="twice"):
        assign_ports(pd.Series([0.0]), pd.Series([0.0]), pd.concat([PORTS, PORTS]))


def test_no_reports_no_calls() -> None:
    empty = pd.DataFrame(columns=["mmsi", "timestamp", "lat", "lon"])
    assert detect_port_calls(empty, PORTS).empty
    assert detect_port_calls(voyage([("sea", 5)]), PORTS).empty
