"""Present population: distinct subscribers per area and time slot.

The "present population" indicator of the UN GWG Handbook on Mobile Phone Data (2019) and of
Eurostat's ESSnet Big Data work package on mobile network data: a subscriber counts once in
every (area, slot) where they had at least one event, so frequent callers do not weigh more.
Counts are of SIMs, not people: publish them with the operator's market share and, before
release, apply :func:`ungp_methods.mobile.suppress_small_counts`.
"""

from __future__ import annotations

import pandas as pd

from .errors import event_times, require_columns


def presence_counts(
    events: pd.DataFrame,
    *,
    freq: str = "1h",
    tz: str | None = None,
    subscriber: str = "subscriber",
    time: str = "timestamp",
    area: str = "area",
) -> pd.DataFrame:
    """Distinct subscribers per area and time slot of length ``freq`` (a pandas frequency).

    Columns: area, slot (slot start, local time), subscribers. Only (area, slot) pairs with
    at least one subscriber appear. Reference: UN GWG Handbook on the Use of Mobile Phone
    Data for Official Statistics (2019), present-population indicators.
    """
    require_columns(events, {"subscriber": subscriber, "time": time, "area": area}, "events")
    slot = event_times(events, time, tz).dt.floor(freq)
    df = pd.DataFrame(
        {
            "area": events[area].to_numpy(),
            "slot": slot.to_numpy(),
            "s": events[subscriber].to_numpy(),
        }
    )
    out = df.groupby(["area", "slot"], sort=True)["s"].nunique().rename("subscribers")
    return out.reset_index()
