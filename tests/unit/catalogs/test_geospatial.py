"""Geospatial/SDG domain: truths against the methods library and internal consistency."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from ungp_catalogs import read_entry
from ungp_catalogs.geography.country import SIZES
from ungp_methods.sdg import rural_access_index, slum_population_share


def _read(data_dir, name):
    return read_entry(name, data_dir)


def test_rural_access_truth_matches_ungp_methods(data_dir):
    grid = _read(data_dir, "geo_population_grid")
    roads = _read(data_dir, "geo_roads")
    truth = _read(data_dir, "geo_rural_access_truth").set_index("scope")
    assert roads.crs.to_epsg() == 32736
    result = rural_access_index(grid, roads, by="district_code")
    national = truth.loc["national"]
    assert 0.05 < national["rai"] < 0.95
    assert result.share == pytest.approx(national["rai"], rel=1e-9)
    assert result.rural_population == pytest.approx(national["rural_population"], rel=1e-9)
    by = result.by_group
    for code, row in by.iterrows():
        assert row["served_population"] == pytest.approx(
            truth.loc[code, "served_population"], rel=1e-9, abs=1e-6
        )


def test_survey_estimate_of_slum_share_is_close_to_the_census_truth(data_dir):
    survey = _read(data_dir, "geo_household_survey")
    truth = _read(data_dir, "geo_slum_share_truth").set_index("scope")
    estimate = slum_population_share(survey)
    share = truth.loc["national", "share"]
    assert 0.05 < share < 0.8
    assert estimate.share == pytest.approx(share, abs=0.05)
    assert estimate.share != share  # a sample estimate, not the census value
    # weights N_h / n_h add up to the census households
    assert survey["weight"].sum() == pytest.approx(SIZES["small"]["households"])
    assert (survey["weight"] >= 1).all()


def test_admin_boundaries_nest_and_tile_the_country(data_dir):
    admin = _read(data_dir, "geo_admin_boundaries")
    regions = admin[admin["admin_level"] == 1]
    districts = admin[admin["admin_level"] == 2]
    assert set(districts["parent_code"]) <= set(regions["code"])
    assert districts.area.sum() == pytest.approx(regions.area.sum(), rel=1e-6)
    for _, region in regions.iterrows():
        inside = districts[districts["parent_code"] == region["code"]]
        union = shapely.union_all(inside.geometry.to_numpy())
        assert union.symmetric_difference(region.geometry).area < 1e-3 * region.geometry.area
    grid = _read(data_dir, "geo_population_grid")
    assert set(grid["district_code"]) <= set(districts["code"])
    settlements = _read(data_dir, "geo_settlements")
    country = shapely.union_all(regions.geometry.to_numpy())
    assert shapely.contains(country, settlements.geometry.to_numpy()).all()
    assert {"city", "town", "village"} == set(settlements["kind"])


def test_population_raster_holds_the_grid_values(data_dir):
    grid = _read(data_dir, "geo_population_grid")
    raster = _read(data_dir, "geo_population_raster")
    values = raster.isel(time=0, band=0).to_numpy()
    assert raster.attrs["crs"] == "EPSG:32736"
    flat = values.ravel()[grid["cell_id"].to_numpy()]
    assert np.allclose(flat, grid["population"].to_numpy(), rtol=1e-6)
    ys, xs = np.unravel_index(grid["cell_id"].to_numpy(), values.shape)
    assert np.allclose(raster["x"].to_numpy()[xs], grid["x"].to_numpy())
    assert np.allclose(raster["y"].to_numpy()[ys], grid["y"].to_numpy())


def test_roads_have_a_meaningful_all_season_flag(data_dir):
    roads = _read(data_dir, "geo_roads")
    assert roads["all_season"].any() and (~roads["all_season"]).any()
    assert (roads["all_season"] == roads["condition"].isin(["good", "fair"])).all()
    assert np.allclose(roads.length / 1000, roads["length_km"], atol=1e-3)
