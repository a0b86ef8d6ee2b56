"""Build module 7's notebooks: lessons, the nbgrader source notebook and kept submissions.

Run ``python courses/m7-geospatial-sdg/make_notebooks.py`` after editing; commit the .ipynb
files it writes (a test checks they match this script).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from nbcells import (  # noqa: E402
    code,
    main,
    md,
    parameters,
    readonly,
    solution,
    tests,
)

PARAMETERS = """
scale = "small"  # data scale the lesson was written for: small | medium | large
catalog_path = None  # None: $UNGP_CATALOG, else /srv/data/catalog.yaml
distance_m = 2000  # SDG 9.1.1: within 2 km of an all-season road
"""

OPEN = """
from ungp_catalogs import open_catalog, read_entry

cat = open_catalog(catalog_path)
data_scale = cat.geospatial.metadata["scale"]
if data_scale != scale:
    print(f"Note: this catalogue holds {data_scale!r} data; the lesson was written for {scale!r}.")
"""


def lesson_rai() -> list:
    return [
        md("""
        # Lesson 7.1 — The Rural Access Index (SDG 9.1.1)

        **You will learn** to compute SDG indicator 9.1.1, the share of the rural population
        living within 2 km of an all-season road, by overlaying a population grid with a road
        network in a projected coordinate system, nationally and per district.

        The World Bank's method (Iimi et al. 2016, *Measuring Rural Access: Using New
        Technologies*) replaced household-survey questions with geospatial data: gridded
        population, an urban/rural classification and the roads passable all year round.
        """),
        parameters(PARAMETERS),
        code(OPEN),
        code("""
        grid = read_entry("geo_population_grid", catalog_path)
        roads = read_entry("geo_roads", catalog_path)
        admin = read_entry("geo_admin_boundaries", catalog_path)
        print(f"grid: {len(grid):,} cells, {grid['population'].sum():,.0f} people, "
              f"{grid.loc[grid['rural'], 'population'].sum():,.0f} rural")
        print(f"roads: {len(roads)} segments, {roads['length_km'].sum():.0f} km, "
              f"{roads.loc[roads['all_season'], 'length_km'].sum():.0f} km all-season")
        print("CRS:", roads.crs.name, "| units:", roads.crs.axis_info[0].unit_name)
        """),
        code("""
        ax = admin[admin["admin_level"] == 2].boundary.plot(color="grey", linewidth=0.5,
                                                            figsize=(7, 6))
        ax.scatter(grid["x"], grid["y"], s=2, c=grid["rural"].map({True: "tan", False: "red"}))
        roads.plot(ax=ax, column="all_season", cmap="coolwarm_r", linewidth=1.5, legend=True)
        ax.set_title("Population cells (red: urban) and roads (all-season or not)");
        """),
        md("""
        ## The indicator

        Distances must be computed in metres, in a projected CRS (here UTM 36S): degrees are
        not distances. A grid cell is represented by its centre.
        """),
        code("""
        from ungp_methods.sdg import rural_access_index

        rai = rural_access_index(grid, roads, by="district_code", distance=distance_m)
        print(f"Rural Access Index: {rai.share:.1%} of {rai.rural_population:,.0f} rural people")
        rai.by_group.round(3)
        """),
        md("""
        The catalogue's truth was computed at build time with an exact point-to-segment
        distance test:
        """),
        code("""
        truth = read_entry("geo_rural_access_truth", catalog_path).set_index("scope")
        gaps = (rai.by_group["share"] - truth["rai"].drop("national")).abs()
        print(f"national: {rai.share:.6f} vs truth {truth.loc['national', 'rai']:.6f}; "
              f"largest district gap {gaps.max():.2e}")
        """),
        md("""
        ## By hand with a buffer

        The same number with geopandas: buffer the all-season roads by 2 km and count the
        rural population whose cell centre falls inside.
        """),
        code("""
        import geopandas as gpd

        corridor = roads[roads["all_season"]].union_all().buffer(distance_m)
        points = gpd.GeoSeries(gpd.points_from_xy(grid["x"], grid["y"]), crs=roads.crs)
        served = grid["rural"] & points.within(corridor).to_numpy()
        by_hand = grid.loc[served, "population"].sum() / grid.loc[grid["rural"], "population"].sum()
        print(f"by hand {by_hand:.4%} vs library {rai.share:.4%} (a polygon buffer "
              "approximates circles with segments, so tiny differences are possible)")
        """),
        md("""
        ### Exercise 1
        What would the index be if every road counted, whatever its condition? Why does SDG
        9.1.1 insist on all-season roads?
        """),
        code(
            """
            every_road = rural_access_index(grid, roads, all_season=None, distance=distance_m)
            print(f"all roads {every_road.share:.1%} vs all-season {rai.share:.1%}")
            """,
            hidden=True,
        ),
        md("""
        ### Exercise 2
        Which district has the lowest index, and how many rural people there live more than
        2 km from an all-season road?
        """),
        code(
            """
            worst = rai.by_group["share"].idxmin()
            row = rai.by_group.loc[worst]
            print(f"{worst}: {row['share']:.1%}, "
                  f"{row['rural_population'] - row['served_population']:,.0f} people unserved")
            """,
            hidden=True,
        ),
        md("""
        ## References
        - A. Iimi, F. Ahmed, E. C. Anderson, A. S. Diehl, L. Maiyo, T. Peralta-Quiros and
          K. S. Rao (2016), *Measuring Rural Access: Using New Technologies*, World Bank.
        - UN Statistics Division, SDG indicator metadata 9.1.1 (custodian: World Bank).
        """),
    ]


def lesson_slums() -> list:
    return [
        md("""
        # Lesson 7.2 — Urban population in slums (SDG 11.1.1) from a household survey

        **You will learn** UN-Habitat's household definition of a slum, how to estimate the
        share of the urban *population* living in slum households from a weighted sample,
        and how the estimate compares with the census value.
        """),
        parameters(PARAMETERS),
        code(OPEN),
        code("""
        import pandas as pd

        survey = read_entry("geo_household_survey", catalog_path)
        print(f"{len(survey)} households surveyed, representing {survey['weight'].sum():,.0f}; "
              f"{survey['urban'].mean():.0%} urban in the sample")
        survey.head()
        """),
        md("""
        ## The definition

        A slum household is an urban household lacking at least one of: improved water,
        improved sanitation, sufficient living area (at most three persons per habitable room),
        durable housing, security of tenure (UN-Habitat, SDG 11.1.1 metadata). The indicator
        counts *people*: each household weighs `weight x persons`.
        """),
        code("""
        from ungp_methods.sdg import household_deprivations, slum_population_share

        urban = survey[survey["urban"]]
        flags = household_deprivations(urban)
        flags.mean().round(3)
        """),
        code("""
        share = slum_population_share(survey, by="district_code")
        truth = read_entry("geo_slum_share_truth", catalog_path).set_index("scope")
        census = truth.loc["national", "share"]
        print(f"survey estimate {share.share:.1%}, census value {census:.1%}")
        compare = pd.DataFrame({"survey": share.by_group["share"], "census": truth["share"]})
        compare.drop("national").round(3)
        """),
        md("""
        Districts with few urban households in the sample are estimated poorly: a national
        survey is designed for national (and perhaps regional) estimates, not districts.

        ### Exercise 1
        Many surveys do not ask about tenure; UN-Habitat then uses the four other components.
        How much does the national share change without tenure?
        """),
        code(
            """
            four = slum_population_share(survey, secure_tenure=None)
            print(f"five components {share.share:.1%}, four components {four.share:.1%}")
            """,
            hidden=True,
        ),
        md("""
        ### Exercise 2
        Compute the share of urban *households* (weighted) that are slum households. Why is
        it different from the share of the population?
        """),
        code(
            """
            w = urban["weight"]
            households_share = (w * flags["slum"]).sum() / w.sum()
            size = urban.groupby(flags["slum"])["persons"].mean()
            print(f"households {households_share:.1%} vs population {share.share:.1%}; mean "
                  f"size: slum {size[True]:.1f}, other {size[False]:.1f} persons")
            """,
            hidden=True,
        ),
        md("""
        ## References
        - UN-Habitat, SDG indicator 11.1.1 metadata, UN Statistics Division.
        - UN-Habitat (2018), *SDG Indicator 11.1.1 Training Module: Adequate Housing and Slum
          Upgrading*.
        - UN-Habitat (2003), *The Challenge of Slums: Global Report on Human Settlements*.
        """),
    ]


ASSIGNMENT = "m7_sdg_indicators"
NOTEBOOK = "sdg_indicators.ipynb"

Q1_SOLUTION = '''
def served(grid: pd.DataFrame, roads: gpd.GeoDataFrame, distance: float = 2000) -> pd.Series:
    """True for each grid cell whose centre lies within ``distance`` m of an all-season road."""
    ### BEGIN SOLUTION
    network = roads[roads["all_season"]].union_all()
    points = gpd.GeoSeries(gpd.points_from_xy(grid["x"], grid["y"]), crs=roads.crs)
    return pd.Series(points.distance(network).to_numpy() <= distance, index=grid.index)
    ### END SOLUTION


near_road = served(grid, roads)
rural = grid["rural"]
rai = grid.loc[rural & near_road, "population"].sum() / grid.loc[rural, "population"].sum()
'''

Q2_SOLUTION = """
### BEGIN SOLUTION
rural_grid = grid[rural].assign(served_population=grid["population"].where(near_road, 0))
totals = rural_grid.groupby("district_code")[["population", "served_population"]].sum()
rai_by_district = totals["served_population"] / totals["population"]
### END SOLUTION
"""

Q3_SOLUTION = '''
def slum_households(survey: pd.DataFrame, tenure: bool = True) -> pd.Series:
    """True for each household lacking at least one UN-Habitat component."""
    ### BEGIN SOLUTION
    lacking = (
        ~survey["improved_water"]
        | ~survey["improved_sanitation"]
        | ~survey["durable_housing"]
        | (survey["persons"] > 3 * survey["habitable_rooms"])
    )
    if tenure:
        lacking |= ~survey["secure_tenure"]
    return lacking
    ### END SOLUTION


def slum_share(survey: pd.DataFrame, tenure: bool = True) -> float:
    """Share of the urban population (weight x persons) living in slum households."""
    ### BEGIN SOLUTION
    urban = survey[survey["urban"]]
    people = urban["weight"] * urban["persons"]
    return float(people[slum_households(urban, tenure)].sum() / people.sum())
    ### END SOLUTION


share_five = slum_share(survey)
'''

Q4_SOLUTION = """
### BEGIN SOLUTION
share_four = slum_share(survey, tenure=False)
### END SOLUTION
"""

SETUP = """
import geopandas as gpd
import pandas as pd
from ungp_catalogs import read_entry

