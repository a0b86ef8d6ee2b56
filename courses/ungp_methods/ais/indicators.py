"""Weekly fast indicators: port calls and a trade-volume proxy per port or country.

These are the AIS nowcasting indicators of Cerdeiro et al. (2020), IMF WP/20/57, and of the
IMF/Oxford PortWatch and UN COMTRADE "AIS experimental" series: counts of port calls and
tonnes of cargo loaded (exports) and unloaded (imports), aggregated by ISO 8601 week so that
weeks always start on Monday and the week-on-week change compares like with like. Weeks with
no call inside a group's observed range are filled with zero (no call is a real zero, not a
missing value); the change from a zero week is NaN.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from .errors import AISDataError, require_columns

Level = Literal["port", "country"]


def iso_week(times: pd.Series) -> pd.Series:
    """ISO 8601 week label ``YYYY-Www`` (week-numbering year, Monday start)."""
    cal = pd.to_datetime(times).dt.isocalendar()
    return cal["year"].astype(str) + "-W" + cal["week"].astype(int).map("{:02d}".format)


def _week_start(times: pd.Series) -> pd.Series:
    t = pd.to_datetime(times)
    if t.dt.tz is not None:
        t = t.dt.tz_convert("UTC").dt.tz_localize(None)
    day = t.dt.normalize()
    return day - pd.to_timedelta(day.dt.day_of_week, unit="D")


def _weekly(
    calls: pd.DataFrame, by: Level, time: str, values: dict[str, pd.Series]
) -> pd.DataFrame:
    if by not in ("port", "country"):
        raise AISDataError(f"by must be 'port' or 'country', got {by!r}.")
    require_columns(calls, {"by": by, "time": time}, "port calls")
    frame = pd.DataFrame({by: calls[by].astype("string"), "week_start": _week_start(calls[time])})
    for name, series in values.items():
        frame[name] = series.to_numpy()
    sums = frame.groupby([by, "week_start"], sort=True).sum(min_count=0)
    pieces = []
    for key, group in sums.groupby(level=0, sort=True):
        weeks = group.index.get_level_values(1)
        full = pd.date_range(weeks.min(), weeks.max(), freq="7D")
        filled = group.droplevel(0).reindex(full, fill_value=0)
        filled.index.name = "week_start"
        filled = filled.reset_index()
        filled.insert(0, by, key)
        pieces.append(filled)
    if not pieces:
        return pd.DataFrame(columns=[by, "week", "week_start", *values])
    out = pd.concat(pieces, ignore_index=True)
    out.insert(1, "week", iso_week(out["week_start"]))
    return out


def _change(out: pd.DataFrame, by: str, column: str) -> pd.Series:
    previous = out.groupby(by)[column].shift()
    with np.errstate(divide="ignore", invalid="ignore"):
        change = 100.0 * (out[column] - previous) / previous
    return change.where(previous != 0)


def weekly_port_calls(
    calls: pd.DataFrame, *, by: Level = "port", time: str = "arrival"
) -> pd.DataFrame:
    """Port calls per port (or country) and ISO week, with the week-on-week change in %.

    Each call counts in the week of its ``time`` (arrival by default). Columns: ``by``,
    ``week``, ``week_start``, ``port_calls``, ``change_pct``. Reference: Cerdeiro et al.
    (2020), IMF WP/20/57, Section V (port-call indicators).
    """
    out = _weekly(calls, by, time, {"port_calls": pd.Series(np.ones(len(calls), dtype=int))})
    out["port_calls"] = out["port_calls"].astype(int)
    out["change_pct"] = _change(out, by, "port_calls")
    return out


def weekly_trade_volume(
    calls: pd.DataFrame, *, by: Level = "port", time: str = "arrival"
) -> pd.DataFrame:
    """Tonnes loaded and unloaded per port (or country) and ISO week, with the change in %.

    ``calls`` must carry ``payload_tonnes`` (:func:`call_payloads`). A positive payload is
    counted as loaded, a negative one as unloaded (reported as a positive tonnage);
    ``total_tonnes`` is loaded + unloaded (the volume handled) and ``change_pct`` its
    week-on-week change. Calls without a payload estimate (missing draught) are counted in
    ``calls_without_payload`` so coverage can be judged. Reference: Cerdeiro et al. (2020),
    IMF WP/20/57, Section V (trade volumes).
    """
    require_columns(calls, {"payload": "payload_tonnes"}, "port calls")
    payload = calls["payload_tonnes"].astype(float)
    values = {
        "loaded_tonnes": payload.clip(lower=0).fillna(0.0),
        "unloaded_tonnes": (-payload).clip(lower=0).fillna(0.0),
        "calls_without_payload": payload.isna().astype(int),
    }
    out = _weekly(calls, by, time, values)
    out["calls_without_payload"] = out["calls_without_payload"].astype(int)
    out["total_tonnes"] = out["loaded_tonnes"] + out["unloaded_tonnes"]
    out["change_pct"] = _change(out, by, "total_tonnes")
    return out
