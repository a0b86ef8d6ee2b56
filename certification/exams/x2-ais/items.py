"""Items of the AIS exam: a candidate-specific vessel, port and report table per item.

``generate(item_id, rng)`` gets a generator seeded from HMAC(exam secret, exam, candidate,
attempt, item), so positions, ship particulars, draughts and MMSIs differ between
candidates; ``reference`` computes the answer on the server at grading time with the trusted
``ungp_methods.ais`` (great-circle distance, draught-adjusted displacement, MMSI validity).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from ungp_hub.certification import exam_source

PORTS = {  # UN/LOCODE: (lat, lon) of the port's centre, rounded
    "NLRTM": (51.95, 4.14),
    "SGSIN": (1.26, 103.84),
    "ZADUR": (-29.87, 31.03),
    "BRSSZ": (-23.96, -46.30),
    "CNSHA": (31.36, 121.62),
    "KEMBA": (-4.06, 39.65),
}
REPORT_COLUMNS = ("mmsi", "timestamp", "lat", "lon")


def _mmsi(rng: np.random.Generator) -> int:
    """A ship MMSI, or (one time in three) an identity a cleaning rule must reject."""
    kind = int(rng.integers(6))
    if kind == 0:  # too short: 8 digits
        return int(rng.integers(10_000_000, 100_000_000))
    if kind == 1:  # MID outside 201-775: a search-and-rescue aircraft (111) or a test id
        return int(rng.choice([111, 970, 999])) * 1_000_000 + int(rng.integers(1_000_000))
    return int(rng.integers(201, 776)) * 1_000_000 + int(rng.integers(1_000_000))


def generate(item_id: str, rng: np.random.Generator) -> dict[str, Any]:
    """The item's parameters (JSON-serialisable); the same rng state gives the same item."""
    if item_id == "q1":
        port = str(rng.choice(sorted(PORTS)))
        lat, lon = PORTS[port]
        bearing, km = rng.uniform(0, 2 * np.pi), rng.uniform(2.0, 400.0)
        north, east = km / 111.2 * np.cos(bearing), km / 111.2 * np.sin(bearing)
        vessel = (round(lat + north, 5), round(lon + east / np.cos(np.radians(lat)), 5))
        return {"port": port, "port_position": [lat, lon], "vessel": list(vessel)}
    if item_id == "q2":
        length = round(float(rng.uniform(120, 330)), 1)
        design = round(float(rng.uniform(9.0, 16.0)), 1)
        arrival = round(float(design * rng.uniform(0.45, 0.95)), 1)
        departure = round(float(design * rng.uniform(0.45, 0.98)), 1)
        if abs(departure - arrival) < 0.3:
            departure = round(min(design, arrival + 1.2), 1)
        return {
            "length": length,
            "beam": round(length * float(rng.uniform(0.13, 0.17)), 1),
            "block_coefficient": round(float(rng.uniform(0.6, 0.85)), 3),
            "design_draught": design,
            "arrival": arrival,
            "departure": departure,
        }
    if item_id == "q3":
        vessels = [_mmsi(rng) for _ in range(int(rng.integers(8, 15)))]
        rows = []
        for _ in range(int(rng.integers(30, 60))):
            mmsi = vessels[int(rng.integers(len(vessels)))]
            rows.append(
                [
                    mmsi,
                    f"2026-03-{int(rng.integers(1, 29)):02d}T"
                    f"{int(rng.integers(24)):02d}:{int(rng.integers(60)):02d}:00Z",
                    round(float(rng.uniform(-60, 60)), 5),
                    round(float(rng.uniform(-179, 179)), 5),
                ]
            )
        return {"rows": rows}
    raise KeyError(f"no item {item_id!r} in this exam")


def statement(item_id: str, params: dict[str, Any]) -> str:
    """The question as the candidate reads it (Markdown)."""
    if item_id == "q1":
        return (
            "**Question 1 (3 points).** A vessel reports its position `q1_vessel` "
            f"(latitude, longitude: {params['vessel']}). How far is it, in **km along a great "
            f"circle**, from the centre of port {params['port']} at `q1_port_position` "
            f"({params['port_position']})? Use a mean Earth radius of 6371.0088 km. "
            "Store the distance in `q1`."
        )
    if item_id == "q2":
        return (
            "**Question 2 (4 points).** A ship of length `q2_length` m, beam `q2_beam` m and "
            "design block coefficient `q2_block_coefficient` at its design draught "
            "`q2_design_draught` m arrives at a draught of `q2_arrival` m and leaves at "
            "`q2_departure` m. Estimate the **cargo loaded in tonnes** (negative when "
            "unloaded): the displacement at departure minus that at arrival, with "
            "displacement = Cb(d) x L x B x d x 1.025 t/m³ and the draught-adjusted block "
            "coefficient Cb(d) = 1 - (1 - Cb) (d_design / d)^(1/3). Store it in `q2`."
        )
    if item_id == "q3":
        return (
            "**Question 3 (3 points).** `tables['q3']` holds position reports. How many "
            "**distinct vessels** have a **valid ship MMSI**: nine digits whose first three "
            "(the MID, Maritime Identification Digits) lie in 201-775? Store the count in "
            "`q3`."
        )
    raise KeyError(item_id)


def reference(item_id: str, params: dict[str, Any]) -> float:
    """The correct answer, computed with the trusted methods library."""
    from ungp_methods.ais import displacement_tonnes, haversine_km, valid_mmsi

    if item_id == "q1":
        (lat1, lon1), (lat2, lon2) = params["vessel"], params["port_position"]
        return float(haversine_km(lat1, lon1, lat2, lon2))
    if item_id == "q2":
        shape = {k: params[k] for k in ("length", "beam")}
        cb = {
            "block_coefficient": params["block_coefficient"],
            "design_draught": params["design_draught"],
        }
        after = displacement_tonnes(draught=params["departure"], **shape, **cb)
        before = displacement_tonnes(draught=params["arrival"], **shape, **cb)
        return float(after - before)
    if item_id == "q3":
        reports = exam_source.frame(params, REPORT_COLUMNS)
        return float(reports.loc[valid_mmsi(reports["mmsi"]), "mmsi"].nunique())
    raise KeyError(item_id)


def setup_code(params: dict[str, dict[str, Any]]) -> str:
    """The locked first code cell: the candidate's tables and the question parameters."""
    scalars = (
        "port_position",
        "vessel",
        "length",
        "beam",
        "block_coefficient",
        "design_draught",
        "arrival",
        "departure",
    )
    return exam_source.data_cell(params, {"q3": REPORT_COLUMNS}, scalars=scalars)