grid = read_entry("geo_population_grid")  # cell centres x, y in metres (EPSG:32736)
roads = read_entry("geo_roads")
survey = read_entry("geo_household_survey")
"""


def assignment() -> list:
    return [
        readonly(
            "intro",
            """
        # Assignment 7 — Two SDG indicators from geospatial and survey data

        You will compute SDG 9.1.1 (Rural Access Index) from the catalogue's population grid
        and roads, and SDG 11.1.1 (urban population in slums) from its household survey.

        Complete each cell marked `YOUR CODE HERE` with your own pandas/geopandas code (not
        `ungp_methods`). Visible tests check the shape of your results; hidden tests, run at
        grading, compare them with the trusted library `ungp_methods.sdg` on the same data.
        **Restart the kernel and run all cells before you submit.**
        """,
        ),
        code(SETUP),
        readonly(
            "q1-text",
            """
        ## Question 1 (3 points) — the Rural Access Index
        Write `served(grid, roads, distance)`: True for each grid cell whose centre (`x`, `y`)
        lies within `distance` metres of a road with `all_season == True`. The cell then
        computes `rai`, the share of the rural population living in served cells.
        """,
        ),
        solution("q1-answer", Q1_SOLUTION),
        tests(
            "q1-visible",
            1,
            """
        assert near_road.dtype == bool and len(near_road) == len(grid)
        assert 0 < rai < 1
        """,
        ),
        tests(
            "q1-hidden",
            2,
            "# Hidden tests compare with ungp_methods.sdg.rural_access_index.",
            """
