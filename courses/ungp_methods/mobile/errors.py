"""The error a trainee sees when a mobile phone data table cannot be used as given."""

from __future__ import annotations

import pandas as pd


class MobileDataError(ValueError):
    """A table or parameter cannot be used; the message says what is wrong and the fix."""


def require_columns(df: pd.DataFrame, columns: dict[str, str], what: str) -> None:
    """Raise :class:`MobileDataError` naming every role whose column is missing from ``df``."""
    missing = [f"{role}={name!r}" for role, name in columns.items() if name not in df.columns]
    if missing:
        raise MobileDataError(
            f"the {what} table has no column(s) {', '.join(missing)} (it has "
            f"{list(df.columns)}); rename the columns or pass the right names as keywords."
        )


def event_times(events: pd.DataFrame, time: str, tz: str | None) -> pd.Series:
    """Event times as local wall-clock times: converted to ``tz`` when given.

    Naive times are taken as already local. Day and night rules must use local time, or a
    "night" in UTC+3 would start at 23:00.
    """
    t = pd.to_datetime(events[time])
    if t.isna().any():
        raise MobileDataError(f"{int(t.isna().sum())} events have no {time!r}; drop them first.")
    if tz is not None:
        t = t.dt.tz_localize("UTC") if t.dt.tz is None else t
        t = t.dt.tz_convert(tz)
    return t
