"""Voyage schedules: port calls with cargo operations, and the legs between them.

Each vessel serves a rotation of 3-5 ports in one coastal region. At each call it berths at a
point inside the port area, discharges and loads cargo (liner ships part of it, bulk carriers
and tankers alternate full cargo and ballast), and its reported draught follows the cargo on
board. The schedule starts up to three days before the observation window so vessels are
already under way or in port when it opens. This module only plans; `pings.py` samples it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .fleet import Fleet
from .ports import PORTS, haversine_km, offset_deg

KNOT_KMH = 1.852
STAY_MEDIAN_H = {"container": 20.0, "bulk carrier": 60.0, "tanker": 34.0, "general cargo": 30.0}
CARGO_SHARE = 0.92  # of DWT: the rest is fuel, water, stores


@dataclass
class Schedule:
    """Calls and legs as flat arrays (one row per call / per leg); times in epoch seconds."""

    calls: dict[str, np.ndarray]
    legs: dict[str, np.ndarray]


def plan(fleet: Fleet, start: int, end: int, rng: np.random.Generator) -> Schedule:
    regions = sorted({p.region for p in PORTS})
    by_region = {r: [i for i, p in enumerate(PORTS) if p.region == r] for r in regions}
    weights = np.array([len(by_region[r]) for r in regions], dtype=float)
    calls: dict[str, list] = {
        k: []
        for k in (
            "vessel",
            "port",
            "arrival",
            "departure",
            "lat",
            "lon",
            "onboard_arrival",
            "onboard_departure",
            "unloaded",
            "loaded",
            "draught_update",
        )
    }
    legs: dict[str, list] = {
        k: []
        for k in (
            "vessel",
            "to_port",
            "t0",
            "t1",
            "lat0",
            "lon0",
            "lat1",
            "lon1",
            "onboard",
            "speed_kn",
        )
    }
    for v in range(len(fleet)):
        ports = by_region[regions[rng.choice(len(regions), p=weights / weights.sum())]]
        k = min(len(ports), int(rng.integers(3, 6)))
        rotation = [int(p) for p in rng.choice(ports, k, replace=False)]
        cls = fleet.ship_class[v]
        liner = cls in ("container", "general cargo")
        capacity = CARGO_SHARE * fleet.dwt[v]
        onboard = capacity * (rng.uniform(0.4, 0.9) if liner else float(rng.random() < 0.5) * 0.95)
        t = start - int(rng.uniform(0, 3 * 86400))
        i = int(rng.integers(0, k))
        lat, lon = _berth(rotation[i % k], rng)
        while t < end:
            stay = max(6.0, STAY_MEDIAN_H[cls] * rng.lognormal(0, 0.4)) * 3600
            arrival, departure = t, t + int(stay)
            if liner:
                unloaded = onboard * rng.uniform(0.25, 0.6)
                loaded = max(0.0, capacity * rng.uniform(0.45, 0.92) - (onboard - unloaded))
            elif onboard > 0.5 * capacity:
                unloaded, loaded = onboard, 0.0
            else:
                unloaded, loaded = onboard, capacity * rng.uniform(0.9, 0.98)
            after = onboard - unloaded + loaded
            for key, val in (
                ("vessel", v),
                ("port", rotation[i % k]),
                ("arrival", arrival),
                ("departure", departure),
                ("lat", lat),
                ("lon", lon),
                ("onboard_arrival", onboard),
                ("onboard_departure", after),
                ("unloaded", unloaded),
                ("loaded", loaded),
                ("draught_update", arrival + int(stay * rng.uniform(0.3, 0.9))),
            ):
                calls[key].append(val)
            onboard = after
            i += 1
            lat1, lon1 = _berth(rotation[i % k], rng)
            speed = fleet.speed_kn[v] * rng.uniform(0.88, 1.04)
            km = float(haversine_km(lat, lon, lat1, lon1))
            hours = max(2.0, km / (speed * KNOT_KMH))
            t = departure + int(hours * 3600)
            for key, val in (
                ("vessel", v),
                ("to_port", rotation[i % k]),
                ("t0", departure),
                ("t1", t),
                ("lat0", lat),
                ("lon0", lon),
                ("lat1", lat1),
                ("lon1", lon1),
                ("onboard", onboard),
                ("speed_kn", km / hours / KNOT_KMH),
            ):
                legs[key].append(val)
            lat, lon = lat1, lon1
    return Schedule(
        calls={k: np.asarray(v) for k, v in calls.items()},
        legs={k: np.asarray(v) for k, v in legs.items()},
    )


def _berth(port_index: int, rng: np.random.Generator) -> tuple[float, float]:
    """A berth inside the inner 60% of the port area's radius (uniform over the disc)."""
    port = PORTS[port_index]
    dist = np.array(port.radius_km * 0.6 * np.sqrt(rng.random()))
    dlat, dlon = offset_deg(np.array(port.lat), dist, np.array(rng.uniform(0, 2 * np.pi)))
    return port.lat + float(dlat), port.lon + float(dlon)