from ungp_methods.sdg import rural_access_index

_ref = rural_access_index(grid, roads)
assert abs(rai - _ref.share) < 1e-9
""",
        ),
        readonly(
            "q2-text",
            """
        ## Question 2 (2 points) — by district
        Compute `rai_by_district`: a Series indexed by `district_code` with the Rural Access
        Index of each district (districts with rural population only).
        """,
        ),
        solution("q2-answer", Q2_SOLUTION),
        tests(
            "q2-visible",
            1,
            """
        assert rai_by_district.between(0, 1).all()
        assert set(rai_by_district.index) <= set(grid["district_code"])
        """,
        ),
        tests(
            "q2-hidden",
            1,
            "# Hidden tests compare with ungp_methods.sdg.rural_access_index(by=...).",
            """
from ungp_methods.sdg import rural_access_index

_ref = rural_access_index(grid, roads, by="district_code").by_group["share"]
assert (rai_by_district.loc[_ref.index] - _ref).abs().max() < 1e-9
""",
        ),
        readonly(
            "q3-text",
            """
        ## Question 3 (3 points) — SDG 11.1.1
        Write `slum_households(survey, tenure)`: True for a household lacking at least one of
        improved water, improved sanitation, durable housing, sufficient living area (more
        than 3 persons per habitable room is overcrowded) and, when `tenure` is True, secure
        tenure. Then `slum_share(survey, tenure)`: the share of the **urban population** (each
        urban household counts `weight x persons` people) living in slum households.
        """,
        ),
        solution("q3-answer", Q3_SOLUTION),
        tests(
            "q3-visible",
            1,
            """
        assert slum_households(survey).dtype == bool
        assert 0 < share_five < 1
        """,
        ),
        tests(
            "q3-hidden",
            2,
            "# Hidden tests compare with ungp_methods.sdg.slum_population_share.",
            """
