"""Inbound tourism: foreign (roaming) subscribers per area and day, by home country.

A SIM's home country is the Mobile Country Code (MCC), the first three digits of its IMSI
(ITU-T E.212); inbound roamers on a domestic network carry a foreign MCC. Following Eurostat
(2014), "Feasibility Study on the Use of Mobile Positioning Data for Tourism Statistics",
and the UN GWG Handbook on Mobile Phone Data (2019), tourism chapter:

* a roaming subscriber counts as a **tourist** (an overnight visitor, UN IRTS 2008) only if
  seen in the country on at least ``min_days_in_country`` distinct days (2 by default:
  same-day visitors and transit through the country are left out);
* they count in an area on a day when their events there that day span at least
  ``min_stay_in_area`` (first to last event), to drop passing-through.

The result counts distinct subscribers per (date, area, MCC).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from .errors import MobileDataError, event_times, require_columns


def mcc_from_imsi(imsi: pd.Series) -> pd.Series:
    """Mobile Country Code: the first three digits of an IMSI (ITU-T E.212)."""
    text = imsi.astype("string").str.strip()
    bad = ~text.str.fullmatch(r"\d{6,15}").fillna(False)
    if bad.any():
        raise MobileDataError(
            f"{int(bad.sum())} IMSIs are not 6-15 digits (e.g. {text[bad].iloc[0]!r}); "
            "clean them or pass an mcc column instead."
        )
    return text.str[:3]


def inbound_tourism(
    events: pd.DataFrame,
    *,
    home_mcc: str | list[str],
    min_days_in_country: int = 2,
    min_stay_in_area: str | pd.Timedelta = "0min",
    countries: Mapping[str, str] | None = None,
    tz: str | None = None,
    subscriber: str = "subscriber",
    time: str = "timestamp",
    area: str = "area",
    mcc: str = "mcc",
) -> pd.DataFrame:
    """Distinct inbound roaming subscribers per date, area and MCC (home country).

    ``home_mcc`` is the reporting country's MCC (several for countries that have more than
    one, e.g. India or the United States). ``countries`` optionally maps MCC to a country
    name or ISO code, added as a ``country`` column. Reference: Eurostat (2014) feasibility
    study on mobile positioning data for tourism statistics; UN GWG Handbook (2019).
    """
    require_columns(
        events, {"subscriber": subscriber, "time": time, "area": area, "mcc": mcc}, "events"
    )
    if min_days_in_country < 1:
        raise MobileDataError(f"min_days_in_country must be at least 1, got {min_days_in_country}.")
    home = {str(home_mcc)} if isinstance(home_mcc, str | int) else {str(m) for m in home_mcc}
    t = event_times(events, time, tz)
    df = pd.DataFrame(
        {
            "s": events[subscriber].to_numpy(),
            "t": t.to_numpy(),
            "date": t.dt.date.to_numpy(),
            "area": events[area].to_numpy(),
            "mcc": events[mcc].astype("string").to_numpy(),
        }
    )
    df = df[~df["mcc"].isin(home) & df["mcc"].notna()]
    days = df.groupby("s")["date"].nunique()
    df = df[df["s"].map(days) >= min_days_in_country]
    per_day = df.groupby(["date", "area", "mcc", "s"], sort=True)["t"].agg(["min", "max"])
    long_enough = (per_day["max"] - per_day["min"]) >= pd.Timedelta(min_stay_in_area)
    kept = per_day[long_enough].reset_index()
    out = kept.groupby(["date", "area", "mcc"], sort=True)["s"].nunique()
    out = out.rename("visitors").reset_index()
    if countries is not None:
        out.insert(3, "country", out["mcc"].map(dict(countries)))
    return out
