"""Rural Access Index on a tiny grid with one road, computed by hand."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString
from ungp_methods.sdg import SDGDataError, raster_cells, rural_access_index

UTM = "EPSG:32636"  # UTM zone 36N, metres

# A 4 x 4 grid of 1 km cells from (0, 4000) down to (4000, 0); centres at 500, 1500, ...
POPULATION = np.array(
    [
        [10.0, 20.0, 30.0, 40.0],
        [10.0, 20.0, 30.0, 40.0],
        [10.0, 20.0, 30.0, 40.0],
        [10.0, 20.0, 30.0, 40.0],
    ]
)
# Top-left cell is a town (urban); everything else is rural.
RURAL = np.ones((4, 4), dtype=bool)
RURAL[0, 0] = False
TRANSFORM = (0.0, 4000.0, 1000.0, -1000.0)


def roads(all_season: bool = True, second: bool = False) -> gpd.GeoDataFrame:
    lines = [LineString([(0, 0), (0, 4000)])]  # along the western edge, x = 0
    flags = [all_season]
    if second:
        lines.append(LineString([(4000, 0), (4000, 4000)]))  # eastern edge, dry-season track
        flags.append(False)
    return gpd.GeoDataFrame({"all_season": flags}, geometry=lines, crs=UTM)


def test_raster_cells_are_centres_of_populated_cells():
    cells = raster_cells(POPULATION, TRANSFORM, RURAL)
    assert len(cells) == 16
    first = cells.iloc[0]
    assert (first.x, first.y, first.population, first.rural) == (500.0, 3500.0, 10.0, False)


def test_share_by_hand():
    cells = raster_cells(POPULATION, TRANSFORM, RURAL)
    result = rural_access_index(cells, roads())
    # Columns with centres at x = 500 and 1500 are within 2 km of the road at x = 0; the
    # columns at 2500 and 3500 are not. Rural population: 400 - 10 (the town) = 390.
    # Served rural: column 1 (3 rural cells x 10) + column 2 (4 x 20) = 110.
    assert result.rural_population == pytest.approx(390.0)
    assert result.served_population == pytest.approx(110.0)
    assert result.share == pytest.approx(110 / 390)


def test_roads_that_are_not_all_season_do_not_count():
    cells = raster_cells(POPULATION, TRANSFORM, RURAL)
    assert rural_access_index(cells, roads(all_season=False)).share == 0.0
    with_track = rural_access_index(cells, roads(second=True))
    assert with_track.share == pytest.approx(110 / 390)
    every_road = rural_access_index(cells, roads(second=True), all_season=None)
    # The eastern track also serves columns at 2500 and 3500: everybody rural is served.
    assert every_road.share == pytest.approx(1.0)


def test_exactly_two_kilometres_counts_as_within():
    points = pd.DataFrame({"x": [2000.0, 2000.1], "y": [100.0, 100.0], "population": [5, 7]})
    result = rural_access_index(points, roads(), rural=None)
    assert result.served_population == pytest.approx(5.0)


def test_share_per_district():
    cells = raster_cells(POPULATION, TRANSFORM, RURAL)
    cells["district"] = np.where(cells.y > 2000, "north", "south")
    table = rural_access_index(cells, roads(), by="district").by_group
    assert table.loc["south", "share"] == pytest.approx(60 / 200)
    assert table.loc["north", "share"] == pytest.approx(50 / 190)


def test_geographic_crs_is_refused_with_advice():
    cells = raster_cells(POPULATION, TRANSFORM, RURAL)
    with pytest.raises(SDGDataError, match="to_crs"):
        rural_access_index(cells, roads().set_crs("EPSG:4326", allow_override=True))


def test_point_geodataframe_in_the_same_crs_is_accepted():
    cells = raster_cells(POPULATION, TRANSFORM, RURAL)
    points = gpd.GeoDataFrame(cells, geometry=gpd.points_from_xy(cells.x, cells.y), crs=UTM)
    assert rural_access_index(points, roads()).share == pytest.approx(110 / 390)
