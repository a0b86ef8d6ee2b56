"""Origin-destination matrices per day, from home areas or from consecutive stays.

Two definitions used in mobile phone data statistics (UN GWG Handbook on Mobile Phone Data,
2019, mobility chapter; Eurostat/ESSnet Big Data, WPI):

* **home to visited area** (:func:`od_home_to_visited`): for each day, the number of distinct
  subscribers living in area *o* (their home, from :mod:`.home`) who were seen in area *d*.
  It answers "where do residents of *o* go?" (commuting, catchment areas).
* **consecutive stays** (:func:`od_trips`): events are collapsed into stays (consecutive
  events in the same area); stays shorter than ``min_stay`` are treated as pass-through and
  dropped; each move between two consecutive stays of a subscriber on the same day is one
  trip from the first area to the second.

Results are long tables (date, origin, destination, count); :func:`od_matrix` pivots one
into the square matrix form.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import MobileDataError, event_times, require_columns


def od_home_to_visited(
    events: pd.DataFrame,
    homes: pd.DataFrame,
    *,
    include_home: bool = False,
    tz: str | None = None,
    subscriber: str = "subscriber",
    time: str = "timestamp",
    area: str = "area",
) -> pd.DataFrame:
    """Distinct subscribers per day, home area (origin) and visited area (destination).

    ``homes`` has ``subscriber`` and ``home_area`` (``HomeLocations.homes``); subscribers
    without a home are left out. ``include_home=True`` keeps origin == destination (people
    seen at home that day). Reference: UN GWG Handbook on Mobile Phone Data (2019).
    """
    require_columns(events, {"subscriber": subscriber, "time": time, "area": area}, "events")
    require_columns(homes, {"subscriber": subscriber, "home_area": "home_area"}, "homes")
    df = pd.DataFrame(
        {
            "s": events[subscriber].to_numpy(),
            "date": event_times(events, time, tz).dt.date.to_numpy(),
            "destination": events[area].to_numpy(),
        }
    )
    home = homes.set_index(subscriber)["home_area"]
    df["origin"] = df["s"].map(home)
    df = df.dropna(subset=["origin"])
    if not include_home:
        df = df[df["origin"] != df["destination"]]
    out = df.groupby(["date", "origin", "destination"], sort=True)["s"].nunique()
    return out.rename("subscribers").reset_index()


def stays(
    events: pd.DataFrame,
    *,
    tz: str | None = None,
    subscriber: str = "subscriber",
    time: str = "timestamp",
    area: str = "area",
) -> pd.DataFrame:
    """Collapse each subscriber's time-ordered events into stays: runs in the same area.

    Columns: subscriber, area, start, end (first and last event), events. A stay's length
    is end - start, so a single event is a stay of zero length.
    """
    require_columns(events, {"subscriber": subscriber, "time": time, "area": area}, "events")
    df = pd.DataFrame(
        {
            "s": events[subscriber].to_numpy(),
            "t": event_times(events, time, tz).to_numpy(),
            "area": events[area].to_numpy(),
        }
    ).sort_values(["s", "t"], kind="stable")
    who = pd.factorize(df["s"])[0]
    where = pd.factorize(df["area"])[0]
    new = np.r_[True, (who[1:] != who[:-1]) | (where[1:] != where[:-1])][: len(df)]
    df["run"] = np.cumsum(new)
    out = df.groupby("run", sort=True).agg(
        s=("s", "first"),
        area=("area", "first"),
        start=("t", "min"),
        end=("t", "max"),
        events=("t", "size"),
    )
    return out.rename(columns={"s": subscriber}).reset_index(drop=True)


def od_trips(
    events: pd.DataFrame,
    *,
    min_stay: str | pd.Timedelta = "0min",
    tz: str | None = None,
    subscriber: str = "subscriber",
    time: str = "timestamp",
    area: str = "area",
) -> pd.DataFrame:
    """Trips per day between consecutive stays of the same subscriber.

    Stays shorter than ``min_stay`` are dropped as pass-through, and the remaining stays in
    the same area are joined again. A trip is dated by the day its origin stay ends; moves
    across midnight are kept only if both stays fall on the same day. Columns: date,
    origin, destination, trips. Reference: UN GWG Handbook on Mobile Phone Data (2019).
    """
    threshold = pd.Timedelta(min_stay)
    if threshold < pd.Timedelta(0):
        raise MobileDataError(f"min_stay must be zero or positive, got {min_stay!r}.")
    st = stays(events, tz=tz, subscriber=subscriber, time=time, area=area)
    st = st[(st["end"] - st["start"]) >= threshold]
    if threshold > pd.Timedelta(0) and len(st):
        st = st.rename(columns={"start": time}).rename(columns={"area": area})
        merged = stays(
            pd.concat(
                [
                    st[[subscriber, time, area]],
                    st[[subscriber, "end", area]].rename(columns={"end": time}),
                ]
            ),
            subscriber=subscriber,
            time=time,
            area=area,
        )
        st = merged
    st = st.sort_values([subscriber, "start"]).reset_index(drop=True)
    nxt = st.shift(-1)
    same = (nxt[subscriber] == st[subscriber]) & (nxt["start"].dt.date == st["end"].dt.date)
    trips = pd.DataFrame(
        {"date": st["end"].dt.date, "origin": st["area"], "destination": nxt["area"]}
    )[same.fillna(False).astype(bool)]
    out = trips.groupby(["date", "origin", "destination"], sort=True).size()
    return out.rename("trips").reset_index()


def od_matrix(od: pd.DataFrame, *, value: str | None = None) -> pd.DataFrame:
    """Pivot a long OD table into origin x destination, summed over dates, zeros filled.

    ``value`` defaults to the table's count column (``trips`` or ``subscribers``). Every
    area seen as origin or destination gets a row and a column.
    """
    if value is None:
        value = "trips" if "trips" in od.columns else "subscribers"
    require_columns(od, {"origin": "origin", "destination": "destination", "value": value}, "OD")
    areas = sorted(set(od["origin"]) | set(od["destination"]))
    wide = od.pivot_table(index="origin", columns="destination", values=value, aggfunc="sum")
    return wide.reindex(index=areas, columns=areas).fillna(0).astype(od[value].dtype)
