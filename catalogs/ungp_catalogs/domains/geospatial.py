"""Geospatial / SDG domain: a fictional country for SDG 9.1.1 and SDG 11.1.1 lessons.

Admin boundaries (regions and districts), settlements, a population grid (table and
GeoTIFF), a road network with an all-season flag, and a household survey with the five
UN-Habitat housing conditions. Truths: the Rural Access Index computed at build time by a
direct point-to-segment distance test (independent of the methods library), and the census
share of the urban population living in slum households (the survey estimates it).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pyarrow as pa
import shapely

from ..context import BuildContext
from ..geography.country import Country, served_cells
from ..metadata import Variable
from . import Domain
from ._country import (
    CRS,
    ORIGIN_X,
)

DOMAIN = Domain(
    name="geospatial",
    title="Geospatial data for the SDGs",
    task_team="UN Task Team on Earth Observation and Geospatial Data for the SDGs",
    description=(
        "A fictional country: admin boundaries, settlements, a population grid, roads with an "
        "all-season flag and a household survey; truths: Rural Access Index and SDG 11.1.1."
    ),
    version="1.0",
)

URBAN_DENSITY = 300.0  # persons per km2: cells at or above are urban
SAMPLE_FRACTION = 0.1
YEAR = "2024"
TIME = {"start": "2024-01-01", "end": "2024-12-31", "resolution": "year"}
SURFACE = {"primary": "paved", "secondary": "gravel", "track": "earth"}


def _strings(values) -> pa.Array:
    return pa.array([str(v) for v in values], pa.string())


def build(ctx: BuildContext) -> None:
    ctx.report("drawing the country")
    c = Country(ctx)
    prov = ctx.generated_provenance(crs=CRS)
    w, s, e, n = (float(v) for v in c.shape.bounds)
    space = {
        "description": f"a fictional country in UTM zone 36S ({CRS}, metres)",
        "bbox": [w, s, e, n],
        "crs": CRS,
    }
    common = {"temporal_coverage": TIME, "spatial_coverage": space, "provenance": prov}
    _admin(ctx, c, common)
    _settlements(ctx, c, common)
    _population(ctx, c, common)
    _roads(ctx, c, common)
    ctx.report("computing the Rural Access Index")
    _rai_truth(ctx, c, common)
    ctx.report("simulating households")
    _households(ctx, c, common)


def _admin(ctx: BuildContext, c: Country, common: dict) -> None:
    regions = [
        shapely.union_all(
            [p for p, g in zip(c.district_polys, c.region_index, strict=True) if g == i]
        )
        for i in range(len(c.region_codes))
    ]
    geoms = regions + c.district_polys
    n_r = len(regions)
    frame = gpd.GeoDataFrame(geometry=geoms, crs=CRS)
    ctx.entry(
        "geo_admin_boundaries",
        title="Administrative boundaries (regions and districts)",
        description="Admin level 1 (regions) and 2 (districts) polygons; districts nest in "
        "regions and tile the country.",
        format="geoparquet",
        method_notes="Districts are the Voronoi cells of random seeds clipped to the country "
        "outline; a region is the union of the districts nearest to its seed. GeoParquet 1.1 "
        "(WKB), read with geopandas.read_parquet.",
        variables=[
            Variable("admin_level", "1", "1 region, 2 district", "int64"),
            Variable("code", "1", "admin code (R1, R1D03...)", "string"),
            Variable("name", "1", "invented name", "string"),
            Variable("parent_code", "1", "region of a district, empty for regions", "string"),
            Variable("area_km2", "km2", "area", "float64"),
            Variable("geometry", CRS, "polygon, WKB", "binary"),
        ],
        **common,
    ).write_geoparquet(
        "admin.parquet",
        frame,
        {
            "admin_level": pa.array([1] * n_r + [2] * len(c.district_polys), pa.int64()),
            "code": _strings(c.region_codes + c.district_codes),
            "name": _strings(c.region_names + c.district_names),
            "parent_code": _strings([""] * n_r + [c.region_codes[g] for g in c.region_index]),
            "area_km2": pa.array(np.round(shapely.area(np.array(geoms)) / 1e6, 3), pa.float64()),
        },
    )


def _settlements(ctx: BuildContext, c: Country, common: dict) -> None:
    t = c.towns
    frame = gpd.GeoDataFrame(geometry=shapely.points(t.x, t.y), crs=CRS)
    district = [_district_at(c, x, y) for x, y in zip(t.x, t.y, strict=True)]
    ctx.entry(
        "geo_settlements",
        title="Settlements (cities, towns, villages)",
        description="Named settlements with their population and size class.",
        format="geoparquet",
        method_notes="Random locations inside the country, Zipf-like populations (rank^-1.6); "
        "city >= 40,000, town >= 5,000 inhabitants, else village.",
        variables=[
            Variable("settlement_id", "1", "identifier", "string"),
            Variable("name", "1", "invented name", "string"),
            Variable("kind", "1", "city, town or village", "string"),
            Variable("population", "persons", "inhabitants", "int64"),
            Variable("district_code", "1", "district containing the settlement", "string"),
            Variable("geometry", CRS, "point, WKB", "binary"),
        ],
        **common,
    ).write_geoparquet(
        "settlements.parquet",
        frame,
        {
            "settlement_id": _strings([f"S{i + 1:04d}" for i in range(len(t.x))]),
            "name": _strings(t.name),
            "kind": _strings(t.kind),
            "population": pa.array(t.population, pa.int64()),
            "district_code": _strings(district),
        },
    )


def _district_at(c: Country, x: float, y: float) -> str:
    ix = int(np.clip((x - ORIGIN_X) // c.cell, 0, len(c.cx) - 1))
    iy = int(np.clip((c.top - y) // c.cell, 0, len(c.cy) - 1))
    return str(c.district_of[iy, ix] or "")


def _population(ctx: BuildContext, c: Country, common: dict) -> None:
    keep = c.in_country & (c.population > 0)
    ids = np.arange(c.population.size).reshape(c.population.shape)
    ctx.entry(
        "geo_population_grid",
        title="Population grid (cell centres)",
        description="Persons per grid cell with an urban/rural flag and the district; one row "
        "per populated cell inside the country.",
        format="parquet",
        method_notes=f"Gaussian bumps around settlements plus dispersed rural population "
        f"(gamma noise, mean 60 per km2), {c.cell:.0f} m cells. rural = density below "
        f"{URBAN_DENSITY:.0f} persons per km2 (a simplified degree of urbanisation). x, y are "
        f"cell centres in {CRS}; the same grid is in geo_population_raster.",
        variables=[
            Variable("cell_id", "1", "row-major index in the raster (north-west first)", "int64"),
            Variable("x", "m", f"cell centre easting, {CRS}", "float64"),
            Variable("y", "m", f"cell centre northing, {CRS}", "float64"),
            Variable("population", "persons", "persons in the cell", "float64"),
            Variable("rural", "1", "density below the urban threshold", "bool"),
            Variable("district_code", "1", "district of the cell centre", "string"),
        ],
        **common,
    ).write_parquet(
        "population_grid.parquet",
        pa.table(
            {
                "cell_id": pa.array(ids[keep], pa.int64()),
                "x": pa.array(c.gx[keep], pa.float64()),
                "y": pa.array(c.gy[keep], pa.float64()),
                "population": pa.array(c.population[keep], pa.float64()),
                "rural": pa.array(c.density[keep] < URBAN_DENSITY, pa.bool_()),
                "district_code": _strings(c.district_of[keep]),
            }
        ),
    )
    raster = np.where(c.in_country, c.population, -1.0).astype(np.float32)[None]
    ctx.entry(
        "geo_population_raster",
        title="Population raster (GeoTIFF)",
        description="The population grid as a single-band GeoTIFF (persons per cell).",
        format="geotiff",
        read_options={"time_from_filename": r"population_(\d{4})\.tif"},
        method_notes=f"Same values as geo_population_grid; -1 = outside the country (nodata). "
        f"{c.cell:.0f} m pixels, north-up, {CRS}. Read with rasterio or the catalogue "
        "(an xarray DataArray with one time step, the reference year).",
        variables=[Variable("population", "persons", "persons per cell", "float32")],
        **common,
    ).write_geotiff(
        f"population_{YEAR}.tif",
        raster,
        crs=CRS,
        transform=(ORIGIN_X, c.cell, 0.0, c.top, 0.0, -c.cell),
        nodata=-1.0,
    )


def _roads(ctx: BuildContext, c: Country, common: dict) -> None:
    frame = gpd.GeoDataFrame(geometry=[shapely.LineString(p) for p in c.road_lines], crs=CRS)
    ctx.entry(
        "geo_roads",
        title="Road network with all-season flag",
        description="Roads between settlements: class, surface, condition and whether the road "
        "is passable all year round.",
        format="geoparquet",
        method_notes="A minimum spanning tree over the settlements plus links between towns. "
        "Primary roads join towns and cities (paved), secondary roads reach a village "
        "(gravel), tracks join two villages (earth). all_season = condition good or fair, "
        "the World Bank (2016) Rural Access Index definition.",
        variables=[
            Variable("road_id", "1", "identifier", "string"),
            Variable("road_class", "1", "primary, secondary or track", "string"),
            Variable("surface", "1", "paved, gravel or earth", "string"),
            Variable("condition", "1", "good, fair or poor", "string"),
            Variable("all_season", "1", "passable all year round", "bool"),
            Variable("length_km", "km", "length along the line", "float64"),
            Variable("geometry", CRS, "line, WKB", "binary"),
        ],
        **common,
    ).write_geoparquet(
        "roads.parquet",
        frame,
        {
            "road_id": _strings([f"RD{i + 1:05d}" for i in range(len(c.road_lines))]),
            "road_class": _strings(c.road_kind),
            "surface": _strings([SURFACE[k] for k in c.road_kind]),
            "condition": _strings(c.road_condition),
            "all_season": pa.array(c.all_season, pa.bool_()),
            "length_km": pa.array(np.round(frame.length.to_numpy() / 1000, 3), pa.float64()),
        },
    )


def _rai_truth(ctx: BuildContext, c: Country, common: dict) -> None:
    served = served_cells(c)
    keep = c.in_country & (c.population > 0)
    rural = keep & (c.density < URBAN_DENSITY)
    pop = np.where(rural, c.population, 0.0)
    reached = np.where(rural & served, c.population, 0.0)
    scopes = ["national"] + c.district_codes
    rural_pop = [pop.sum()] + [pop[c.district_of == d].sum() for d in c.district_codes]
    served_pop = [reached.sum()] + [reached[c.district_of == d].sum() for d in c.district_codes]
    rp, sp = np.array(rural_pop), np.array(served_pop)
    ctx.entry(
        "geo_rural_access_truth",
        title="Planted truth: Rural Access Index (SDG 9.1.1)",
        description="Rural population, rural population within 2 km of an all-season road and "
        "their ratio, nationally and per district.",
        format="parquet",
        role="truth",
        truth_of=["geo_population_grid", "geo_roads"],
        method_notes="Computed at build time from geo_population_grid (cell centres, rural "
        "flag) and the all-season roads of geo_roads with an exact point-to-segment distance "
        "test (<= 2000 m), independently of ungp_methods.sdg. World Bank (2016) definition.",
        variables=[
            Variable("scope", "1", "national or a district code", "string"),
            Variable("rural_population", "persons", "rural population", "float64"),
            Variable("served_population", "persons", "rural population within 2 km", "float64"),
            Variable("rai", "1", "served / rural population", "float64"),
        ],
        **common,
    ).write_parquet(
        "rural_access.parquet",
        pa.table(
            {
                "scope": _strings(scopes),
                "rural_population": pa.array(rp, pa.float64()),
                "served_population": pa.array(sp, pa.float64()),
                "rai": pa.array(np.where(rp > 0, sp / np.where(rp > 0, rp, 1), np.nan)),
            }
        ),
    )


def _households(ctx: BuildContext, c: Country, common: dict) -> None:
    rng = ctx.rng("households")
    n = c.size["households"]
    keep = c.in_country & (c.population > 0)
    weights = np.where(keep, c.population, 0.0).ravel()
    cell = rng.choice(weights.size, size=n, p=weights / weights.sum())
    cell.sort()
    urban = c.density.ravel()[cell] >= URBAN_DENSITY
    district = c.district_of.ravel()[cell].astype(str)
    informal_rate = dict(
        zip(c.district_codes, rng.uniform(0.05, 0.45, len(c.district_codes)), strict=True)
    )
    informal = urban & (rng.random(n) < np.array([informal_rate[d] for d in district]))
    persons = 1 + rng.poisson(np.where(urban, 3.0, 3.8))
    rooms = np.where(informal, 1 + rng.poisson(0.5, n), 1 + rng.poisson(persons * 0.45))

    def has(p_informal: float, p_formal: float, p_rural: float) -> np.ndarray:
        p = np.where(informal, p_informal, np.where(urban, p_formal, p_rural))
        return rng.random(n) < p

    water = has(0.55, 0.96, 0.6)
    sanitation = has(0.4, 0.93, 0.5)
    durable = has(0.45, 0.98, 0.8)
    tenure = has(0.5, 0.95, 0.9)
    slum = urban & (~water | ~sanitation | ~durable | ~tenure | (persons > 3 * rooms))

    # stratified sample: district x urban, fraction SAMPLE_FRACTION, weight N_h / n_h
    stratum = np.char.add(district, np.where(urban, "U", "R"))
    chosen = np.zeros(n, dtype=bool)
    weight = np.zeros(n)
    for h in np.unique(stratum):
        idx = np.flatnonzero(stratum == h)
        k = max(2, int(round(SAMPLE_FRACTION * len(idx)))) if len(idx) >= 2 else len(idx)
        pick = rng.choice(idx, size=k, replace=False)
        chosen[pick] = True
        weight[pick] = len(idx) / k
    region = np.array([d.split("D")[0] for d in district])
    s = chosen
    ctx.entry(
        "geo_household_survey",
        title="Household survey: housing conditions (SDG 11.1.1)",
        description="A stratified household sample with the five UN-Habitat housing conditions "
        "and survey weights.",
        format="parquet",
        method_notes=f"A census of {n} households was simulated (placed in proportion to the "
        "population grid; urban households in informal settlements lack the conditions more "
        "often, with a district-specific share of informal households) and a stratified "
        f"sample drawn: strata district x urban/rural, fraction {SAMPLE_FRACTION:.0%}, "
        "weight = stratum households / sampled households. Conditions are coded as having "
        "(True) improved water, improved sanitation, durable housing, secure tenure.",
        variables=[
            Variable("household_id", "1", "identifier in the census frame", "string"),
            Variable("region_code", "1", "region", "string"),
            Variable("district_code", "1", "district", "string"),
            Variable("urban", "1", "household in an urban cell", "bool"),
            Variable("persons", "persons", "household members", "int64"),
            Variable("habitable_rooms", "rooms", "habitable rooms", "int64"),
            Variable("improved_water", "1", "access to improved water", "bool"),
            Variable("improved_sanitation", "1", "access to improved sanitation", "bool"),
            Variable("durable_housing", "1", "permanent structure", "bool"),
            Variable("secure_tenure", "1", "documented or secure tenure", "bool"),
            Variable("weight", "households", "survey weight", "float64"),
        ],
        **common,
    ).write_parquet(
        "households.parquet",
        pa.table(
            {
                "household_id": _strings([f"H{i + 1:07d}" for i in np.flatnonzero(s)]),
                "region_code": _strings(region[s]),
                "district_code": _strings(district[s]),
                "urban": pa.array(urban[s], pa.bool_()),
                "persons": pa.array(persons[s], pa.int64()),
                "habitable_rooms": pa.array(rooms[s], pa.int64()),
                "improved_water": pa.array(water[s], pa.bool_()),
                "improved_sanitation": pa.array(sanitation[s], pa.bool_()),
                "durable_housing": pa.array(durable[s], pa.bool_()),
                "secure_tenure": pa.array(tenure[s], pa.bool_()),
                "weight": pa.array(weight[s], pa.float64()),
            }
        ),
    )
    people = np.where(urban, persons, 0).astype(float)
    in_slum = np.where(slum, persons, 0).astype(float)
    scopes = ["national"] + c.district_codes
    up = np.array([people.sum()] + [people[district == d].sum() for d in c.district_codes])
    sp = np.array([in_slum.sum()] + [in_slum[district == d].sum() for d in c.district_codes])
    ctx.entry(
        "geo_slum_share_truth",
        title="Planted truth: urban population in slum households (SDG 11.1.1)",
        description="Census value of the share of the urban population living in households "
        "lacking at least one of the five conditions, nationally and per district.",
        format="parquet",
        role="truth",
        truth_of=["geo_household_survey"],
        method_notes="Computed on the whole simulated census (not the sample): persons in urban "
        "households lacking improved water, improved sanitation, durable housing or secure "
        "tenure, or with more than 3 persons per habitable room, over all urban persons. The "
        "weighted survey estimate should be close, not equal (sampling error).",
        variables=[
            Variable("scope", "1", "national or a district code", "string"),
            Variable("urban_population", "persons", "persons in urban households", "float64"),
            Variable("slum_population", "persons", "of whom in slum households", "float64"),
            Variable("share", "1", "slum / urban population", "float64"),
        ],
        **common,
    ).write_parquet(
        "slum_share.parquet",
        pa.table(
            {
                "scope": _strings(scopes),
                "urban_population": pa.array(up, pa.float64()),
                "slum_population": pa.array(sp, pa.float64()),
                "share": pa.array(np.where(up > 0, sp / np.where(up > 0, up, 1), np.nan)),
            }
        ),
    )
