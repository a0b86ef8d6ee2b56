"""Rural Access Index (SDG 9.1.1): rural population living within 2 km of an all-season road.

Method of the World Bank (2016), Measuring Rural Access: Using New Technologies (Iimi et al.),
adopted as the SDG 9.1.1 metadata (custodian: World Bank): overlay a gridded population
(e.g. WorldPop or GHS-POP) with a rural/urban classification and the network of roads
passable all year round (in "good" or "fair" condition), and count the rural population
within 2 km of such a road, i.e. roughly a 20-minute walk:

    RAI = rural population within 2 km of an all-season road / total rural population.

Distances are Euclidean in a *projected* CRS with metre units (a local UTM zone or an equal-
area projection): distances in degrees are meaningless. A population cell is represented by
its centre, the usual practice at 100 m resolution; the test "within 2 km" is an exact
distance test (equivalent to an exact 2 km buffer around the road lines).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import ArrayLike

from .errors import SDGDataError

#: The SDG 9.1.1 distance threshold in metres.
RAI_DISTANCE_M = 2000.0


@dataclass(frozen=True)
class RuralAccess:
    """The Rural Access Index and its numerator and denominator."""

    share: float  # served / rural population, NaN when there is no rural population
    rural_population: float
    served_population: float
    by_group: pd.DataFrame | None = None  # same three numbers per group when ``by`` is given


def raster_cells(
    population: ArrayLike,
    transform: tuple[float, float, float, float],
    rural_mask: ArrayLike | None = None,
) -> pd.DataFrame:
    """Turn a population grid (and a rural mask on the same grid) into cell-centre points.

    ``transform = (x_origin, y_origin, pixel_width, pixel_height)`` in the GDAL convention:
    the origin is the outer corner of the first cell, and ``pixel_height`` is negative for
    north-up rasters (``rasterio``'s ``Affine`` gives ``(a=width, c=x0, e=height, f=y0)``).
    Cells with no data (NaN) or no population are dropped. Columns: ``x``, ``y``,
    ``population``, ``rural``.
    """
    pop = np.asarray(population, dtype=float)
    if pop.ndim != 2:
        raise SDGDataError(f"population must be a 2-D grid, got {pop.ndim} dimensions.")
    x0, y0, width, height = transform
    rows, cols = np.indices(pop.shape)
    rural = np.ones(pop.shape, dtype=bool) if rural_mask is None else np.asarray(rural_mask)
    if rural.shape != pop.shape:
        raise SDGDataError(
            f"rural_mask shape {rural.shape} differs from the population grid {pop.shape}; "
            "resample the urban/rural classification to the population grid first."
        )
    keep = np.isfinite(pop) & (pop > 0)
    return pd.DataFrame(
        {
            "x": x0 + (cols[keep] + 0.5) * width,
            "y": y0 + (rows[keep] + 0.5) * height,
            "population": pop[keep],
            "rural": rural[keep].astype(bool),
        }
    )


def _check_projected(crs, what: str) -> None:
    if crs is None:
        raise SDGDataError(
            f"{what} has no CRS; set it (e.g. gdf.set_crs('EPSG:32633')) so that distances "
            "can be checked to be in metres."
        )
    if not crs.is_projected:
        raise SDGDataError(
            f"{what} is in a geographic CRS ({crs.name}); distances in degrees are meaningless."
            " Reproject to a projected CRS in metres, e.g. gdf.to_crs(gdf.estimate_utm_crs())."
        )
    units = {axis.unit_name for axis in crs.axis_info}
    if not units <= {"metre", "meter"}:
        raise SDGDataError(f"{what} CRS {crs.name} is not in metres (units: {sorted(units)}).")


def rural_access_index(
    population: pd.DataFrame,
    roads: gpd.GeoDataFrame,
    *,
    population_col: str = "population",
    x: str = "x",
    y: str = "y",
    rural: str | None = "rural",
    all_season: str | None = "all_season",
    distance: float = RAI_DISTANCE_M,
    by: str | None = None,
) -> RuralAccess:
    """Share of the rural population within ``distance`` metres of an all-season road.

    ``population`` has one row per grid cell or settlement point with its population and
    coordinates ``x``, ``y`` in the CRS of ``roads`` (a GeoDataFrame of points is also
    accepted, its CRS must equal that of ``roads``), and a boolean ``rural`` column (pass
    ``rural=None`` if every point is rural). ``roads`` holds line geometries with a boolean
    ``all_season`` column (``None``: every road counts). ``by`` names a column of
    ``population`` (e.g. district) to report the index per group as well.
    """
    _check_projected(roads.crs, "roads")
    if isinstance(population, gpd.GeoDataFrame):
        if population.crs != roads.crs:
            raise SDGDataError(
                "population and roads are in different CRSs; reproject one with to_crs()."
            )
        px = population.geometry.x.to_numpy()
        py = population.geometry.y.to_numpy()
    else:
        missing = [c for c in (x, y) if c not in population.columns]
        if missing:
            raise SDGDataError(f"population has no coordinate column(s) {missing}; set x=, y=.")
        px, py = population[x].to_numpy(float), population[y].to_numpy(float)
    for col in (population_col, rural, by):
        if col is not None and col not in population.columns:
            raise SDGDataError(f"population has no column {col!r}.")
    pop = population[population_col].to_numpy(float)
    if np.isnan(pop).any() or (pop < 0).any():
        raise SDGDataError("population counts must be non-negative numbers without gaps.")
    is_rural = np.ones(len(pop), bool) if rural is None else population[rural].to_numpy(bool)

    if all_season is not None:
        if all_season not in roads.columns:
            raise SDGDataError(
                f"roads has no column {all_season!r}; pass the all-season flag column or "
                "all_season=None if every road is passable all year."
            )
        roads = roads[roads[all_season].fillna(False).astype(bool)]
    geoms = roads.geometry[~(roads.geometry.is_empty | roads.geometry.isna())].to_numpy()
    served = np.zeros(len(pop), dtype=bool)
    if len(geoms):
        tree = shapely.STRtree(geoms)
        hits = tree.query(shapely.points(px, py), predicate="dwithin", distance=distance)
        served[np.unique(hits[0])] = True

    rural_pop = np.where(is_rural, pop, 0.0)
    served_pop = np.where(is_rural & served, pop, 0.0)
    total, reached = float(rural_pop.sum()), float(served_pop.sum())
    table = None
    if by is not None:
        frame = pd.DataFrame(
            {by: population[by].to_numpy(), "rural_population": rural_pop, "served": served_pop}
        )
        table = frame.groupby(by).sum().rename(columns={"served": "served_population"})
        with np.errstate(invalid="ignore", divide="ignore"):
            table["share"] = table["served_population"] / table["rural_population"]
    return RuralAccess(
        share=reached / total if total > 0 else float("nan"),
        rural_population=total,
        served_population=reached,
        by_group=table,
    )
