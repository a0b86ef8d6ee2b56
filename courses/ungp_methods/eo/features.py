"""Per-field temporal features for crop-type classification.

Crops differ less in a single image than in their seasonal curve (when they green up, how high
they peak, how fast they senesce), so the classifier input for each field is a set of
statistics of each band or index over the season. This follows the feature design used in
GEOGLAM / JECAM crop mapping with Sentinel-2 (e.g. Defourny et al. 2019, Near real-time
agriculture monitoring at national scale at parcel resolution: performance assessment of the
Sen2-Agri automated system in various cropping systems around the world, Remote Sens.
Environ. 221; Inglada et al. 2015, Remote Sens. 7).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .errors import EODataError

#: The statistics computed for every variable, in output column order.
FEATURES: tuple[str, ...] = ("mean", "std", "min", "max", "amplitude", "time_of_max", "count")


def temporal_features(
    table: pd.DataFrame,
    *,
    field: str = "field_id",
    time: str = "date",
    variables: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Season statistics per field from a long (time, field) table of band or index values.

    ``table`` has one row per field and acquisition date with one column per band or index
    (e.g. ``B4``, ``B8``, ``ndvi``); NaN marks a masked observation and is skipped. For each
    variable ``v`` the result (one row per field, indexed by ``field``) has columns
    ``v_mean``, ``v_std`` (sample standard deviation), ``v_min``, ``v_max``, ``v_amplitude``
    (max - min), ``v_time_of_max`` (the ``time`` value of the first maximum, e.g. the date of
    peak NDVI) and ``v_count`` (valid observations). Fields without a valid observation get
    NaN (count 0). ``variables`` defaults to every numeric column except ``field`` and
    ``time``.
    """
    missing = [c for c in (field, time) if c not in table.columns]
    if missing:
        raise EODataError(
            f"column(s) {missing} not in the table (it has {list(table.columns)}); pass the "
            "right names with field= and time=."
        )
    if variables is None:
        numeric = table.select_dtypes("number").columns
        variables = [c for c in numeric if c not in (field, time)]
    absent = [v for v in variables if v not in table.columns]
    if absent or not variables:
        raise EODataError(
            f"variables {absent or '[]'} not usable; name band or index columns of the table."
        )
    fields = pd.Index(table[field].unique(), name=field)
    parts: list[pd.DataFrame] = []
    for var in variables:
        grouped = table.groupby(field, sort=False)[var]
        stats = pd.DataFrame(
            {
                "mean": grouped.mean(),
                "std": grouped.std(),
                "min": grouped.min(),
                "max": grouped.max(),
            }
        ).reindex(fields)
        stats["amplitude"] = stats["max"] - stats["min"]
        valid = table.loc[table[var].notna(), [field, time, var]]
        first_max = valid.sort_values([field, time], kind="stable").groupby(field)[var].idxmax()
        stats["time_of_max"] = pd.Series(
            valid.loc[first_max.to_numpy(), time].to_numpy(), index=first_max.index
        ).reindex(fields)
        stats["count"] = grouped.count().reindex(fields).fillna(0).astype(int)
        stats.columns = [f"{var}_{name}" for name in FEATURES]
        parts.append(stats)
    return pd.concat(parts, axis=1)
