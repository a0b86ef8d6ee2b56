"""Sampling AIS position reports from a schedule, one day at a time, with realistic noise.

One day at a time keeps memory flat at any scale (a `large` day is under a million rows) and
matches the daily partitions on disk. Noise, in the forms analysts meet in real AIS feeds:
coverage gaps at sea (terrestrial receivers cover ports well, open sea badly), GPS jumps and the
"not available" defaults of ITU-R M.1371 (lat 91, lon 181, heading 511, sog 102.3), duplicated
messages received by two stations, draught never or sometimes not reported, and MMSIs garbled
in reception (one digit lost) or left at the installer's default 123456789.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .fleet import Fleet
from .voyages import Schedule

UNDER_WAY, AT_ANCHOR, MOORED = 0, 1, 5
BERTH, SEA, ANCHOR = 0, 1, 2


@dataclass
class Segments:
    """Calls (BERTH), legs (SEA) and anchorage waits (ANCHOR) as one table of intervals."""

    kind: np.ndarray
    vessel: np.ndarray
    t0: np.ndarray
    t1: np.ndarray
    lat0: np.ndarray
    lon0: np.ndarray
    lat1: np.ndarray
    lon1: np.ndarray
    draught_a: np.ndarray
    draught_b: np.ndarray
    t_update: np.ndarray
    speed_kn: np.ndarray
    heading: np.ndarray


def segments(schedule: Schedule, fleet: Fleet, rng: np.random.Generator) -> Segments:
    c, g, a = schedule.calls, schedule.legs, schedule.anchorages

    def draught(v: np.ndarray, onboard: np.ndarray) -> np.ndarray:
        return np.round(fleet.draught_for(v, onboard), 1)

    n_c, n_g, n_a = len(c["vessel"]), len(g["vessel"]), len(a["vessel"])
    cv, gv, av = (x["vessel"].astype(np.int64) for x in (c, g, a))
    g_draught, a_draught = draught(gv, g["onboard"]), draught(av, a["onboard"])
    return Segments(
        kind=np.repeat(np.array([BERTH, SEA, ANCHOR], np.int8), [n_c, n_g, n_a]),
        vessel=np.concatenate([cv, gv, av]),
        t0=np.concatenate([c["arrival"], g["t0"], a["t0"]]).astype(np.int64),
        t1=np.concatenate([c["departure"], g["t1"], a["t1"]]).astype(np.int64),
        lat0=np.concatenate([c["lat"], g["lat0"], a["lat"]]).astype(float),
        lon0=np.concatenate([c["lon"], g["lon0"], a["lon"]]).astype(float),
        lat1=np.concatenate([c["lat"], g["lat1"], a["lat"]]).astype(float),
        lon1=np.concatenate([c["lon"], g["lon1"], a["lon"]]).astype(float),
        draught_a=np.concatenate([draught(cv, c["onboard_arrival"]), g_draught, a_draught]),
        draught_b=np.concatenate([draught(cv, c["onboard_departure"]), g_draught, a_draught]),
        t_update=np.concatenate([c["draught_update"], g["t0"], a["t0"]]).astype(np.int64),
        speed_kn=np.concatenate([np.zeros(n_c), g["speed_kn"], np.zeros(n_a)]),
        heading=np.concatenate([rng.uniform(0, 360, n_c), np.zeros(n_g), rng.uniform(0, 360, n_a)]),
    )


@dataclass(frozen=True)
class Reporting:
    sea_interval_s: int
    port_interval_s: int
    phase: np.ndarray  # per vessel, seconds
    silent_draught: np.ndarray  # per vessel: never reports draught


def _unit(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    la, lo = np.radians(lat), np.radians(lon)
    return np.stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])


def _bearing(lat1, lon1, lat2, lon2):  # type: ignore[no-untyped-def]
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dl = np.radians(lon2 - lon1)
    y = np.sin(dl) * np.cos(p2)
    x = np.cos(p1) * np.sin(p2) - np.sin(p1) * np.cos(p2) * np.cos(dl)
    return np.degrees(np.arctan2(y, x)) % 360


def day_pings(
    seg: Segments, fleet: Fleet, rep: Reporting, d0: int, d1: int, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """All reports with timestamps in [d0, d1), sorted by (timestamp, mmsi)."""
    idx = np.flatnonzero((seg.t0 < d1) & (seg.t1 > d0))
    kind = seg.kind[idx]
    interval = np.where(kind == SEA, rep.sea_interval_s, rep.port_interval_s).astype(np.int64)
    base = seg.t0[idx] + rep.phase[seg.vessel[idx]] % interval
    a = np.maximum(seg.t0[idx], d0)
    b = np.minimum(seg.t1[idx], d1)
    k0 = -((base - a) // interval)  # ceil((a - base) / interval)
    k1 = -((base - b) // interval)
    n = np.maximum(0, k1 - k0)
    s = np.repeat(np.arange(len(idx)), n)
    k = k0[s] + np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
    t = base[s] + k * interval[s] + (rng.random(len(s)) * 0.2 * interval[s]).astype(np.int64)
    g = idx[s]
    vessel = seg.vessel[g]
    at_sea = seg.kind[g] == SEA

    # positions: at the berth or anchorage with GPS noise; under way along the great circle
    f = np.clip((t - seg.t0[g]) / np.maximum(1, seg.t1[g] - seg.t0[g]), 0.0, 1.0)
    p0, p1 = _unit(seg.lat0[g], seg.lon0[g]), _unit(seg.lat1[g], seg.lon1[g])
    omega = np.arccos(np.clip((p0 * p1).sum(axis=0), -1.0, 1.0))
    sin_o = np.where(omega < 1e-12, 1.0, np.sin(omega))
    w0 = np.where(omega < 1e-12, 1 - f, np.sin((1 - f) * omega) / sin_o)
    w1 = np.where(omega < 1e-12, f, np.sin(f * omega) / sin_o)
    p = p0 * w0 + p1 * w1
    lat = np.degrees(np.arctan2(p[2], np.hypot(p[0], p[1])))
    lon = np.degrees(np.arctan2(p[1], p[0]))
    noise_km = np.where(at_sea, 0.03, 0.012)
    lat = lat + rng.normal(0, 1, len(t)) * noise_km / 111.32
    lon = lon + rng.normal(0, 1, len(t)) * noise_km / (111.32 * np.cos(np.radians(lat)))
    cog = np.where(
        at_sea,
        (_bearing(lat, lon, seg.lat1[g], seg.lon1[g]) + rng.normal(0, 1.5, len(t))) % 360,
        rng.uniform(0, 360, len(t)),
    )
    sog = np.where(
        at_sea,
        seg.speed_kn[g] * (1 + rng.normal(0, 0.03, len(t))),
        np.abs(rng.normal(0, 0.1, len(t))),
    )
    heading = np.where(
        at_sea, cog + rng.normal(0, 2, len(t)), seg.heading[g] + rng.normal(0, 1, len(t))
    )
    heading = np.round(heading).astype(np.int64) % 360
    draught = np.where(t < seg.t_update[g], seg.draught_a[g], seg.draught_b[g])
    status = np.select([at_sea, seg.kind[g] == ANCHOR], [UNDER_WAY, AT_ANCHOR], MOORED)

    # coverage gaps at sea: one gap of 1-8 h in a fifth of vessel-days
    nv = len(fleet)
    has_gap = rng.random(nv) < 0.2
    g_start = d0 + rng.integers(0, d1 - d0, nv)
    g_len = rng.integers(3600, 8 * 3600, nv)
    in_gap = (
        at_sea & has_gap[vessel] & (t >= g_start[vessel]) & (t < g_start[vessel] + g_len[vessel])
    )
    keep = ~in_gap & (t < d1)

    n_all = len(t)
    draught_ok = ~rep.silent_draught[vessel] & (rng.random(n_all) >= 0.01)
    mmsi = fleet.mmsi[vessel].copy()
    u = rng.random(n_all)
    mmsi = np.where(u < 0.0004, mmsi // 10, mmsi)
    mmsi = np.where((u >= 0.0004) & (u < 0.0006), 123456789, mmsi)
    jump = rng.random(n_all) < 0.0005
    bearing = rng.uniform(0, 2 * np.pi, n_all)
    dist = rng.uniform(5, 200, n_all)
    lat = np.where(jump, lat + dist * np.cos(bearing) / 111.32, lat)
    lon = np.where(jump, lon + dist * np.sin(bearing) / (111.32 * np.cos(np.radians(lat))), lon)
    na_pos = rng.random(n_all) < 0.0001
    lat = np.where(na_pos, 91.0, np.clip(lat, -90, 90))
    lon = np.where(na_pos, 181.0, (lon + 180) % 360 - 180)
    heading = np.where(rng.random(n_all) < 0.03, 511, heading)
    sog = np.where(rng.random(n_all) < 0.001, 102.3, np.round(sog, 1))

    cols = {
        "mmsi": mmsi,
        "timestamp": t,
        "lat": np.round(lat, 6),
        "lon": np.round(lon, 6),
        "sog": sog.astype(np.float32),
        "cog": np.round(cog, 1).astype(np.float32),
        "heading": heading.astype(np.int16),
        "nav_status": status.astype(np.int8),
        "draught": draught.astype(np.float32),
        "draught_ok": draught_ok,
    }
    cols = {name: col[keep] for name, col in cols.items()}
    dup = np.flatnonzero(rng.random(len(cols["mmsi"])) < 0.005)
    cols = {name: np.concatenate([col, col[dup]]) for name, col in cols.items()}
    order = np.lexsort((cols["mmsi"], cols["timestamp"]))
    return {name: col[order] for name, col in cols.items()}
