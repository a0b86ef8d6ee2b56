"""Distinct units per group and ISO week, with the number of days the data covers."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd


class IndicatorError(ValueError):
    """The input cannot make the indicator (a missing column, no time zone...)."""


def _iso_label(days: pd.Series) -> pd.Series:
    cal = days.dt.isocalendar()
    return cal["year"].astype(str) + "-W" + cal["week"].astype(int).map("{:02d}".format)


def weekly_distinct(
    events: pd.DataFrame,
    *,
    by: str | Sequence[str],
    unit: str = "subscriber",
    time: str = "timestamp",
    tz: str | None = None,
) -> pd.DataFrame:
    """Distinct ``unit`` values per group ``by`` and ISO week, zeros included.

    Weeks are ISO 8601 weeks (Monday 00:00 to Sunday 24:00) of the local time: ``time``
    must carry a time zone, or pass ``tz`` to read naive times as that zone's local time.
    A unit seen on several days of a week counts once in that week (distinct counts do not
    add up over days). Columns: the ``by`` columns, ``week`` (``YYYY-Www``), ``week_start``
    (the Monday, a date), ``count``, ``days`` (days of that week present anywhere in
    ``events``: 7 for a fully covered week) and ``complete`` (``days == 7``). Every group
    seen in the data gets a row for every covered week, with count 0 where it had no unit.
    Reference: ISO 8601-1:2019, section 5.2.4.3 (week dates); UN GWG Handbook on the Use of
    Mobile Phone Data for Official Statistics (2019), indicator definitions.
    """
    keys = [by] if isinstance(by, str) else list(by)
    missing = [c for c in [*keys, unit, time] if c not in events.columns]
    if missing:
        raise IndicatorError(
            f"events lack the column(s) {missing}; they have {list(events.columns)}."
        )
    t = pd.to_datetime(events[time])
    if t.dt.tz is None:
        if tz is None:
            raise IndicatorError(
                f"column {time!r} has no time zone: weeks must follow local days. Pass "
                "tz='Area/City' (the zone the times are in) or localise the column."
            )
        t = t.dt.tz_localize(tz)
    elif tz is not None:
        t = t.dt.tz_convert(tz)
    day = t.dt.tz_localize(None).dt.normalize()
    frame = events[keys].copy()
    frame["week_start"] = day - pd.to_timedelta(day.dt.day_of_week, unit="D")
    frame["_day"] = day
    frame["_unit"] = events[unit].to_numpy()
    days = frame.groupby("week_start")["_day"].nunique().rename("days")
    counts = frame.groupby([*keys, "week_start"], sort=True)["_unit"].nunique().rename("count")
    groups = frame[keys].drop_duplicates().sort_values(keys)
    grid = groups.merge(days.reset_index()[["week_start"]], how="cross")
    out = grid.merge(counts.reset_index(), on=[*keys, "week_start"], how="left")
    out["count"] = out["count"].fillna(0).astype("int64")
    out = out.merge(days.reset_index(), on="week_start", how="left")
    out = out.sort_values([*keys, "week_start"], ignore_index=True)
    out.insert(len(keys), "week", _iso_label(out["week_start"]))
    out["complete"] = out["days"] == 7
    out["week_start"] = out["week_start"].dt.date
    return out[[*keys, "week", "week_start", "count", "days", "complete"]]
