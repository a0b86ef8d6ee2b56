"""Module 4's graded assignment: its builder, constants, hidden tests and the kept wrong
submissions.

Loaded by make_notebooks.py (which puts courses/ on ``sys.path``) with ``nbcells.sibling``.
"""

from __future__ import annotations

from nbcells import code, readonly, solution, tests

ASSIGNMENT = "m4_mobile_statistics"
NOTEBOOK = "mobile_statistics.ipynb"

Q1_SOLUTION = '''
def night_homes(events: pd.DataFrame) -> pd.Series:
    """Home cell of each domestic subscriber by the night-time rule (index: subscriber)."""
    ### BEGIN SOLUTION
    t = events["timestamp"]
    hour = t.dt.hour
    night = events[(hour >= 20) | (hour < 7)].assign(
        night=(t - pd.Timedelta(hours=7)).dt.date
    )
    stats = (
        night.groupby(["subscriber", "cell_id"])["night"]
        .agg(events="size", nights="nunique")
        .reset_index()
        .sort_values(
            ["subscriber", "events", "nights", "cell_id"], ascending=[True, False, False, True]
        )
        .drop_duplicates("subscriber")
    )
    best = stats[stats["nights"] >= 3]
    return best.set_index("subscriber")["cell_id"]
    ### END SOLUTION


homes = night_homes(domestic)
'''

Q2_SOLUTION = '''
def tourists_per_day(events: pd.DataFrame) -> pd.DataFrame:
    """Distinct overnight roaming visitors per date and MCC: columns date, mcc, visitors."""
    ### BEGIN SOLUTION
    roaming = events[events["mcc"] != HOME_MCC].assign(date=events["timestamp"].dt.date)
    days = roaming.groupby("subscriber")["date"].nunique()
    overnight = roaming[roaming["subscriber"].map(days) >= 2]
    out = overnight.groupby(["date", "mcc"])["subscriber"].nunique()
    return out.rename("visitors").reset_index()
    ### END SOLUTION


tourists = tourists_per_day(events)
'''

Q3_SOLUTION = '''
def coverage_at_least(grid: pd.DataFrame, cells: pd.DataFrame, technology: str) -> float:
    """% of the grid population within range of a cell of ``technology`` or a later one."""
    ### BEGIN SOLUTION
    order = ["2G", "3G", "4G", "5G"]
    use = cells[cells["technology"].isin(order[order.index(technology):])]
    dx = grid["x"].to_numpy()[:, None] - use["x"].to_numpy()[None, :]
    dy = grid["y"].to_numpy()[:, None] - use["y"].to_numpy()[None, :]
    covered = (np.hypot(dx, dy) <= use["radius_km"].to_numpy()[None, :] * 1000).any(axis=1)
    return float(100 * grid.loc[covered, "population"].sum() / grid["population"].sum())
    ### END SOLUTION


coverage_3g = coverage_at_least(grid, cells, "3G")
'''

Q4_SOLUTION = """
from ungp_methods.mobile import suppress_small_counts

### BEGIN SOLUTION
residents = homes.map(zone_of).value_counts().rename("count").rename_axis("zone").reset_index()
published = suppress_small_counts(residents, k=10)
### END SOLUTION
"""

SETUP = """
import numpy as np
import pandas as pd
from ungp_catalogs import read_entry

events = read_entry("mobile_events")
cells = read_entry("mobile_cells")
grid = read_entry("mobile_population_grid")
zone_of = cells.set_index("cell_id")["zone"]
HOME_MCC = "001"  # the country's own Mobile Country Code
domestic = events[events["mcc"] == HOME_MCC]
"""

HIDDEN_HOMES = """
from ungp_methods.mobile import night_time_home

_ref = night_time_home(domestic, area="cell_id").homes.set_index("subscriber")["home_area"]
"""


