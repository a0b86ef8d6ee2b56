"""Earth observation domain: scenes, per-field series and truths agree with each other."""

from __future__ import annotations

import numpy as np
import pytest
from ungp_catalogs import read_entry
from ungp_methods.eo import SCL_INVALID, mask_from_classes, ndvi, temporal_features

MASKED = [3, 8, 9, 10]


def _read(data_dir, name):
    return read_entry(name, data_dir)


def test_scenes_are_a_band_stack_with_clouds_marked_in_scl(data_dir):
    scenes = _read(data_dir, "eo_s2_scenes")
    assert scenes.dims == ("time", "band", "y", "x")
    assert list(scenes["band"].values) == ["B02", "B03", "B04", "B08", "B11", "SCL"]
    assert scenes.attrs["crs"] == "EPSG:32634"
    scl = scenes.sel(band="SCL").to_numpy()
    assert set(np.unique(scl)) <= {3, 4, 5, 8, 9, 10}
    cloud = mask_from_classes(scl, SCL_INVALID)
    assert 0.02 < cloud.mean() < 0.5
    assert cloud.reshape(len(scl), -1).all(axis=1).sum() < len(scl)  # some dates usable
    blue = scenes.sel(band="B02").to_numpy()
    assert blue[scl == 9].mean() > 2 * blue[np.isin(scl, [4, 5])].mean()


def test_field_series_is_the_clear_pixel_mean_of_the_scenes(data_dir):
    scenes = _read(data_dir, "eo_s2_scenes")
    series = _read(data_dir, "eo_field_timeseries")
    fields = _read(data_dir, "eo_field_map_truth")
    x, y = scenes["x"].to_numpy(), scenes["y"].to_numpy()
    checked = 0
    for _, f in fields.iloc[:5].iterrows():
        w, s, e, n = f.geometry.bounds
        cols = (x > w) & (x < e)
        rows = (y > s) & (y < n)
        for t in (0, len(scenes["time"]) // 2):
            cube = scenes.isel(time=t).to_numpy()[:, rows][:, :, cols]
            clear = ~np.isin(cube[5], MASKED)
            day = str(scenes["time"].values[t])[:10]
            row = series[
                (series["field_id"] == f["field_id"]) & (series["date"].astype(str) == day)
            ]
            assert row["clear_fraction"].iloc[0] == pytest.approx(clear.mean(), abs=1e-4)
            if clear.mean() >= 0.5:
                assert row["B08"].iloc[0] == pytest.approx(cube[3][clear].mean() / 1e4, abs=1e-4)
                checked += 1
    assert checked >= 5


def test_crop_areas_sum_the_field_map_and_labels_are_exact(data_dir):
    fmap = _read(data_dir, "eo_field_map_truth")
    areas = _read(data_dir, "eo_crop_area_truth").set_index("crop_type")
    sums = fmap.groupby("crop_type")["area_ha"].sum()
    for crop, area in sums.items():
        assert areas.loc[crop, "area_ha"] == pytest.approx(area)
    assert np.allclose(fmap.area / 1e4, fmap["area_ha"])
    fields = _read(data_dir, "eo_fields")
    assert fields["field_id"].tolist() == fmap["field_id"].tolist()
    sample = _read(data_dir, "eo_labelled_sample").merge(fmap, on="field_id")
    assert (sample["crop_type_x"] == sample["crop_type_y"]).all()
    assert 0.2 < len(sample) / len(fmap) < 0.5


def test_seasonal_curves_separate_winter_wheat_from_maize(data_dir):
    series = _read(data_dir, "eo_field_timeseries")
    series["ndvi"] = ndvi(series["B08"], series["B04"])
    feats = temporal_features(series[["field_id", "date", "ndvi"]], variables=["ndvi"])
    crops = _read(data_dir, "eo_field_map_truth").set_index("field_id")["crop_type"]
    peak = feats["ndvi_time_of_max"].astype("datetime64[ns]").groupby(crops).median()
    assert peak["wheat"] < peak["maize"]
    assert feats["ndvi_max"].groupby(crops).median()["fallow"] < 0.5
