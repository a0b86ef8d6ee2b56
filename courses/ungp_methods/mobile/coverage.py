"""Population covered by a mobile network, by technology (ITU indicator, SDG 9.c.1).

ITU's "percentage of the population covered by at least a 2G / 3G / 4G (LTE) / 5G mobile
network" (ITU Handbook for the Collection of Administrative Data on Telecommunications/ICT,
2020, indicators i271G, i271GA, i271A, i271B; SDG indicator 9.c.1) counts inhabitants within
range of a signal of that technology *or a later one*: an LTE site also gives "at least 3G"
coverage. The calculation here is the usual grid overlay: each population grid cell is
covered when its centre lies within a tower's coverage radius (a disc; terrain and
capacity are ignored), and coverage = covered population / total population.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .errors import MobileDataError, require_columns

TECHNOLOGIES = ("2G", "3G", "4G", "5G")
EARTH_RADIUS_KM = 6371.0088


def _within(
    lat: np.ndarray, lon: np.ndarray, towers: pd.DataFrame, chunk: int = 4096
) -> np.ndarray:
    """True where a point lies within the radius of at least one tower (great circle)."""
    covered = np.zeros(len(lat), dtype=bool)
    if towers.empty:
        return covered
    tl = np.radians(towers["lat"].to_numpy(float))[None, :]
    tn = np.radians(towers["lon"].to_numpy(float))[None, :]
    radius = towers["radius_km"].to_numpy(float)[None, :]
    for s in range(0, len(lat), chunk):
        pl = np.radians(lat[s : s + chunk])[:, None]
        pn = np.radians(lon[s : s + chunk])[:, None]
        a = np.sin((tl - pl) / 2) ** 2 + np.cos(pl) * np.cos(tl) * np.sin((tn - pn) / 2) ** 2
        km = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1)))
        covered[s : s + chunk] = (km <= radius).any(axis=1)
    return covered


def population_coverage(
    grid: pd.DataFrame,
    towers: pd.DataFrame,
    *,
    technologies: Sequence[str] = TECHNOLOGIES,
    at_least: bool = True,
    population: str = "population",
) -> pd.DataFrame:
    """Share of the grid population covered by each technology, in %.

    ``grid``: one row per cell with ``lat``, ``lon`` (cell centre) and ``population``.
    ``towers``: ``lat``, ``lon``, ``technology`` (one of ``technologies``) and
    ``radius_km``. With ``at_least=True`` (the ITU definition) "3G" means 3G or later.
    Columns: technology, population_covered, population_total, coverage_pct. Reference:
    ITU Handbook for the Collection of Administrative Data on Telecommunications/ICT (2020);
    SDG indicator 9.c.1 metadata.
    """
    require_columns(grid, {"lat": "lat", "lon": "lon", "population": population}, "grid")
    require_columns(
        towers,
        {"lat": "lat", "lon": "lon", "technology": "technology", "radius_km": "radius_km"},
        "towers",
    )
    order = {tech: i for i, tech in enumerate(technologies)}
    unknown = set(towers["technology"].astype(str)) - set(order)
    if unknown:
        raise MobileDataError(
            f"unknown technology {sorted(unknown)} in towers; expected one of {list(order)} "
            "(pass technologies=... to use other labels)."
        )
    pop = grid[population].to_numpy(float)
    if np.isnan(pop).any() or (pop < 0).any():
        raise MobileDataError("grid population must be non-negative numbers without gaps.")
    total = float(pop.sum())
    rank = towers["technology"].astype(str).map(order)
    lat, lon = grid["lat"].to_numpy(float), grid["lon"].to_numpy(float)
    rows = []
    for tech, level in order.items():
        use = rank >= level if at_least else rank == level
        covered = _within(lat, lon, towers[use.to_numpy()])
        got = float(pop[covered].sum())
        rows.append((tech, got, total, 100.0 * got / total if total else np.nan))
    return pd.DataFrame(
        rows, columns=["technology", "population_covered", "population_total", "coverage_pct"]
    )
