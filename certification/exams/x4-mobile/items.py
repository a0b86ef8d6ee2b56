"""Items of the mobile phone data exam: candidate-specific event, grid and tower tables.

``generate(item_id, rng)`` gets a generator seeded from HMAC(exam secret, exam, candidate,
attempt, item), so subscribers, areas, times, populations and towers differ between
candidates; ``reference`` computes the answer on the server at grading time with the
trusted ``ungp_methods.mobile`` (present population, night-time home, ITU coverage).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from ungp_hub.certification import exam_source

EVENT_COLUMNS = ("subscriber", "timestamp", "area")
GRID_COLUMNS = ("cell", "lat", "lon", "population")
AREAS = ("A01", "A02", "A03", "A04", "A05", "A06")
TECHNOLOGIES = ("2G", "3G", "4G", "5G")


def _stamp(day: int, hour: int, minute: int) -> str:
    return f"2026-05-{day:02d} {hour:02d}:{minute:02d}:00"


def _presence_events(rng: np.random.Generator) -> list[list[Any]]:
    rows = []
    for s in range(int(rng.integers(25, 45))):
        for _ in range(int(rng.integers(2, 7))):
            rows.append(
                [
                    f"U{s:03d}",
                    _stamp(4, int(rng.integers(7, 12)), int(rng.integers(60))),
                    str(rng.choice(AREAS[:4])),
                ]
            )
    return sorted(rows, key=lambda r: r[1])


def _night_events(rng: np.random.Generator) -> list[list[Any]]:
    """Each subscriber sleeps in one area on some nights and is seen elsewhere now and then."""
    rows = []
    for s in range(int(rng.integers(20, 35))):
        home = str(rng.choice(AREAS))
        nights = sorted(
            int(d) for d in rng.choice(np.arange(1, 15), int(rng.integers(1, 7)), replace=False)
        )
        for day in nights:
            hour = int(rng.choice([20, 21, 22, 23, 0, 1, 2, 5, 6]))
            date = day + 1 if hour < 7 else day
            rows.append([f"V{s:03d}", _stamp(date, hour, int(rng.integers(60))), home])
        for _ in range(int(rng.integers(0, len(nights)))):  # fewer elsewhere: no ties
            other = str(rng.choice([a for a in AREAS if a != home]))
            hour = int(rng.integers(0, 24))
            rows.append(
                [f"V{s:03d}", _stamp(int(rng.integers(1, 15)), hour, int(rng.integers(60))), other]
            )
    return sorted(rows, key=lambda r: r[1])


def generate(item_id: str, rng: np.random.Generator) -> dict[str, Any]:
    """The item's parameters (JSON-serialisable); the same rng state gives the same item."""
    if item_id == "q1":
        return {
            "rows": _presence_events(rng),
            "area": str(rng.choice(AREAS[:4])),
            "hour": _stamp(4, int(rng.integers(7, 12)), 0),
        }
    if item_id == "q2":
        return {
            "rows": _night_events(rng),
            "area": str(rng.choice(AREAS)),
            "min_nights": int(rng.integers(2, 4)),
        }
    if item_id == "q3":
        lat0, lon0 = float(rng.uniform(-30, 30)), float(rng.uniform(-20, 40))
        grid = []
        for i in range(10):
            for j in range(10):
                grid.append(
                    [
                        f"C{i}{j}",
                        round(lat0 + 0.02 * i, 4),
                        round(lon0 + 0.02 * j, 4),
                        int(rng.lognormal(5, 1.2)),
                    ]
                )
        towers = [
            [
                round(lat0 + float(rng.uniform(0, 0.18)), 4),
                round(lon0 + float(rng.uniform(0, 0.18)), 4),
                str(rng.choice(TECHNOLOGIES)),
                round(float(rng.uniform(2.0, 10.0)), 2),
            ]
            for _ in range(int(rng.integers(4, 9)))
        ]
        return {"rows": grid, "towers": towers, "technology": str(rng.choice(TECHNOLOGIES[1:]))}
    raise KeyError(f"no item {item_id!r} in this exam")


def statement(item_id: str, params: dict[str, Any]) -> str:
    """The question as the candidate reads it (Markdown)."""
    if item_id == "q1":
        return (
            "**Question 1 (3 points).** `tables['q1']` holds network events (`subscriber`, "
            "`timestamp` in local time, `area`). How many **distinct subscribers were present "
            f"in area `{params['area']}` during the hour starting at {params['hour']}** "
            "(`q1_area`, `q1_hour`)? Store the count in `q1`."
        )
    if item_id == "q2":
        return (
            "**Question 2 (4 points).** `tables['q2']` holds network events (local times). "
            "Assign each subscriber a home with the **night-time rule**: among events from "
            "20:00 to 07:00 (an event before 07:00 belongs to the night that began the "
            "evening before), the area with the most night-time events (ties: more distinct "
            "nights, then the first area in alphabetical order), kept only if the subscriber "
            f"was seen there on at least `q2_min_nights` = {params['min_nights']} distinct "
            f"nights. How many subscribers have their home in area `{params['area']}` "
            "(`q2_area`)? Store the count in `q2`."
        )
    if item_id == "q3":
        return (
            "**Question 3 (3 points).** `tables['q3']` is a population grid (cell centres "
            "`lat`, `lon` and `population`) and `q3_towers` lists towers as [lat, lon, "
            "technology, radius in km]. A cell is covered by a technology when its centre lies "
            "within a tower's radius (great-circle distance, Earth radius 6371.0088 km). "
            "Following the ITU definition of SDG 9.c.1, compute the **percentage of the "
            f"population covered by at least {params['technology']}** (`q3_technology`: that "
            "technology or a later one). Store it in `q3`."
        )
    raise KeyError(item_id)


def reference(item_id: str, params: dict[str, Any]) -> float:
    """The correct answer, computed with the trusted methods library."""
    from ungp_methods.mobile import night_time_home, population_coverage, presence_counts

    if item_id == "q1":
        events = exam_source.frame(params, EVENT_COLUMNS)
        counts = presence_counts(events, freq="1h")
        hit = counts[
            (counts["area"] == params["area"]) & (counts["slot"] == pd.Timestamp(params["hour"]))
        ]
        return float(hit["subscribers"].sum())
    if item_id == "q2":
        events = exam_source.frame(params, EVENT_COLUMNS)
        homes = night_time_home(events, min_nights=params["min_nights"]).homes
        return float((homes["home_area"] == params["area"]).sum())
    if item_id == "q3":
        grid = exam_source.frame(params, GRID_COLUMNS)
        towers = pd.DataFrame(params["towers"], columns=["lat", "lon", "technology", "radius_km"])
        table = population_coverage(grid, towers)
        row = table[table["technology"] == params["technology"]]
        return float(row["coverage_pct"].iloc[0])
    raise KeyError(item_id)


def setup_code(params: dict[str, dict[str, Any]]) -> str:
    """The locked first code cell: the candidate's tables and the question parameters."""
    columns = {"q1": EVENT_COLUMNS, "q2": EVENT_COLUMNS, "q3": GRID_COLUMNS}
    return exam_source.data_cell(
        params, columns, scalars=("area", "hour", "min_nights", "towers", "technology")
    )
