"""Home location of each subscriber: the night-time rule and the majority (distinct days) rule.

Home detection turns event records (CDR or signalling data: subscriber, time, cell or area)
into a usual-residence area per subscriber, the basis of population, commuting and tourism
statistics from mobile phone data. The two rules here are the ones compared by Vanhoof,
Reis, Ploetz and Smoreda (2018), "Assessing the quality of home detection from mobile phone
data for official statistics", Journal of Official Statistics 34(4), and described in the UN
GWG Handbook on the Use of Mobile Phone Data for Official Statistics (2019), methods chapter:

* **night-time rule**: home is the area with the most events between ``night_start`` and
  ``night_end`` local time; a night runs across midnight and is dated by the evening it
  starts. The subscriber must have been seen in that area on at least ``min_nights``
  distinct nights, so a single night in a hotel does not make a home.
* **majority rule**: home is the area where the subscriber was seen on the most distinct
  days, with at least ``min_days`` such days.

Ties are broken by the other measure (nights or events), then by the smallest area label,
so results never depend on row order. Subscribers without enough evidence are not guessed:
they are listed in ``unassigned`` with the reason, to be reported with the statistics.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .errors import MobileDataError, event_times, require_columns


@dataclass
class HomeLocations:
    """``homes``: one row per assigned subscriber; ``unassigned``: subscriber and reason."""

    homes: pd.DataFrame
    unassigned: pd.DataFrame

    @property
    def assignment_rate(self) -> float:
        """Share of subscribers with a home (0-1): a quality indicator to publish."""
        total = len(self.homes) + len(self.unassigned)
        return len(self.homes) / total if total else float("nan")


def _pick(stats: pd.DataFrame, subscriber: str, order: list[str]) -> pd.DataFrame:
    ranked = stats.sort_values(
        [subscriber, *order, "area"], ascending=[True] + [False] * len(order) + [True]
    )
    return ranked.drop_duplicates(subscriber, keep="first")


def _split(
    best: pd.DataFrame,
    everyone: pd.Index,
    subscriber: str,
    enough: pd.Series,
    reason_short: str,
    reason_none: str,
) -> HomeLocations:
    homes = best[enough].rename(columns={"area": "home_area"}).reset_index(drop=True)
    short = best.loc[~enough, subscriber]
    silent = everyone.difference(pd.Index(best[subscriber]))
    unassigned = pd.concat(
        [
            pd.DataFrame({subscriber: short.to_numpy(), "reason": reason_short}),
            pd.DataFrame({subscriber: silent.to_numpy(), "reason": reason_none}),
        ],
        ignore_index=True,
    )
    return HomeLocations(
        homes=homes, unassigned=unassigned.sort_values(subscriber, ignore_index=True)
    )


def night_time_home(
    events: pd.DataFrame,
    *,
    night_start: int = 20,
    night_end: int = 7,
    min_nights: int = 3,
    tz: str | None = None,
    subscriber: str = "subscriber",
    time: str = "timestamp",
    area: str = "area",
) -> HomeLocations:
    """Night-time rule: most frequent area among events from ``night_start`` to ``night_end``.

    Hours are local (``tz`` converts UTC times; naive times are taken as local). Night
    events at 02:00 on Tuesday belong to Monday's night. ``homes`` columns: subscriber,
    home_area, events (night events there), nights (distinct nights there). Reference:
    Vanhoof et al. (2018), JOS 34(4); UN GWG Handbook on Mobile Phone Data (2019).
    """
    require_columns(events, {"subscriber": subscriber, "time": time, "area": area}, "events")
    if not (0 <= night_end < night_start <= 24):
        raise MobileDataError(
            f"need 0 <= night_end < night_start <= 24 (a night crossing midnight), got "
            f"night_start={night_start}, night_end={night_end}."
        )
    if min_nights < 1:
        raise MobileDataError(f"min_nights must be at least 1, got {min_nights}.")
    t = event_times(events, time, tz)
    hour = t.dt.hour
    night = (hour >= night_start) | (hour < night_end)
    night_of = (t - pd.Timedelta(hours=night_end)).dt.date
    df = pd.DataFrame(
        {
            subscriber: events[subscriber].to_numpy(),
            "area": events[area].to_numpy(),
            "night": night_of,
        }
    )[night.to_numpy()]
    stats = (
        df.groupby([subscriber, "area"], sort=False)
        .agg(events=("night", "size"), nights=("night", "nunique"))
        .reset_index()
    )
    best = _pick(stats, subscriber, ["events", "nights"])
    return _split(
        best,
        pd.Index(events[subscriber].unique()),
        subscriber,
        best["nights"] >= min_nights,
        f"fewer than {min_nights} nights in the most frequent night-time area",
        "no night-time events",
    )


def majority_home(
    events: pd.DataFrame,
    *,
    min_days: int = 5,
    tz: str | None = None,
    subscriber: str = "subscriber",
    time: str = "timestamp",
    area: str = "area",
) -> HomeLocations:
    """Majority rule: the area with the most distinct days of activity, at least ``min_days``.

    ``homes`` columns: subscriber, home_area, days (distinct days there), events, share_days
    (days there / days the subscriber was seen anywhere). Reference: Vanhoof et al. (2018),
    JOS 34(4) ("maximum number of distinct days" criterion); UN GWG Handbook (2019).
    """
    require_columns(events, {"subscriber": subscriber, "time": time, "area": area}, "events")
    if min_days < 1:
        raise MobileDataError(f"min_days must be at least 1, got {min_days}.")
    t = event_times(events, time, tz)
    df = pd.DataFrame(
        {
            subscriber: events[subscriber].to_numpy(),
            "area": events[area].to_numpy(),
            "day": t.dt.date,
        }
    )
    stats = (
        df.groupby([subscriber, "area"], sort=False)
        .agg(days=("day", "nunique"), events=("day", "size"))
        .reset_index()
    )
    best = _pick(stats, subscriber, ["days", "events"])
    seen = df.groupby(subscriber)["day"].nunique()
    best = best.assign(share_days=best["days"].to_numpy() / seen.loc[best[subscriber]].to_numpy())
    return _split(
        best,
        pd.Index(events[subscriber].unique()),
        subscriber,
        best["days"] >= min_days,
        f"fewer than {min_days} distinct days in the most frequent area",
        "no events",
    )