from ungp_methods.sdg import slum_population_share

assert abs(share_five - slum_population_share(survey).share) < 1e-9
""",
        ),
        readonly(
            "q4-text",
            """
        ## Question 4 (2 points) — without tenure
        Many surveys do not ask about tenure. Compute `share_four`, the same indicator on the
        four other components.
        """,
        ),
        solution("q4-answer", Q4_SOLUTION),
        tests(
            "q4-visible",
            1,
            """
        assert 0 < share_four <= share_five
        """,
        ),
        tests(
            "q4-hidden",
            1,
            "# Hidden tests compare with ungp_methods.sdg.slum_population_share.",
            """
from ungp_methods.sdg import slum_population_share

assert abs(share_four - slum_population_share(survey, secure_tenure=None).share) < 1e-9
""",
        ),
    ]


def _strip(text: str) -> str:
    return text.replace("    ### BEGIN SOLUTION\n", "").replace("    ### END SOLUTION\n", "")


# A trainee who counts every road, whatever its condition.
WRONG_ALL_ROADS = {
    "q1-answer": _strip(
        Q1_SOLUTION.replace('roads[roads["all_season"]].union_all()', "roads.union_all()")
    ),
}

# A trainee who computes the share of households instead of the share of people.
WRONG_HOUSEHOLDS = {
    "q3-answer": _strip(
        Q3_SOLUTION.replace(
            'people = urban["weight"] * urban["persons"]', 'people = urban["weight"]'
        )
    ),
}


if __name__ == "__main__":
    main(
        __file__,
        lessons={
            "01-rural-access-index.ipynb": lesson_rai,
            "02-slum-population-share.ipynb": lesson_slums,
        },
        assignment=ASSIGNMENT,
        notebook_name=NOTEBOOK,
        source=assignment,
        wrong={
            "all_roads": WRONG_ALL_ROADS,
            "household_share": WRONG_HOUSEHOLDS,
        },
    )
