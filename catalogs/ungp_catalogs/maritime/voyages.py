"""Voyage schedules: port calls with cargo operations, anchorage waits, and the legs between.

Each vessel serves a rotation of 3-5 ports in one coastal region. At each call it berths at a
point inside the port area, discharges and loads cargo (liner ships part of it, bulk carriers
and tankers alternate full cargo and ballast), and its reported draught follows the cargo on
board. Before some calls it waits at anchor just outside the port area (congestion), which is
what makes "first report inside the port area" and "arrival at berth" different things. The
schedule starts up to three days before the observation window so vessels are already under
way or in port when it opens. This module only plans; `pings.py` samples it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .fleet import Fleet
from .ports import PORTS, haversine_km, offset_deg

KNOT_KMH = 1.852
STAY_MEDIAN_H = {"container": 20.0, "bulk carrier": 60.0, "tanker": 34.0, "general cargo": 30.0}
ANCHOR_SHARE = {"container": 0.2, "bulk carrier": 0.5, "tanker": 0.4, "general cargo": 0.3}
CARGO_SHARE = 0.92  # of DWT: the rest is fuel, water, stores
APPROACH_KN = 6.0


@dataclass
class Schedule:
    """Calls, anchorage waits and legs as flat arrays; times in epoch seconds.

    `calls["anchored_from"]` is the start of the anchorage wait before the call, or -1.
    """

    calls: dict[str, np.ndarray]
    anchorages: dict[str, np.ndarray]
    legs: dict[str, np.ndarray]


class _Table(dict):
    def __init__(self, *columns: str) -> None:
        super().__init__({c: [] for c in columns})

    def add(self, **row: float) -> None:
        for key, value in row.items():
            self.setdefault(key, []).append(value)

    def arrays(self) -> dict[str, np.ndarray]:
        return {k: np.asarray(v) for k, v in self.items()}


def plan(fleet: Fleet, start: int, end: int, rng: np.random.Generator) -> Schedule:
    regions = sorted({p.region for p in PORTS})
    by_region = {r: [i for i, p in enumerate(PORTS) if p.region == r] for r in regions}
    weights = np.array([len(by_region[r]) for r in regions], dtype=float)
    calls = _Table("vessel", "port", "arrival", "departure", "anchored_from")
    anchorages = _Table("vessel", "port", "t0", "t1", "lat", "lon", "onboard")
    legs = _Table("vessel", "to_port", "t0", "t1", "lat0", "lon0", "lat1", "lon1", "onboard")
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
        anchored_from = -1
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
            calls.add(
                vessel=v,
                port=rotation[i % k],
                arrival=arrival,
                departure=departure,
                lat=lat,
                lon=lon,
                onboard_arrival=onboard,
                onboard_departure=after,
                unloaded=unloaded,
                loaded=loaded,
                anchored_from=anchored_from,
                draught_update=arrival + int(stay * rng.uniform(0.3, 0.9)),
            )
            onboard = after
            i += 1
            nxt = rotation[i % k]
            lat1, lon1 = _berth(nxt, rng)
            speed = fleet.speed_kn[v] * rng.uniform(0.88, 1.04)
            anchored_from = -1
            if rng.random() < ANCHOR_SHARE[cls]:
                alat, alon = _anchorage(nxt, rng)
                t = _leg(legs, v, nxt, departure, lat, lon, alat, alon, onboard, speed)
                anchored_from = t
                wait = int(rng.uniform(2, 30) * 3600)
                anchorages.add(
                    vessel=v, port=nxt, t0=t, t1=t + wait, lat=alat, lon=alon, onboard=onboard
                )
                t = _leg(legs, v, nxt, t + wait, alat, alon, lat1, lon1, onboard, APPROACH_KN)
            else:
                t = _leg(legs, v, nxt, departure, lat, lon, lat1, lon1, onboard, speed)
            lat, lon = lat1, lon1
    return Schedule(calls.arrays(), anchorages.arrays(), legs.arrays())


def _leg(
    legs: _Table,
    v: int,
    to_port: int,
    t0: int,
    lat0: float,
    lon0: float,
    lat1: float,
    lon1: float,
    onboard: float,
    speed_kn: float,
) -> int:
    """Append a great-circle leg and return its arrival time."""
    km = float(haversine_km(lat0, lon0, lat1, lon1))
    hours = max(0.5, km / (speed_kn * KNOT_KMH))
    t1 = t0 + int(hours * 3600)
    legs.add(
        vessel=v,
        to_port=to_port,
        t0=t0,
        t1=t1,
        lat0=lat0,
        lon0=lon0,
        lat1=lat1,
        lon1=lon1,
        onboard=onboard,
        speed_kn=km / hours / KNOT_KMH,
    )
    return t1


def _berth(port_index: int, rng: np.random.Generator) -> tuple[float, float]:
    """A berth inside the inner 60% of the port area's radius (uniform over the disc)."""
    port = PORTS[port_index]
    dist = np.array(port.radius_km * 0.6 * np.sqrt(rng.random()))
    dlat, dlon = offset_deg(np.array(port.lat), dist, np.array(rng.uniform(0, 2 * np.pi)))
    return port.lat + float(dlat), port.lon + float(dlon)


def _anchorage(port_index: int, rng: np.random.Generator) -> tuple[float, float]:
    """An anchoring position 1.3-2.2 port radii from the centre: outside the port area."""
    port = PORTS[port_index]
    dist = np.array(port.radius_km * rng.uniform(1.3, 2.2))
    dlat, dlon = offset_deg(np.array(port.lat), dist, np.array(rng.uniform(0, 2 * np.pi)))
    return port.lat + float(dlat), port.lon + float(dlon)
