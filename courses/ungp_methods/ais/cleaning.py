"""Remove AIS position reports that cannot be true, and say how many each rule removed.

The rules are the standard ones of the UN GWG AIS Handbook (data quality chapter) and of
Cerdeiro, Komaromi, Liu and Saeed (2020), "World Seaborne Trade in Real Time", IMF WP/20/57:

1. ``invalid_mmsi``: a ship station MMSI has 9 digits and starts with a Maritime
   Identification Digit (MID) allocated by the ITU to a country, 201-775 (ITU-R M.585).
   Base stations (00…), group calls (0…), SAR aircraft (111…), AIS-SART (970…) and
   test/default numbers fall outside and are not ships.
2. ``impossible_position``: latitude outside [-90, 90], longitude outside [-180, 180]; this
   includes the "not available" codes 91 and 181 of ITU-R M.1371.
3. ``missing_timestamp``: a report without a receive time cannot be ordered.
4. ``duplicate``: the same MMSI at the same time, received twice (by two stations or twice
   in a feed); the first is kept.
5. ``gps_jump``: the speed implied by the distance and time from the vessel's last accepted
   report exceeds ``max_speed_knots`` (50 kn by default: faster than any merchant ship).
   Each report is compared with the last *accepted* one, so one outlier removes one report,
   not also the good report that follows it. The first report of each vessel is trusted.

Rules run in this order, so each row is counted under the first rule it breaks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import AISDataError, require_columns
from .geo import KM_PER_NAUTICAL_MILE, haversine_km

MID_RANGE = (201, 775)
RULES = ("invalid_mmsi", "impossible_position", "missing_timestamp", "duplicate", "gps_jump")


@dataclass
class CleanedAIS:
    """The kept position reports and a table ``rule -> rows_removed`` in rule order."""

    positions: pd.DataFrame
    report: pd.DataFrame


def valid_mmsi(mmsi: pd.Series) -> pd.Series:
    """True where ``mmsi`` is a 9-digit ship-station MMSI whose MID lies in 201-775.

    Reference: ITU-R M.585 (maritime identities); MIDs 201-775 are the country allocations.
    Non-numeric and missing values are invalid.
    """
    values = pd.to_numeric(mmsi, errors="coerce")
    nine_digits = (values >= 100_000_000) & (values <= 999_999_999) & (values % 1 == 0)
    mid = values // 1_000_000
    ok = nine_digits & (mid >= MID_RANGE[0]) & (mid <= MID_RANGE[1])
    return ok.fillna(False).astype(bool)


def hours_since_epoch(times: pd.Series | np.ndarray) -> np.ndarray:
    """Times as float hours since 1970 (UTC), whatever the datetime resolution."""
    t = pd.to_datetime(pd.Series(times), utc=True)
    return (t - pd.Timestamp(0, tz="UTC")).dt.total_seconds().to_numpy() / 3600.0


def implied_speed_knots(
    lat: np.ndarray, lon: np.ndarray, times: pd.Series | np.ndarray
) -> np.ndarray:
    """Speed over ground implied by consecutive positions, knots; NaN for the first row."""
    lat, lon = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
    if len(lat) == 0:
        return np.zeros(0)
    hours = np.diff(hours_since_epoch(times))
    km = haversine_km(lat[:-1], lon[:-1], lat[1:], lon[1:])
    with np.errstate(divide="ignore", invalid="ignore"):
        speed = km / KM_PER_NAUTICAL_MILE / hours
    return np.concatenate([[np.nan], speed])


def _jump_mask(lat: np.ndarray, lon: np.ndarray, hours: np.ndarray, max_knots: float) -> np.ndarray:
    """Reject reports unreachable from the last accepted one (one vessel, time-sorted)."""
    keep = np.ones(len(lat), dtype=bool)
    last = 0
    for i in range(1, len(lat)):
        km = float(haversine_km(lat[last], lon[last], lat[i], lon[i]))
        dt = hours[i] - hours[last]
        if dt <= 0 or km / KM_PER_NAUTICAL_MILE / dt > max_knots:
            keep[i] = False
        else:
            last = i
    return keep


def clean_positions(
    positions: pd.DataFrame,
    *,
    max_speed_knots: float = 50.0,
    mmsi: str = "mmsi",
    timestamp: str = "timestamp",
    lat: str = "lat",
    lon: str = "lon",
) -> CleanedAIS:
    """Apply the five cleaning rules above and report the rows each one removed.

    Returns the kept rows sorted by vessel and time (original columns unchanged) and the
    report. Reference: UN GWG AIS Handbook (data cleaning); Cerdeiro et al. (2020), IMF
    WP/20/57, Section II (filters on identifiers, positions and implied speeds).
    """
    require_columns(
        positions, {"mmsi": mmsi, "timestamp": timestamp, "lat": lat, "lon": lon}, "AIS"
    )
    if not max_speed_knots > 0:
        raise AISDataError(f"max_speed_knots must be positive, got {max_speed_knots!r}.")
    df = positions.copy()
    df[timestamp] = pd.to_datetime(df[timestamp], utc=True)
    removed: dict[str, int] = {}

    def drop(rule: str, bad: pd.Series) -> None:
        nonlocal df
        bad = bad.fillna(True).astype(bool)
        removed[rule] = int(bad.sum())
        df = df.loc[~bad]

    drop("invalid_mmsi", ~valid_mmsi(df[mmsi]))
    la = pd.to_numeric(df[lat], errors="coerce")
    lo = pd.to_numeric(df[lon], errors="coerce")
    drop("impossible_position", ~((la.abs() <= 90) & (lo.abs() <= 180)))
    drop("missing_timestamp", df[timestamp].isna())
    drop("duplicate", df.duplicated(subset=[mmsi, timestamp], keep="first"))

    df = df.sort_values([mmsi, timestamp], kind="stable")
    la = df[lat].to_numpy(float)
    lo = df[lon].to_numpy(float)
    speed = implied_speed_knots(la, lo, df[timestamp])
    vessel = pd.factorize(df[mmsi])[0]
    first = np.r_[True, vessel[1:] != vessel[:-1]] if len(df) else np.zeros(0, dtype=bool)
    suspicious = (speed > max_speed_knots) & ~first
    keep = np.ones(len(df), dtype=bool)
    if suspicious.any():
        hours = hours_since_epoch(df[timestamp])
        starts = np.flatnonzero(first)
        ends = np.append(starts[1:], len(df))
        for s, e in zip(starts, ends, strict=True):
            if suspicious[s:e].any():
                keep[s:e] = _jump_mask(la[s:e], lo[s:e], hours[s:e], max_speed_knots)
    drop("gps_jump", pd.Series(~keep, index=df.index))

    report = pd.DataFrame({"rule": list(RULES), "rows_removed": [removed[r] for r in RULES]})
    return CleanedAIS(positions=df.reset_index(drop=True), report=report)
