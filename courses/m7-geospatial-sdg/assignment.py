"""Module 7's graded assignment: the nbgrader source notebook and the kept wrong submissions.

Loaded by make_notebooks.py with ``nbcells.sibling`` once ``courses/`` is on the path.
"""

from __future__ import annotations

from nbcells import code, readonly, solution, tests

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
