"""AIS domain: ports, a vessel registry, daily Parquet pings, raw NMEA and planted port calls."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from ..context import BuildContext
from ..maritime.fleet import make_fleet
from ..maritime.nmea import encode_sample
from ..maritime.pings import Reporting, day_pings, segments
from ..maritime.ports import PORTS, area_wkt
from ..maritime.voyages import plan
from ..metadata import Variable
from . import Domain

DOMAIN = Domain(
    name="ais",
    title="AIS vessel tracking",
    task_team="UN Task Team on AIS Data",
    description=(
        "Major world ports, a synthetic fleet, daily-partitioned AIS position reports with "
        "realistic noise, a raw NMEA sample, and the planted port calls and payloads."
    ),
    version="1.1",
)

WINDOW_START = "2024-02-26"  # a Monday: the small scale holds 8 whole ISO weeks
MIN_OVERLAP_S = 2 * 3600


@dataclass(frozen=True)
class AisSize:
    vessels: int
    days: int
    sea_interval_s: int
    port_interval_s: int
    nmea_pings: int


SIZES = {
    "small": AisSize(vessels=30, days=56, sea_interval_s=900, port_interval_s=900, nmea_pings=1500),
    "medium": AisSize(
        vessels=150, days=14, sea_interval_s=60, port_interval_s=300, nmea_pings=20000
    ),
    "large": AisSize(
        vessels=700, days=31, sea_interval_s=60, port_interval_s=360, nmea_pings=50000
    ),
}
TS = pa.timestamp("ms", tz="UTC")  # Parquet has no second unit: ms, whole seconds
WORLD = {
    "description": "48 major ports worldwide and the sea lanes between them",
    "bbox": [-180.0, -90.0, 180.0, 90.0],
}


def build(ctx: BuildContext) -> None:
    size: AisSize = ctx.pick(SIZES)
    start = int(np.datetime64(WINDOW_START, "s").astype(np.int64))
    end = start + size.days * 86400
    cover = {
        "start": f"{WINDOW_START}T00:00:00Z",
        "end": f"{np.datetime64(end - 1, 's')}Z",
        "resolution": f"position reports every ~{size.sea_interval_s} s under way",
    }
    prov = ctx.generated_provenance()
    _ports(ctx, prov)
    fleet = make_fleet(size.vessels, ctx.rng("fleet"))
    _vessels(ctx, fleet, prov, cover)
    ctx.report("planning voyages")
    schedule = plan(fleet, start, end, ctx.rng("voyages"))
    seg = segments(schedule, fleet, ctx.rng("segments"))
    r = ctx.rng("reporting")
    rep = Reporting(
        size.sea_interval_s,
        size.port_interval_s,
        phase=r.integers(0, 86400, len(fleet)),
        silent_draught=r.random(len(fleet)) < 0.05,
    )
    e = ctx.entry(
        "ais_pings",
        title="AIS position reports (daily partitions)",
        description="Class A position reports of the simulated fleet, one Parquet file per day.",
        format="parquet",
        method_notes=(
            "Simulated voyages: each vessel serves a rotation of 3-5 ports in one region, berths "
            "inside the port area (status 5, moored), sails great-circle legs at its service "
            "speed (status 0); legs may cut corners over land. 20-50% of arrivals (by ship "
            "class) first wait 2-30 h at anchor 1.3-2.2 port radii from the centre, outside "
            "the port area (status 1), then approach at 6 kn. Draught follows cargo on board "
            "(displacement at the draught = lightship + cargo, with a draught-dependent block "
            "coefficient; reported to 0.1 m) and is updated during "
            "the port stay. Noise: 1-8 h coverage gaps at sea in ~20% of vessel-days, GPS jumps "
            "of 5-200 km (0.05%), lat 91 / lon 181 not-available (0.01%), heading 511 (3%), "
            "sog 102.3 (0.1%), exact duplicate messages (0.5%), draught missing for 5% of vessels "
            "and 1% of reports, MMSI garbled to 8 digits (0.04%) or 123456789 (0.02%). Sorted by "
            "timestamp, then mmsi."
        ),
        temporal_coverage=cover,
        spatial_coverage=WORLD,
        variables=[
            Variable("mmsi", "1", "Maritime Mobile Service Identity (may be invalid)", "int64"),
            Variable(
                "timestamp", "UTC", "receiver time of the report, seconds", "timestamp[ms, tz=UTC]"
            ),
            Variable("lat", "degree_north", "WGS84 latitude; 91 = not available", "float64"),
            Variable("lon", "degree_east", "WGS84 longitude; 181 = not available", "float64"),
            Variable("sog", "knot", "speed over ground; 102.3 = not available", "float32"),
            Variable("cog", "degree", "course over ground, true north", "float32"),
            Variable("heading", "degree", "true heading; 511 = not available", "int16"),
            Variable("nav_status", "1", "ITU navigational status (0 under way, 5 moored)", "int8"),
            Variable("draught", "m", "reported static draught; null = not reported", "float32"),
        ],
        provenance=prov,
    )
    first_day: dict[str, np.ndarray] | None = None
    for d in range(size.days):
        d0 = start + d * 86400
        day = str(np.datetime64(d0, "s").astype("datetime64[D]"))
        ctx.report(f"pings {day}")
        p = day_pings(seg, fleet, rep, d0, d0 + 86400, ctx.rng(f"pings/{day}"))
        if first_day is None:
            first_day = p
        e.write_parquet(f"date={day}/part-0.parquet", _ping_table(p))

    ctx.report("encoding NMEA sample")
    assert first_day is not None
    sample = {k: v[: size.nmea_pings] for k, v in first_day.items()}
    dest = _destinations(schedule, fleet, start)
    ctx.entry(
        "ais_nmea_sample",
        title="Raw AIS NMEA sample (AIVDM with tag blocks)",
        description="The first reports of the first day as received: NMEA 0183 AIVDM sentences.",
        format="lines",
        method_notes=(
            "Encoded with pyais from the same simulation as ais_pings (first day, first "
            f"{size.nmea_pings} reports): a type 5 static/voyage report before each vessel's first "
            "type 1 position report. Each line starts with a tag block \\s:station,c:epoch*hh\\ "
            "carrying the receiver timestamp. Decode with pyais."
        ),
        temporal_coverage=cover,
        spatial_coverage=WORLD,
        variables=[Variable("line", "1", "one NMEA sentence with its tag block", "string")],
        provenance=prov,
    ).write_text("sample.nmea", encode_sample(sample, fleet, dest))
    _truth(ctx, schedule, fleet, start, end, prov, cover)


def _ping_table(p: dict[str, np.ndarray]) -> pa.Table:
    return pa.table(
        {
            "mmsi": pa.array(p["mmsi"], pa.int64()),
            "timestamp": pa.array(p["timestamp"] * 1000, TS),
            "lat": pa.array(p["lat"], pa.float64()),
            "lon": pa.array(p["lon"], pa.float64()),
            "sog": pa.array(p["sog"], pa.float32()),
            "cog": pa.array(p["cog"], pa.float32()),
            "heading": pa.array(p["heading"], pa.int16()),
            "nav_status": pa.array(p["nav_status"], pa.int8()),
            "draught": pa.array(p["draught"], pa.float32(), mask=~p["draught_ok"]),
        }
    )


def _destinations(schedule, fleet, start: int) -> dict[int, str]:  # type: ignore[no-untyped-def]
    """The next port (LOCODE) each vessel heads for at the window start, for type 5 reports."""
    g = schedule.legs
    out: dict[int, str] = {}
    for i in np.argsort(g["t1"], kind="stable"):
        mmsi = int(fleet.mmsi[g["vessel"][i]])
        if g["t1"][i] > start and mmsi not in out:
            out[mmsi] = PORTS[int(g["to_port"][i])].locode
    return out


def _ports(ctx: BuildContext, prov: dict) -> None:
    ctx.entry(
        "ais_ports",
        title="Major world ports with port areas",
        description="48 major ports: UN/LOCODE, name, country, position and a circular port area.",
        format="parquet",
        licence="CC-BY-4.0",
        attribution="Port codes and names: UN/LOCODE (UNECE). Positions compiled by ungp-hub.",
        provenance=dict(prov, source="UN/LOCODE codes and names; positions approximate (~1 km)"),
        method_notes=(
            "Positions are those of the main terminals, rounded; the port area is the circle of "
            "radius_km around (lat, lon) (area_wkt: a 64-gon of it). Simulated berths lie "
            "within 60% of the radius. region groups ports served by the same services."
        ),
        temporal_coverage={"start": WINDOW_START, "end": WINDOW_START, "resolution": "static"},
        spatial_coverage=WORLD,
        variables=[
            Variable("locode", "1", "UN/LOCODE (country + 3-character location)", "string"),
            Variable("name", "1", "port name", "string"),
            Variable("country", "1", "ISO 3166-1 alpha-2", "string"),
            Variable("lat", "degree_north", "WGS84 latitude of the port centre", "float64"),
            Variable("lon", "degree_east", "WGS84 longitude of the port centre", "float64"),
            Variable("radius_km", "km", "radius of the port area", "float64"),
            Variable("area_wkt", "1", "port area polygon, WKT, EPSG:4326 (lon lat)", "string"),
            Variable("region", "1", "service region", "string"),
        ],
    ).write_parquet(
        "ports.parquet",
        pa.table(
            {
                "locode": [p.locode for p in PORTS],
                "name": [p.name for p in PORTS],
                "country": [p.country for p in PORTS],
                "lat": pa.array([p.lat for p in PORTS], pa.float64()),
                "lon": pa.array([p.lon for p in PORTS], pa.float64()),
                "radius_km": pa.array([p.radius_km for p in PORTS], pa.float64()),
                "area_wkt": [area_wkt(p) for p in PORTS],
                "region": [p.region for p in PORTS],
            }
        ),
    )


def _vessels(ctx: BuildContext, fleet, prov: dict, cover: dict) -> None:  # type: ignore[no-untyped-def]
    ctx.entry(
        "ais_vessels",
        title="Vessel registry",
        description="The simulated fleet: identifiers, type and hull particulars.",
        format="parquet",
        method_notes=(
            "Synthetic ships (names invented, MMSI with real flag MIDs, IMO numbers with valid "
            "check digits). block_coefficient is Cb at the design draught; displacement "
            "D(T) = 1.025 Cb(T) L B T with Cb(T) = 1 - (1 - Cb)(T_design/T)^(1/3) (MAN 2011); "
            "DWT = 0.75-0.82 * D(T_design)."
        ),
        temporal_coverage=cover,
        spatial_coverage=WORLD,
        variables=[
            Variable("mmsi", "1", "Maritime Mobile Service Identity", "int64"),
            Variable("imo", "1", "IMO ship number", "int64"),
            Variable("name", "1", "ship name", "string"),
            Variable("ship_type", "1", "AIS ship type code (70 cargo, 80 tanker)", "int16"),
            Variable("ship_class", "1", "container, bulk carrier, tanker, general cargo", "string"),
            Variable("dwt", "t", "deadweight tonnage", "float64"),
            Variable("length", "m", "length overall", "float64"),
            Variable("beam", "m", "moulded breadth", "float64"),
            Variable("design_draught", "m", "summer load line draught", "float64"),
            Variable("block_coefficient", "1", "Cb at design draught", "float64"),
        ],
        provenance=prov,
    ).write_parquet(
        "vessels.parquet",
        pa.table(
            {
                "mmsi": pa.array(fleet.mmsi, pa.int64()),
                "imo": pa.array(fleet.imo, pa.int64()),
                "name": pa.array(fleet.name.tolist(), pa.string()),
                "ship_type": pa.array(fleet.ship_type, pa.int16()),
                "ship_class": pa.array(fleet.ship_class.tolist(), pa.string()),
                "dwt": pa.array(fleet.dwt, pa.float64()),
                "length": pa.array(fleet.length, pa.float64()),
                "beam": pa.array(fleet.beam, pa.float64()),
                "design_draught": pa.array(fleet.design_draught, pa.float64()),
                "block_coefficient": pa.array(fleet.block_coefficient, pa.float64()),
            }
        ),
    )


def _truth(ctx, schedule, fleet, start, end, prov, cover) -> None:  # type: ignore[no-untyped-def]
    c = schedule.calls
    inside = (c["arrival"] < end - MIN_OVERLAP_S) & (c["departure"] > start + MIN_OVERLAP_S)
    sel = np.flatnonzero(inside)
    sel = sel[np.lexsort((fleet.mmsi[c["vessel"][sel]], c["arrival"][sel]))]
    v = c["vessel"][sel]
    call_id = np.arange(1, len(sel) + 1)
    locode = [PORTS[int(p)].locode for p in c["port"][sel]]
    ctx.entry(
        "ais_port_calls_truth",
        title="Planted truth: port calls",
        description="Every port call of the simulated fleet overlapping the window by 2 h or more.",
        format="parquet",
        role="truth",
        truth_of=["ais_pings", "ais_nmea_sample"],
        method_notes=(
            "arrival/departure are the berthing and unberthing times; they may fall outside the "
            "window for calls under way when it opens or closes. anchored_from: the vessel "
            "first waited at anchor outside the port area (status 1) from this time. Each call "
            "has moored reports inside the port area (circle of radius_km)."
        ),
        temporal_coverage=cover,
        spatial_coverage=WORLD,
        variables=[
            Variable("call_id", "1", "call identifier (joins ais_payload_truth)", "int64"),
            Variable("mmsi", "1", "vessel MMSI", "int64"),
            Variable("imo", "1", "vessel IMO number", "int64"),
            Variable("locode", "1", "port UN/LOCODE", "string"),
            Variable(
                "anchored_from",
                "UTC",
                "start of the anchorage wait before berthing, null if none",
                "timestamp[ms, tz=UTC]",
            ),
            Variable("arrival", "UTC", "berthing time", "timestamp[ms, tz=UTC]"),
            Variable("departure", "UTC", "unberthing time", "timestamp[ms, tz=UTC]"),
        ],
        provenance=prov,
    ).write_parquet(
        "port_calls.parquet",
        pa.table(
            {
                "call_id": pa.array(call_id, pa.int64()),
                "mmsi": pa.array(fleet.mmsi[v], pa.int64()),
                "imo": pa.array(fleet.imo[v], pa.int64()),
                "locode": pa.array(locode, pa.string()),
                "anchored_from": pa.array(
                    c["anchored_from"][sel] * 1000, TS, mask=c["anchored_from"][sel] < 0
                ),
                "arrival": pa.array(c["arrival"][sel] * 1000, TS),
                "departure": pa.array(c["departure"][sel] * 1000, TS),
            }
        ),
    )
    tpm = fleet.tpm[v]
    ctx.entry(
        "ais_payload_truth",
        title="Planted truth: cargo handled per port call",
        description="Tonnes discharged and loaded at each planted port call, and cargo on board.",
        format="parquet",
        role="truth",
        truth_of=["ais_pings", "ais_port_calls_truth"],
        method_notes=(
            "Liner ships (container, general cargo) discharge 25-60% and load to 45-92% of "
            "cargo capacity (92% of DWT); bulk carriers and tankers alternate full loads and "
            "ballast. Draughts are the exact values before AIS rounding to 0.1 m, from the hull "
            "model D(T) = 1.025 Cb(T) L B T with Cb(T) = 1 - (1 - Cb_design)(T_design/T)^(1/3) "
            "(MAN Energy Solutions 2011): the draught-adjusted displacement recovers the cargo."
        ),
        temporal_coverage=cover,
        spatial_coverage=WORLD,
        variables=[
            Variable("call_id", "1", "joins ais_port_calls_truth", "int64"),
            Variable("mmsi", "1", "vessel MMSI", "int64"),
            Variable("locode", "1", "port UN/LOCODE", "string"),
            Variable("unloaded_t", "t", "cargo discharged", "float64"),
            Variable("loaded_t", "t", "cargo loaded", "float64"),
            Variable("on_board_arrival_t", "t", "cargo on board at arrival", "float64"),
            Variable("on_board_departure_t", "t", "cargo on board at departure", "float64"),
            Variable("draught_arrival_m", "m", "exact draught at arrival", "float64"),
            Variable("draught_departure_m", "m", "exact draught at departure", "float64"),
            Variable(
                "tpm_t_per_m", "t/m", "tonnes per metre immersion at design draught", "float64"
            ),
        ],
        provenance=prov,
    ).write_parquet(
        "payloads.parquet",
        pa.table(
            {
                "call_id": pa.array(call_id, pa.int64()),
                "mmsi": pa.array(fleet.mmsi[v], pa.int64()),
                "locode": pa.array(locode, pa.string()),
                "unloaded_t": pa.array(np.round(c["unloaded"][sel], 1), pa.float64()),
                "loaded_t": pa.array(np.round(c["loaded"][sel], 1), pa.float64()),
                "on_board_arrival_t": pa.array(np.round(c["onboard_arrival"][sel], 1)),
                "on_board_departure_t": pa.array(np.round(c["onboard_departure"][sel], 1)),
                "draught_arrival_m": pa.array(
                    np.round(fleet.draught_for(v, c["onboard_arrival"][sel]), 4)
                ),
                "draught_departure_m": pa.array(
                    np.round(fleet.draught_for(v, c["onboard_departure"][sel]), 4)
                ),
                "tpm_t_per_m": pa.array(np.round(tpm, 1)),
            }
        ),
    )