def assignment() -> list:
    return [
        readonly(
            "intro",
            """
        # Assignment 4 — Residents, tourists and coverage from mobile network data

        From the catalogue's event records, radio cells and population grid you will compute
        what a statistical office publishes from mobile phone data: homes by the night-time
        rule, overnight inbound visitors, population coverage (SDG 9.c.1) and residents per
        zone after suppressing small counts.

        Complete each cell marked `YOUR CODE HERE`. Visible tests check the shape of your
        results; hidden tests, run at grading, compare your numbers with the trusted library
        `ungp_methods.mobile` on the same data. Questions 1 to 3 must be computed with your
        own pandas/numpy code, not with the library.
        **Restart the kernel and run all cells before you submit.**
        """,
        ),
        code(SETUP),
        readonly(
            "q1-text",
            """
        ## Question 1 (3 points) — the night-time home rule
        Write `night_homes(events)` returning a Series (index `subscriber`, values `cell_id`):
        keep events from 20:00 to before 07:00 local time (the timestamps carry the zone);
        date each event by its night (the date of `timestamp - 7 hours`); per subscriber
        take the cell with the most night events, breaking ties by more distinct nights, then
        by the smallest `cell_id`; keep only subscribers seen on at least **3** distinct nights
        in that cell.
        """,
        ),
        solution("q1-answer", Q1_SOLUTION),
        tests(
            "q1-visible",
            1,
            """
        assert isinstance(homes, pd.Series) and homes.index.is_unique
        assert set(homes.index) <= set(domestic["subscriber"])
        assert homes.isin(cells["cell_id"]).all()
        assert 0.8 < len(homes) / domestic["subscriber"].nunique() <= 1
        """,
        ),
        tests(
            "q1-hidden",
            2,
            "# Hidden tests compare your homes with ungp_methods.mobile.night_time_home.",
            HIDDEN_HOMES
            + """
assert homes.sort_index().index.equals(_ref.sort_index().index)
assert (homes.sort_index() == _ref.sort_index()).all()
""",
        ),
        readonly(
            "q2-text",
            """
        ## Question 2 (3 points) — overnight inbound visitors
        Roaming SIMs carry a foreign `mcc`. Write `tourists_per_day(events)`: one row per date
        (local `timestamp.dt.date`) and MCC with the number of **distinct** roaming
        subscribers seen that day, counting only subscribers seen in the country on at least
        **two** distinct days (same-day visitors are not tourists). Columns: `date, mcc,
        visitors`.
        """,
        ),
        solution("q2-answer", Q2_SOLUTION),
        tests(
            "q2-visible",
            1,
            """
        assert list(tourists.columns) == ["date", "mcc", "visitors"]
        assert not tourists.duplicated(["date", "mcc"]).any()
        assert HOME_MCC not in set(tourists["mcc"]) and (tourists["visitors"] > 0).all()
        """,
        ),
        tests(
            "q2-hidden",
            2,
            "# Hidden tests compare `tourists` with ungp_methods.mobile.inbound_tourism.",
            """
from ungp_methods.mobile import inbound_tourism

_roam = events[events["mcc"] != HOME_MCC].assign(_all="all")
_ref = inbound_tourism(_roam, home_mcc=HOME_MCC, area="_all")
_ref = _ref.set_index(["date", "mcc"])["visitors"].sort_index()
_mine = tourists.set_index(["date", "mcc"])["visitors"].sort_index()
assert _mine.index.equals(_ref.index)
assert (_mine.to_numpy() == _ref.to_numpy()).all()
""",
        ),
        readonly(
            "q3-text",
            """
        ## Question 3 (2 points) — population coverage, at least one technology
        Write `coverage_at_least(grid, cells, technology)`: the percentage of the grid
        population whose grid-cell centre lies within `radius_km` of a cell of that technology
        **or a later one** (ITU definition; order 2G < 3G < 4G < 5G). Use the projected `x`,
        `y` coordinates (metres).
        """,
        ),
        solution("q3-answer", Q3_SOLUTION),
        tests(
            "q3-visible",
            1,
            """
        assert 0 < coverage_3g <= 100
        assert abs(coverage_at_least(grid, cells, "2G") - 100) < 5
        assert coverage_at_least(grid, cells, "5G") <= coverage_3g
        """,
        ),
        tests(
            "q3-hidden",
            1,
            "# Hidden tests compare with ungp_methods.mobile.population_coverage (within 0.5 pp).",
            """
from ungp_methods.mobile import population_coverage

_ref = population_coverage(grid, cells).set_index("technology")["coverage_pct"]
for _tech in ["3G", "4G", "5G"]:
    assert abs(coverage_at_least(grid, cells, _tech) - _ref[_tech]) < 0.5, _tech
""",
        ),
        readonly(
            "q4-text",
            """
        ## Question 4 (2 points) — residents per zone, ready to publish
        Count your Question 1 homes per zone (`zone_of` maps a cell to its zone) into a table
        with columns `zone, count`, and apply `ungp_methods.mobile.suppress_small_counts` with
        a threshold of **k = 10** to get `published`.
        """,
        ),
        solution("q4-answer", Q4_SOLUTION),
        tests(
            "q4-visible",
            1,
            """
        assert {"zone", "count", "suppression"} <= set(published.columns)
        assert published["count"].dropna().ge(10).all()
        assert published["zone"].is_unique
        """,
        ),
        tests(
            "q4-hidden",
            1,
            "# Hidden tests compare `published` with the library on the library's homes.",
            HIDDEN_HOMES
            + """
_res = _ref.map(zone_of).value_counts().rename("count").rename_axis("zone").reset_index()
_pub = suppress_small_counts(_res, k=10).set_index("zone").sort_index()
_mine = published.set_index("zone").sort_index()
assert _mine.index.equals(_pub.index)
assert (_mine["suppression"] == _pub["suppression"]).all()
np.testing.assert_allclose(_mine["count"].to_numpy(float), _pub["count"].to_numpy(float))
""",
        ),
    ]


# A trainee who takes the most frequent cell over the whole day (no night-time window).
WRONG_ALL_DAY = {
    "q1-answer": Q1_SOLUTION.replace(
        "night = events[(hour >= 20) | (hour < 7)].assign(", "night = events.assign("
    )
    .replace("    hour = t.dt.hour\n", "")
    .replace("    ### BEGIN SOLUTION\n", "")
    .replace("    ### END SOLUTION\n", ""),
}

# A trainee who counts every roaming SIM, same-day visitors included.
WRONG_SAME_DAY = {
    "q2-answer": Q2_SOLUTION.replace(
        'overnight = roaming[roaming["subscriber"].map(days) >= 2]', "overnight = roaming"
    )
    .replace('    days = roaming.groupby("subscriber")["date"].nunique()\n', "")
    .replace("    ### BEGIN SOLUTION\n", "")
    .replace("    ### END SOLUTION\n", ""),
}
