"""Weekly indicators, and the whole pipeline from NMEA to a weekly table."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pyais
import pytest
from ungp_methods.ais import (
    AISDataError,
    attach_static,
    call_payloads,
    clean_positions,
    decode_nmea,
    detect_port_calls,
    iso_week,
    port_country,
    weekly_port_calls,
    weekly_trade_volume,
)


def test_iso_week_labels() -> None:
    days = pd.Series(pd.to_datetime(["2021-01-03", "2021-01-04", "2024-12-30"]))
    assert iso_week(days).tolist() == ["2020-W53", "2021-W01", "2025-W01"]


def calls() -> pd.DataFrame:
    arrivals = ["2024-01-01", "2024-01-03", "2024-01-15", "2024-01-16", "2024-01-17", "2024-01-02"]
    ports = ["NLRTM", "NLRTM", "NLRTM", "NLRTM", "NLRTM", "NLAMS"]
    return pd.DataFrame(
        {
            "port": ports,
            "country": port_country(pd.Series(ports)),
            "arrival": pd.to_datetime(arrivals, utc=True),
            "payload_tonnes": [100.0, -40.0, np.nan, 30.0, 30.0, 5.0],
        }
    )


def test_weekly_port_calls_fill_empty_weeks() -> None:
    out = weekly_port_calls(calls())
    rtm = out[out["port"] == "NLRTM"]
    assert rtm["week"].tolist() == ["2024-W01", "2024-W02", "2024-W03"]
    assert rtm["port_calls"].tolist() == [2, 0, 3]
    change = rtm["change_pct"].tolist()
    assert math.isnan(change[0]) and change[1] == -100.0 and math.isnan(change[2])
    by_country = weekly_port_calls(calls(), by="country")
    assert by_country["port_calls"].tolist() == [3, 0, 3]


def test_weekly_trade_volume() -> None:
    out = weekly_trade_volume(calls(), by="country").set_index("week")
    assert out.loc["2024-W01", "loaded_tonnes"] == 105.0
    assert out.loc["2024-W01", "unloaded_tonnes"] == 40.0
    assert out.loc["2024-W01", "total_tonnes"] == 145.0
    assert out.loc["2024-W03", "loaded_tonnes"] == 60.0
    assert out.loc["2024-W03", "calls_without_payload"] == 1
    assert out.loc["2024-W02", "total_tonnes"] == 0.0


def test_week_on_week_change() -> None:
    df = pd.DataFrame(
        {
            "port": ["NLRTM"] * 3,
            "arrival": pd.to_datetime(["2024-01-01", "2024-01-08", "2024-01-15"]),
            "payload_tonnes": [100.0, 150.0, -75.0],
        }
    )
    out = weekly_trade_volume(df)
    assert out["change_pct"].tolist()[1:] == pytest.approx([50.0, -50.0])


def test_bad_level() -> None:
    with pytest.raises(AISDataError, match="by must be"):
        weekly_port_calls(calls(), by="region")  # type: ignore[arg-type]


def test_pipeline_from_nmea_to_weekly_volume() -> None:
    """A ship arrives at 8 m draught, leaves at 12 m: one call, loaded, counted in its week."""
    mmsi, t0 = 244123456, pd.Timestamp("2024-01-08 00:00", tz="UTC")
    lines: list[str] = []

    def at(hour: float, sentences: list[str]) -> None:
        epoch = int((t0 + pd.Timedelta(hours=hour)).timestamp())
        lines.extend(f"{epoch},{s}" for s in sentences)

    def static(draught: float) -> list[str]:
        data = {
            "type": 5,
            "mmsi": mmsi,
            "to_bow": 150,
            "to_stern": 50,
            "to_port": 16,
            "to_starboard": 16,
            "draught": draught,
            "ship_type": 70,
        }
        return pyais.encode_dict(data, sentence_type="VDM", seq_id=1)

    def ping(lat: float, lon: float) -> list[str]:
        data = {"type": 1, "mmsi": mmsi, "lat": lat, "lon": lon, "speed": 0.1}
        return pyais.encode_dict(data, sentence_type="VDM")

    at(-1, static(8.0))
    for h in range(0, 20):
        at(h, ping(51.95, 4.05))
    at(10.5, ping(58.0, 4.05))  # GPS jump inside the stay
    at(15, static(12.0))
    for h in range(21, 30):
        at(h, ping(51.95 + 0.1 * (h - 20), 4.05))  # leaving north at ~6 kn
    lines.append("!AIVDM,1,1,,A,garbage,0*00")

    decoded = decode_nmea(lines)
    assert decoded.skipped == 1
    clean = clean_positions(decoded.positions)
    assert clean.report.set_index("rule").loc["gps_jump", "rows_removed"] == 1
    pings = attach_static(clean.positions, decoded.static)
    ports = pd.DataFrame({"locode": ["NLRTM"], "lat": [51.95], "lon": [4.05], "radius_km": [3.0]})
    found = detect_port_calls(pings, ports, buffer_km=1.0)
    assert len(found) == 1
    assert found["draught_arrival"].iloc[0] == 8.0
    assert found["draught_departure"].iloc[0] == 12.0
    vessels = pd.DataFrame(
        {
            "mmsi": [mmsi],
            "length": [200.0],
            "beam": [32.0],
            "block_coefficient": [0.8],
            "design_draught": [12.0],
        }
    )
    with_payload = call_payloads(found, vessels)
    weekly = weekly_trade_volume(with_payload)
    expected = 62976.0 - (1 - 0.2 * 1.1447142425533319) * 200 * 32 * 8 * 1.025
    assert weekly["week"].tolist() == ["2024-W02"]
    assert weekly["loaded_tonnes"].iloc[0] == pytest.approx(expected)
    assert weekly["unloaded_tonnes"].iloc[0] == 0.0
