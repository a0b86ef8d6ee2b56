"""Port calls from AIS position reports: arrival, departure, time in port, draughts.

Method (Cerdeiro, Komaromi, Liu and Saeed 2020, IMF WP/20/57, Section III "port calls";
UN GWG AIS Handbook, port-call chapter), in three steps for each vessel:

1. **Stays.** A report is *in port* when it lies inside a port area (polygon or circle plus
   buffer, :func:`assign_ports`). Consecutive in-port reports at the same port form a stay;
   the first report is the arrival, the last one the departure.
2. **Excursions merged.** A call ends only after the vessel has been outside the port for at
   least ``min_outside`` (1 day): stays at the same port separated by a shorter gap (a move to
   an anchorage outside the area, a bunkering trip, a gap in reception) are one call.
3. **Routes merged.** A route that leaves a port and comes back to it within
   ``merge_within`` (24 h), even through another port area, is one call at the first port:
   such short hops are shifts inside one port complex (terminals or anchorages with their
   own LOCODE) rather than a voyage carrying trade. The intermediate visits are dropped.
   ``merge_within=None`` turns this step off.

Draught on arrival is the first reported draught during the call, on departure the last;
attach static data first (:func:`ungp_methods.ais.attach_static`) so every report carries the
draught broadcast most recently before it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .errors import AISDataError, require_columns
from .ports import assign_ports, port_country

CALL_COLUMNS = [
    "mmsi",
    "port",
    "country",
    "arrival",
    "departure",
    "hours_in_port",
    "draught_arrival",
    "draught_departure",
    "n_reports",
]


def port_stays(
    positions: pd.DataFrame,
    ports: pd.DataFrame,
    *,
    buffer_km: float = 0.0,
    draught: str | None = "draught",
) -> pd.DataFrame:
    """Runs of consecutive in-port reports of one vessel at one port (step 1 above).

    A report at sea or in another port ends the run. Returns one row per stay with the
    columns of :data:`CALL_COLUMNS` (before any merging).
    """
    require_columns(positions, {"mmsi": "mmsi", "timestamp": "timestamp"}, "AIS")
    df = positions.sort_values(["mmsi", "timestamp"], kind="stable").reset_index(drop=True)
    df["timestamp"] = pd.to_datetime(df["timestamp"], utc=True)
    if df["timestamp"].isna().any():
        raise AISDataError("some reports have no timestamp; run clean_positions() first.")
    df["port"] = assign_ports(df["lat"], df["lon"], ports, buffer_km=buffer_km).to_numpy()
    has_draught = draught is not None and draught in df.columns
    df["_draught"] = df[draught].astype(float) if has_draught else np.nan
    key = pd.factorize(df["port"].fillna("").astype(str))[0]
    vessel = pd.factorize(df["mmsi"])[0]
    new_run = np.r_[True, (key[1:] != key[:-1]) | (vessel[1:] != vessel[:-1])]
    df["_run"] = np.cumsum(new_run[: len(df)])
    stays = df[df["port"].notna()].groupby("_run", sort=True)
    out = stays.agg(
        mmsi=("mmsi", "first"),
        port=("port", "first"),
        arrival=("timestamp", "min"),
        departure=("timestamp", "max"),
        draught_arrival=("_draught", "first"),
        draught_departure=("_draught", "last"),
        n_reports=("timestamp", "size"),
    ).reset_index(drop=True)
    return _finish(out)


def _finish(calls: pd.DataFrame) -> pd.DataFrame:
    calls = calls.copy()
    calls["arrival"] = pd.to_datetime(calls["arrival"], utc=True)
    calls["departure"] = pd.to_datetime(calls["departure"], utc=True)
    calls["port"] = calls["port"].astype("string")
    calls["country"] = port_country(calls["port"])
    hours = (calls["departure"] - calls["arrival"]).dt.total_seconds() / 3600.0
    calls["hours_in_port"] = hours.astype(float)
    return calls[CALL_COLUMNS].reset_index(drop=True)


def _merge(rows: list[dict[str, Any]], i: int, j: int) -> None:
    """Fold rows i+1..j into row i (same port as i), in place."""
    first, last = rows[i], rows[j]
    first["departure"] = last["departure"]
    dep = [r["draught_departure"] for r in rows[i : j + 1] if pd.notna(r["draught_departure"])]
    if dep:
        first["draught_departure"] = dep[-1]
    if pd.isna(first["draught_arrival"]):
        arr = [r["draught_arrival"] for r in rows[i : j + 1] if pd.notna(r["draught_arrival"])]
        first["draught_arrival"] = arr[0] if arr else np.nan
    first["n_reports"] = sum(r["n_reports"] for r in rows[i : j + 1])
    del rows[i + 1 : j + 1]


def merge_stays(
    stays: pd.DataFrame,
    *,
    min_outside: str | pd.Timedelta = "1D",
    merge_within: str | pd.Timedelta | None = "24h",
) -> pd.DataFrame:
    """Merge stays into port calls: excursions shorter than ``min_outside`` (step 2) and
    routes returning to the same port within ``merge_within`` (step 3)."""
    gap = pd.Timedelta(min_outside)
    route = None if merge_within is None else pd.Timedelta(merge_within)
    if gap < pd.Timedelta(0) or (route is not None and route < pd.Timedelta(0)):
        raise AISDataError("min_outside and merge_within must be durations of zero or more.")
    calls: list[dict[str, Any]] = []
    for _, vessel in stays.sort_values(["mmsi", "arrival"]).groupby("mmsi", sort=True):
        rows = vessel.to_dict("records")
        i = 0
        while i < len(rows) - 1:
            nxt = rows[i + 1]
            if nxt["port"] == rows[i]["port"] and nxt["arrival"] - rows[i]["departure"] < gap:
                _merge(rows, i, i + 1)
                continue
            back = None
            if route is not None:
                for j in range(i + 2, len(rows)):
                    if rows[j]["arrival"] - rows[i]["departure"] >= route:
                        break
                    if rows[j]["port"] == rows[i]["port"]:
                        back = j
                        break
            if back is not None:
                _merge(rows, i, back)
                continue
            i += 1
        calls.extend(rows)
    if not calls:
        return pd.DataFrame(columns=CALL_COLUMNS)
    return _finish(pd.DataFrame(calls))


def detect_port_calls(
    positions: pd.DataFrame,
    ports: pd.DataFrame,
    *,
    buffer_km: float = 0.0,
    min_outside: str | pd.Timedelta = "1D",
    merge_within: str | pd.Timedelta | None = "24h",
    min_hours: float = 0.0,
    draught: str | None = "draught",
) -> pd.DataFrame:
    """One row per port call: mmsi, port (UN/LOCODE), country, arrival, departure,
    hours_in_port, draught_arrival, draught_departure, n_reports.

    ``positions`` needs ``mmsi``, ``timestamp``, ``lat``, ``lon`` and, for draughts, a
    ``draught`` column (see the module docstring); ``ports`` is described in
    :func:`assign_ports`. Calls shorter than ``min_hours`` (a ship crossing the port area
    without stopping) are dropped after merging. Reference: Cerdeiro et al. (2020), IMF
    WP/20/57, Section III; UN GWG AIS Handbook, port-call detection.
    """
    stays = port_stays(positions, ports, buffer_km=buffer_km, draught=draught)
    calls = merge_stays(stays, min_outside=min_outside, merge_within=merge_within)
    calls = calls[calls["hours_in_port"] >= min_hours]
    return calls.sort_values(["mmsi", "arrival"]).reset_index(drop=True)
