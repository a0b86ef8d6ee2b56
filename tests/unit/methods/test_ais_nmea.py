"""NMEA decoding: round trips through pyais's encoder, multi-part messages, bad input."""

from __future__ import annotations

import math

import pandas as pd
import pyais
import pytest
from ungp_methods.ais import AISDataError, attach_static, decode_nmea

MMSI = 244123456


def position(**fields: object) -> str:
    data = {"type": 1, "mmsi": MMSI, "lat": 51.95, "lon": 4.05, "speed": 12.3, "course": 45.5}
    data |= fields
    (sentence,) = pyais.encode_dict(data, sentence_type="VDM")
    return sentence


def static(seq_id: int = 1, **fields: object) -> list[str]:
    data = {
        "type": 5,
        "mmsi": MMSI,
        "imo": 9321483,
        "shipname": "SYNTHETIC STAR",
        "callsign": "PABC",
        "ship_type": 70,
        "to_bow": 150,
        "to_stern": 50,
        "to_port": 14,
        "to_starboard": 18,
        "draught": 9.4,
        "destination": "NLRTM",
    }
    data |= fields
    return pyais.encode_dict(data, sentence_type="VDM", seq_id=seq_id)


def test_position_round_trip() -> None:
    line = position(lat=-33.8568, lon=151.2153, speed=14.2, course=271.3, heading=270, status=5)
    out = decode_nmea([f"2024-03-04T05:06:07Z,{line}"])
    assert out.counts["messages"] == 1 and out.skipped == 0
    row = out.positions.iloc[0]
    assert row["mmsi"] == MMSI
    assert row["timestamp"] == pd.Timestamp("2024-03-04T05:06:07Z")
    # AIS resolution is 1/10000 minute = 1/600000 degree.
    assert row["lat"] == pytest.approx(-33.8568, abs=1 / 600000)
    assert row["lon"] == pytest.approx(151.2153, abs=1 / 600000)
    assert row["sog"] == pytest.approx(14.2)
    assert row["cog"] == pytest.approx(271.3)
    assert row["heading"] == 270
    assert row["nav_status"] == 5


def test_class_b_report_is_a_position() -> None:
    line = pyais.encode_dict(
        {"type": 18, "mmsi": MMSI, "lat": 10.5, "lon": -20.25, "speed": 6.0, "course": 90.0},
        sentence_type="VDM",
    )[0]
    out = decode_nmea([line], received=["2024-01-01 00:00"])
    row = out.positions.iloc[0]
    assert (row["lat"], row["lon"], row["msg_type"]) == (10.5, -20.25, 18)
    assert pd.isna(row["nav_status"])  # class B reports carry no navigational status
    assert row["timestamp"] == pd.Timestamp("2024-01-01", tz="UTC")


def test_two_part_static_report_round_trip() -> None:
    first, second = static()
    assert first.startswith("!AIVDM,2,1,")  # really a two-sentence message
    out = decode_nmea([f"1704067200,{first}", second])
    row = out.static.iloc[0]
    assert row["imo"] == 9321483
    assert row["name"] == "SYNTHETIC STAR"
    assert row["ship_type"] == 70
    assert row["length"] == 200 and row["beam"] == 32
    assert row["draught"] == pytest.approx(9.4)
    assert row["destination"] == "NLRTM"
    # the message takes the time of its first fragment (unix seconds)
    assert row["timestamp"] == pd.Timestamp("2024-01-01", tz="UTC")


def test_fragments_interleaved_with_other_traffic() -> None:
    first, second = static(seq_id=3)
    out = decode_nmea([first, position(), second])
    assert len(out.positions) == 1 and len(out.static) == 1
    assert out.counts["incomplete"] == 0


def test_tag_block_time() -> None:
    line = "\\s:station1,c:1709528767*00\\" + position()
    out = decode_nmea([line])
    assert out.positions["timestamp"].iloc[0] == pd.Timestamp(1709528767, unit="s", tz="UTC")


def test_bad_sentences_are_counted_and_skipped() -> None:
    good = position()
    broken_checksum = good[:-2] + ("00" if not good.endswith("00") else "11")
    first, second = static(seq_id=7)
    lines = [
        "this is not nmea",
        broken_checksum,
        second,  # orphan second fragment
        good,
        "$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47",
        first,  # first fragment never completed
        "",
    ]
    out = decode_nmea(lines)
    assert len(out.positions) == 1
    assert out.counts["lines"] == 6
    assert out.counts["bad_checksum"] == 1
    assert out.counts["incomplete"] == 2
    assert out.counts["bad_sentence"] + out.counts["other_types"] == 2
    assert out.skipped >= 4


def test_not_available_codes() -> None:
    line = position(lat=91.0, lon=181.0, speed=102.3, course=360.0, heading=511)
    row = decode_nmea(line).positions.iloc[0]
    # 91/181 are kept for the cleaning report; the others become NaN
    assert (row["lat"], row["lon"]) == (91.0, 181.0)
    assert math.isnan(row["sog"]) and math.isnan(row["cog"]) and math.isnan(row["heading"])


def test_received_must_match_lines() -> None:
    with pytest.raises(AISDataError, match="one receive time per line"):
        decode_nmea([position(), position()], received=["2024-01-01"])


def test_attach_static_uses_the_latest_earlier_report() -> None:
    t = pd.Timestamp("2024-01-01", tz="UTC")
    pings = pd.DataFrame(
        {
            "mmsi": [MMSI, MMSI, MMSI, 244999999],
            "timestamp": [
                t,
                t + pd.Timedelta("2h"),
                t + pd.Timedelta("5h"),
                t + pd.Timedelta("5h"),
            ],
            "lat": [0.0] * 4,
            "lon": [0.0] * 4,
        }
    )
    reports = pd.DataFrame(
        {
            "mmsi": [MMSI, MMSI],
            "timestamp": [t + pd.Timedelta("1h"), t + pd.Timedelta("4h")],
            "draught": [8.0, 11.5],
            "length": [200.0, 200.0],
        }
    )
    out = attach_static(pings, reports)
    assert list(out["timestamp"]) == list(pings["timestamp"])  # order kept
    assert math.isnan(out["draught"].iloc[0])  # nothing known yet
    assert out["draught"].iloc[1] == 8.0
    assert out["draught"].iloc[2] == 11.5
    assert math.isnan(out["draught"].iloc[3])  # another vessel
