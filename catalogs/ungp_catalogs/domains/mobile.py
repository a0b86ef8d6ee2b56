"""Mobile phone data domain: cells, event records of hashed subscribers, a population grid.

The world: a fictional region (UTM 36S, local time UTC+3) with settlements, a population
grid and radio sites carrying 2G/3G/4G/5G cells. Domestic subscribers have a planted home
cell (where they spend the nights) and often a work cell (weekday office hours); inbound
roamers (foreign MCC) visit for one to seven days. Truths: homes per subscriber, home-to-work
flows between zones, the visitors, and the population covered by each technology.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from pyproj import Transformer

from ..context import BuildContext
from ..metadata import Variable
from ..telecom.network import TECH_RANK, Network
from ..telecom.subscribers import EVENT_TYPES, ROAMER_MCC, day_events, plant_subscribers
from . import Domain
from ._country import CRS

DOMAIN = Domain(
    name="mobile",
    title="Mobile phone data",
    task_team="UN Task Team on Mobile Phone Data",
    description=(
        "Radio cells with technology and coverage, event records of hashed subscribers with "
        "planted homes and inbound roamers, a population grid; planted truths."
    ),
    version="1.0",
)

TZ = "Africa/Dar_es_Salaam"  # UTC+3 all year
START = np.datetime64("2024-03-04")  # a Monday
HOME_MCC = "001"  # ITU-T E.212 test-network code: the fictional country's own MCC


def _strings(values) -> pa.Array:
    return pa.array([None if v is None else str(v) for v in values], pa.string())


def build(ctx: BuildContext) -> None:
    ctx.report("placing radio cells")
    net = Network(ctx)
    to_wgs = Transformer.from_crs(CRS, "EPSG:4326", always_xy=True)
    lon, lat = to_wgs.transform(net.x, net.y)
    glon, glat = to_wgs.transform(net.gx, net.gy)
    bbox = [round(float(v), 4) for v in (glon.min(), glat.min(), glon.max(), glat.max())]
    space = {
        "description": "a fictional region in UTM zone 36S (local time UTC+3)",
        "bbox": bbox,
        "crs": "EPSG:4326 (lat/lon) and EPSG:32736 (x/y)",
    }
    days = net.size["days"]
    end = START + np.timedelta64(days - 1, "D")
    time = {"start": str(START), "end": str(end), "resolution": "second"}
    common = {"spatial_coverage": space, "provenance": ctx.generated_provenance(crs=CRS)}
    _cells(ctx, net, lat, lon, time, common)
    _grid(ctx, net, glat, glon, time, common)
    ctx.report("simulating events")
    subscribers = plant_subscribers(net, ctx.rng("subscribers"), ctx.seed)
    _events(ctx, net, subscribers, time, common)
    _truths(ctx, net, subscribers, time, common)


def _cells(ctx, net, lat, lon, time, common) -> None:
    ctx.entry(
        "mobile_cells",
        title="Radio cells with technology and coverage radius",
        description="One row per cell (site x technology): position, technology, nominal "
        "coverage radius and the zone (nearest settlement) it belongs to.",
        format="parquet",
        method_notes="Sites cluster in settlements (more in bigger ones) plus a jittered 7 km "
        "rural grid. Every site has 2G; 3G and 4G at all urban and some rural sites; 5G at "
        "some city sites. Radius: rural 2G 8 km, 3G 5 km, 4G 4 km; urban 3/2/1.5 km; 5G "
        "0.8 km; +-15% per cell. Coverage is modelled as a disc (no terrain).",
        temporal_coverage=time,
        variables=[
            Variable("cell_id", "1", "cell identifier reported in the events", "string"),
            Variable("site_id", "1", "radio site (mast) identifier", "string"),
            Variable("technology", "1", "2G, 3G, 4G or 5G", "string"),
            Variable("lat", "degree_north", "WGS 84 latitude of the site", "float64"),
            Variable("lon", "degree_east", "WGS 84 longitude of the site", "float64"),
            Variable("x", "m", f"easting, {CRS}", "float64"),
            Variable("y", "m", f"northing, {CRS}", "float64"),
            Variable("radius_km", "km", "nominal coverage radius", "float64"),
            Variable("zone", "1", "zone (nearest settlement) of the site", "string"),
        ],
        **common,
    ).write_parquet(
        "cells.parquet",
        pa.table(
            {
                "cell_id": _strings(net.cell_id),
                "site_id": _strings([f"S{s + 1:04d}" for s in net.site]),
                "technology": _strings(net.tech),
                "lat": pa.array(np.round(lat, 6), pa.float64()),
                "lon": pa.array(np.round(lon, 6), pa.float64()),
                "x": pa.array(net.x, pa.float64()),
                "y": pa.array(net.y, pa.float64()),
                "radius_km": pa.array(net.radius_km, pa.float64()),
                "zone": _strings(net.zone),
            }
        ),
    )


def _grid(ctx, net, glat, glon, time, common) -> None:
    ctx.entry(
        "mobile_population_grid",
        title="Population grid (500 m cells)",
        description="Resident population per grid cell with the cell centre in lat/lon and x/y.",
        format="parquet",
        method_notes="Gaussian bumps around settlements plus dispersed rural population; the "
        "census-like resident population the phone-based estimates are compared with.",
        temporal_coverage=time,
        variables=[
            Variable("grid_id", "1", "grid cell identifier", "int64"),
            Variable("lat", "degree_north", "cell centre latitude", "float64"),
            Variable("lon", "degree_east", "cell centre longitude", "float64"),
            Variable("x", "m", f"cell centre easting, {CRS}", "float64"),
            Variable("y", "m", f"cell centre northing, {CRS}", "float64"),
            Variable("population", "persons", "residents", "float64"),
        ],
        **common,
    ).write_parquet(
        "population_grid.parquet",
        pa.table(
            {
                "grid_id": pa.array(np.arange(len(net.gx)), pa.int64()),
                "lat": pa.array(np.round(glat, 6), pa.float64()),
                "lon": pa.array(np.round(glon, 6), pa.float64()),
                "x": pa.array(net.gx, pa.float64()),
                "y": pa.array(net.gy, pa.float64()),
                "population": pa.array(net.gpop, pa.float64()),
            }
        ),
    )


def _events(ctx, net: Network, s: dict, time, common) -> None:
    n = s["n"]
    ids = pa.array(s["ids"], pa.string())
    mcc_of = pa.array(np.r_[np.full(n, HOME_MCC), s["mcc"]].tolist(), pa.string())
    cells = pa.array(net.cell_id.tolist(), pa.string())
    kinds = pa.array(EVENT_TYPES.tolist(), pa.string())
    e = ctx.entry(
        "mobile_events",
        title="Event records (CDR-like) of hashed subscribers",
        description="One row per call, SMS or data session: hashed subscriber, time, serving "
        "cell and the MCC of the SIM (roamers have a foreign MCC); one file per day.",
        format="parquet",
        method_notes="Each subscriber-day has a Poisson number of events (mean drawn per "
        "subscriber, about 12; 4% low-activity subscribers have 0.3). Hours follow a daily "
        "profile. 21:00-07:00: the home cell with probability 0.88, the nearest other site "
        "0.07, else anywhere; weekdays 09-17 for the 65% with a work place: the work cell "
        "0.75, home 0.10; other hours: home 0.45, work 0.15. Inbound roamers stay 1-7 days "
        "(a quarter only one day) around a hotel in a town. Timestamps carry the time zone "
        f"({TZ}, UTC+3), so hours are local; subscriber ids are salted SHA-256 prefixes. "
        "Partitioned by local date (date=YYYY-MM-DD).",
        temporal_coverage=time,
        variables=[
            Variable("subscriber", "1", "hashed subscriber id", "string"),
            Variable("timestamp", "datetime", "event time", f"timestamp[ms, tz={TZ}]"),
            Variable("cell_id", "1", "serving cell (see mobile_cells)", "string"),
            Variable(
                "mcc", "1", f"mobile country code of the SIM ({HOME_MCC} = domestic)", "string"
            ),
            Variable("event_type", "1", "call, sms or data", "string"),
        ],
        **common,
    )
    rng = ctx.rng("events")
    base = (START.astype("datetime64[s]") - np.timedelta64(3, "h")).astype(np.int64)  # UTC
    for day in range(s["days"]):
        ev = day_events(s, net, day, rng)
        millis = (base + ev["seconds"]) * 1000
        e.write_parquet(
            f"date={START + np.timedelta64(day, 'D')}/part-0.parquet",
            pa.table(
                {
                    "subscriber": ids.take(pa.array(ev["who"])),
                    "timestamp": pa.array(millis, pa.timestamp("ms", tz=TZ)),
                    "cell_id": cells.take(pa.array(ev["cell"])),
                    "mcc": mcc_of.take(pa.array(ev["who"])),
                    "event_type": kinds.take(pa.array(ev["kind"])),
                }
            ),
        )


def covered_population(net: Network) -> list[tuple[str, float, float]]:
    """Population within the radius of a cell of each technology or a later one (planar)."""
    total = float(net.gpop.sum())
    out = []
    for tech, rank in TECH_RANK.items():
        use = np.array([TECH_RANK[t] >= rank for t in net.tech])
        covered = np.zeros(len(net.gx), dtype=bool)
        for x, y, r in zip(net.x[use], net.y[use], net.radius_km[use], strict=True):
            covered |= np.hypot(net.gx - x, net.gy - y) <= r * 1000
        out.append((tech, float(net.gpop[covered].sum()), total))
    return out


def _truths(ctx, net, s, time, common) -> None:
    n = s["n"]
    home_cell = net.cell_id[net.camp[s["home_site"]]]
    work_cell = np.where(s["works"], net.cell_id[net.camp[s["work_site"]]], None)
    home_zone = net.zone[net.camp[s["home_site"]]]
    work_zone = np.where(s["works"], net.zone[net.camp[s["work_site"]]], None)
    ctx.entry(
        "mobile_homes_truth",
        title="Planted truth: home (and work) cell of each domestic subscriber",
        description="The cell each domestic subscriber spends the nights in, their work cell "
        "if any, and whether they are a low-activity subscriber.",
        format="parquet",
        role="truth",
        truth_of=["mobile_events"],
        method_notes="Low-activity subscribers have too few nights for a night-time rule "
        "with min_nights=3: a method should leave most of them unassigned.",
        temporal_coverage=time,
        variables=[
            Variable("subscriber", "1", "hashed subscriber id", "string"),
            Variable("home_cell", "1", "planted home cell", "string"),
            Variable("home_zone", "1", "zone of the home cell", "string"),
            Variable("work_cell", "1", "planted work cell, null if none", "string"),
            Variable("work_zone", "1", "zone of the work cell", "string"),
            Variable("low_activity", "1", "about 0.3 events a day", "bool"),
        ],
        **common,
    ).write_parquet(
        "homes.parquet",
        pa.table(
            {
                "subscriber": _strings(s["ids"][:n]),
                "home_cell": _strings(home_cell),
                "home_zone": _strings(home_zone),
                "work_cell": _strings(work_cell),
                "work_zone": _strings(work_zone),
                "low_activity": pa.array(s["low"], pa.bool_()),
            }
        ),
    )
    pairs: dict[tuple[str, str], int] = {}
    for o, d in zip(home_zone[s["works"]], work_zone[s["works"]], strict=True):
        pairs[(str(o), str(d))] = pairs.get((str(o), str(d)), 0) + 1
    keys = sorted(pairs)
    ctx.entry(
        "mobile_od_truth",
        title="Planted truth: home-to-work flows between zones",
        description="Number of domestic subscribers living in each zone (origin) and working "
        "in each zone (destination), same zone included.",
        format="parquet",
        role="truth",
        truth_of=["mobile_events"],
        method_notes="Counted from the planted homes and work places of mobile_homes_truth; "
        "what a home-to-visited OD matrix on weekday office hours approximates.",
        temporal_coverage=time,
        variables=[
            Variable("origin_zone", "1", "home zone", "string"),
            Variable("destination_zone", "1", "work zone", "string"),
            Variable("commuters", "subscribers", "subscribers with this pair", "int64"),
        ],
        **common,
    ).write_parquet(
        "od.parquet",
        pa.table(
            {
                "origin_zone": _strings([k[0] for k in keys]),
                "destination_zone": _strings([k[1] for k in keys]),
                "commuters": pa.array([pairs[k] for k in keys], pa.int64()),
            }
        ),
    )
    days_seen = s["days_seen"][n:]
    ctx.entry(
        "mobile_roamers_truth",
        title="Planted truth: inbound roamers",
        description="Each inbound roaming subscriber: country, planned stay and the days "
        "actually seen in the events.",
        format="parquet",
        role="truth",
        truth_of=["mobile_events"],
        method_notes="overnight = seen on at least two distinct days (the tourist definition "
        "of ungp_methods.mobile.inbound_tourism); same-day visitors are not tourists.",
        temporal_coverage=time,
        variables=[
            Variable("subscriber", "1", "hashed subscriber id", "string"),
            Variable("mcc", "1", "mobile country code", "string"),
            Variable("country", "1", "ISO 3166-1 alpha-2 of the MCC", "string"),
            Variable("arrival", "date", "planned first day in the country", "date32"),
            Variable("departure", "date", "planned last day", "date32"),
            Variable("days_seen", "days", "distinct days with events", "int64"),
            Variable("overnight", "1", "seen on two days or more", "bool"),
        ],
        **common,
    ).write_parquet(
        "roamers.parquet",
        pa.table(
            {
                "subscriber": _strings(s["ids"][n:]),
                "mcc": _strings(s["mcc"]),
                "country": _strings([ROAMER_MCC[c] for c in s["mcc"]]),
                "arrival": pa.array(START + s["arrive"].astype("timedelta64[D]"), pa.date32()),
                "departure": pa.array(START + s["leave"].astype("timedelta64[D]"), pa.date32()),
                "days_seen": pa.array(days_seen, pa.int64()),
                "overnight": pa.array(days_seen >= 2, pa.bool_()),
            }
        ),
    )
    rows = covered_population(net)
    ctx.entry(
        "mobile_coverage_truth",
        title="Planted truth: population covered by technology (SDG 9.c.1)",
        description="Population of the grid within range of at least a 2G, 3G, 4G or 5G cell.",
        format="parquet",
        role="truth",
        truth_of=["mobile_cells", "mobile_population_grid"],
        method_notes="ITU definition (a technology or a later one counts): a grid cell is "
        "covered when its centre lies within a cell's radius, computed with planar distances "
        "in EPSG:32736 at build time; a great-circle computation on lat/lon agrees to well "
        "under 0.5 percentage points.",
        temporal_coverage=time,
        variables=[
            Variable("technology", "1", "at least this technology", "string"),
            Variable("population_covered", "persons", "covered population", "float64"),
            Variable("population_total", "persons", "total population", "float64"),
            Variable("coverage_pct", "%", "covered / total x 100", "float64"),
        ],
        **common,
    ).write_parquet(
        "coverage.parquet",
        pa.table(
            {
                "technology": _strings([r[0] for r in rows]),
                "population_covered": pa.array([r[1] for r in rows], pa.float64()),
                "population_total": pa.array([r[2] for r in rows], pa.float64()),
                "coverage_pct": pa.array([100 * r[1] / r[2] for r in rows], pa.float64()),
            }
        ),
    )
