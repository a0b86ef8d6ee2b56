"""Subscribers of the simulated mobile network and their daily events.

Domestic subscribers get a home site (their nights) and often a work site (weekday office
hours); inbound roamers (foreign MCC) stay one to seven days around a hotel in a town. The
mobile phone data domain (domains/mobile.py) writes the events and the planted truths.
"""

from __future__ import annotations

import numpy as np

from .network import Network, hashed_ids

ROAMER_MCC = {
    "234": "GB",
    "262": "DE",
    "208": "FR",
    "310": "US",
    "460": "CN",
    "404": "IN",
    "655": "ZA",
    "639": "KE",
}
ROAMER_SHARE = (0.18, 0.16, 0.12, 0.1, 0.1, 0.1, 0.12, 0.12)
HOURLY = np.array([2, 1, 1, 1, 1, 2, 4, 6, 7, 7, 7, 7, 8, 7, 7, 7, 7, 8, 8, 8, 7, 6, 4, 3], float)
EVENT_TYPES = np.array(["call", "sms", "data"])


def plant_subscribers(net: Network, rng: np.random.Generator, seed: int) -> dict:
    """Homes, work places and roamers' stays: everything the events are drawn around."""
    size = net.size
    n, m, days = size["subscribers"], size["roamers"], size["days"]
    p = net.gpop / net.gpop.sum()
    home_g = rng.choice(len(p), n, p=p)
    home_site = net.serving_site(net.gx[home_g], net.gy[home_g])
    works = rng.random(n) < 0.65
    pw = net.gpop**1.4 / (net.gpop**1.4).sum()
    work_g = rng.choice(len(pw), n, p=pw)
    work_site = net.serving_site(net.gx[work_g], net.gy[work_g])
    low = rng.random(n) < 0.04
    rate = np.where(low, 0.3, rng.lognormal(np.log(12), 0.4, n))
    # roamers: arrival, stay length, a hotel site in a town, a country
    arrive = rng.integers(0, days, m)
    stay = np.where(rng.random(m) < 0.25, 1, rng.integers(2, 8, m))
    leave = np.minimum(arrive + stay - 1, days - 1)
    big = np.flatnonzero(net.towns.population >= 5_000)
    hotel_town = rng.choice(big, m)
    hotel_site = net.serving_site(net.towns.x[hotel_town], net.towns.y[hotel_town])
    mcc = rng.choice(list(ROAMER_MCC), m, p=ROAMER_SHARE)
    return {
        "n": n,
        "m": m,
        "days": days,
        "ids": hashed_ids(seed, n + m),
        "home_site": home_site,
        "work_site": work_site,
        "works": works,
        "low": low,
        "rate": rate,
        "arrive": arrive,
        "leave": leave,
        "mcc": mcc,
        "home": np.r_[home_site, hotel_site].astype(np.int64),
        "work": np.r_[np.where(works, work_site, -1), np.full(m, -1)].astype(np.int64),
        "days_seen": np.zeros(n + m, dtype=np.int64),
    }


def day_events(s: dict, net: Network, day: int, rng: np.random.Generator) -> dict:
    """One day of events for everyone present, sorted by time then subscriber."""
    n, m = s["n"], s["m"]
    present = np.r_[np.ones(n, bool), (s["arrive"] <= day) & (s["leave"] >= day)]
    lam = np.r_[s["rate"], np.full(m, 10.0)] * present
    counts = rng.poisson(lam)
    s["days_seen"] += counts > 0
    who = np.repeat(np.arange(n + m), counts)
    k = len(who)
    hour = rng.choice(24, k, p=HOURLY / HOURLY.sum())
    sec = rng.integers(0, 3600, k)
    night = (hour >= 21) | (hour < 7)
    office_hours = (day % 7 < 5) & (hour >= 9) & (hour < 17)
    home, work = s["home"][who], s["work"][who]
    u = rng.random(k)
    site = rng.integers(0, len(net.site_x), k)
    at_home = (night & (u < 0.88)) | (~night & ~(office_hours & (work >= 0)) & (u < 0.45))
    pong = night & (u >= 0.88) & (u < 0.95)
    office = ~night & office_hours & (work >= 0)
    at_work = (office & (u < 0.75)) | (~night & ~office & (u >= 0.45) & (u < 0.6) & (work >= 0))
    site = np.where(at_home | (office & (u >= 0.75) & (u < 0.85)), home, site)
    site = np.where(pong, net.neighbour[home], site)
    site = np.where(at_work, work, site)
    seconds = day * 86400 + hour * 3600 + sec
    kind = rng.choice(len(EVENT_TYPES), k, p=[0.3, 0.2, 0.5])
    order = np.lexsort((who, seconds))
    return {
        "who": who[order],
        "seconds": seconds[order],
        "cell": net.camp[site][order],
        "kind": kind[order],
    }
