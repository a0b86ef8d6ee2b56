"""Per-field temporal features from a long (date, field) table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from ungp_methods.eo import EODataError, temporal_features


def season() -> pd.DataFrame:
    dates = pd.to_datetime(["2024-04-01", "2024-05-01", "2024-06-01", "2024-07-01"])
    return pd.DataFrame(
        {
            "date": list(dates) * 2,
            "field_id": ["f1"] * 4 + ["f2"] * 4,
            "ndvi": [0.2, 0.6, 0.8, 0.4, 0.3, np.nan, 0.5, 0.7],
            "B8": [0.30, 0.40, 0.50, 0.35, 0.30, 0.32, 0.34, 0.36],
        }
    )


def test_statistics_per_field_skip_masked_observations():
    f = temporal_features(season(), variables=["ndvi"])
    assert f.loc["f1", "ndvi_mean"] == pytest.approx(0.5)
    assert f.loc["f1", "ndvi_amplitude"] == pytest.approx(0.6)
    assert f.loc["f2", "ndvi_mean"] == pytest.approx(0.5)
    assert f.loc["f2", "ndvi_count"] == 3
    assert f.loc["f1", "ndvi_std"] == pytest.approx(np.std([0.2, 0.6, 0.8, 0.4], ddof=1))


def test_time_of_max_is_the_date_of_the_peak():
    f = temporal_features(season())
    assert f.loc["f1", "ndvi_time_of_max"] == pd.Timestamp("2024-06-01")
    assert f.loc["f2", "ndvi_time_of_max"] == pd.Timestamp("2024-07-01")
    assert {"B8_mean", "B8_time_of_max"} <= set(f.columns)


def test_field_never_observed_has_nan_features_and_zero_count():
    table = season()
    table.loc[table.field_id == "f2", "ndvi"] = np.nan
    f = temporal_features(table, variables=["ndvi"])
    assert f.loc["f2", "ndvi_count"] == 0
    assert pd.isna(f.loc["f2", "ndvi_max"]) and pd.isna(f.loc["f2", "ndvi_time_of_max"])


def test_missing_columns_are_named():
    with pytest.raises(EODataError, match="parcel"):
        temporal_features(season(), field="parcel")
