"""Module 8's graded assignment: the nbgrader source notebook and the kept wrong submissions.

Loaded by make_notebooks.py with ``nbcells.sibling`` once ``courses/`` is on the path.
"""

from __future__ import annotations

from nbcells import code, readonly, solution, tests

ASSIGNMENT = "m8_fast_indicators"
NOTEBOOK = "fast_indicators.ipynb"

SETUP = """
import matplotlib.pyplot as plt
import pandas as pd
from ungp_catalogs import read_entry

k = 10  # publication threshold
events = read_entry("mobile_events")
cells = read_entry("mobile_cells")[["cell_id", "zone"]]
domestic = events[events["mcc"] == "001"].merge(cells, on="cell_id", how="left")
night = domestic[domestic["timestamp"].dt.hour < 5]  # 00:00-05:00 local time
print(f"{len(night):,} night-time events, {night['timestamp'].dt.date.nunique()} days")
"""

Q1_SOLUTION = """
### BEGIN SOLUTION
day = night["timestamp"].dt.tz_localize(None).dt.normalize()
week_start = day - pd.to_timedelta(day.dt.day_of_week, unit="D")
frame = pd.DataFrame({"zone": night["zone"], "week_start": week_start, "day": day,
                      "subscriber": night["subscriber"]})
days = frame.groupby("week_start")["day"].nunique().rename("days")
counts = frame.groupby(["zone", "week_start"])["subscriber"].nunique().rename("count")
grid = pd.MultiIndex.from_product([sorted(frame["zone"].unique()), days.index],
                                  names=["zone", "week_start"])
weekly = counts.reindex(grid, fill_value=0).reset_index()
weekly = weekly.merge(days.reset_index(), on="week_start")
iso = weekly["week_start"].dt.isocalendar()
weekly.insert(1, "week", iso["year"].astype(str) + "-W" + iso["week"].map("{:02d}".format))
weekly["complete"] = weekly["days"] == 7
weekly["week_start"] = weekly["week_start"].dt.date
weekly = weekly.sort_values(["zone", "week_start"], ignore_index=True)
### END SOLUTION
"""

Q2_SOLUTION = """
from ungp_methods.mobile import suppress_small_counts

### BEGIN SOLUTION
published = suppress_small_counts(weekly, k=k, count="count")
previous = published.groupby("zone")["count"].shift()
published["change_pct"] = (100 * (published["count"] - previous) / previous).where(previous > 0)
### END SOLUTION
"""

Q3_SOLUTION = """
### BEGIN SOLUTION
full = published[published["complete"]]
top = full.groupby("zone")["count"].sum().sort_values(ascending=False, kind="stable").index[:5]
chart_data = full.pivot(index="week", columns="zone", values="count")[list(top)]
### END SOLUTION
"""

Q4_SOLUTION = """
### BEGIN SOLUTION
fig, ax = plt.subplots(figsize=(8, 3.5))
for zone_name in chart_data.columns:
    ax.plot(range(len(chart_data)), chart_data[zone_name].to_numpy(), marker="o", label=zone_name)
ax.set_xticks(range(len(chart_data)), chart_data.index)
ax.set_title("Night-time population, 5 largest zones")
ax.set_ylabel("distinct SIMs")
ax.legend()
### END SOLUTION
"""

HIDDEN_REFERENCE = """
import numpy as np
from ungp_methods.dissemination import weekly_distinct as _weekly_distinct
from ungp_methods.mobile import suppress_small_counts as _suppress

_weekly = _weekly_distinct(night, by="zone")
_published = _suppress(_weekly, k=k, count="count")
"""


def assignment() -> list:
    return [
        readonly(
            "intro",
            """
        # Assignment 8 — A weekly fast indicator, ready to publish

        From the catalogue's mobile network events you will publish the **night-time
        population** of each zone: distinct domestic SIMs with at least one event between
        00:00 and 05:00 local time, per ISO week. The set-up cell gives you `night` (those
        events, with the `zone` of each cell) and the threshold `k`.

        Visible tests check the shape of your results; hidden tests, run at grading, compare
        them with the trusted library (`ungp_methods.dissemination.weekly_distinct` and
        `ungp_methods.mobile.suppress_small_counts`). Question 1 must be written with
        pandas, without `weekly_distinct`.
        **Restart the kernel and run all cells before you submit.**
        """,
        ),
        code(SETUP),
        readonly(
            "q1-text",
            """
        ## Question 1 (3 points) — weekly aggregation
        `weekly`: one row per zone and ISO 8601 week (Monday to Sunday, **local** days) with
        columns `zone`, `week` (label `YYYY-Www`, e.g. `2024-W10`), `week_start` (the Monday,
        a `datetime.date`), `count` (distinct subscribers in the zone that week), `days` (the
        number of days of that week present anywhere in `night`) and `complete`
        (`days == 7`). Every zone gets a row for every week in the data, with `count` 0 if
        nobody was there. Sort by zone, then week.
        """,
        ),
        solution("q1-answer", Q1_SOLUTION),
        tests(
            "q1-visible",
            1,
            """
        assert list(weekly.columns) == ["zone", "week", "week_start", "count", "days", "complete"]
        assert weekly["week"].str.fullmatch(r"\\d{4}-W\\d{2}").all()
        assert not weekly.duplicated(["zone", "week"]).any()
        assert (weekly["count"] >= 0).all() and weekly["days"].between(1, 7).all()
        """,
        ),
        tests(
            "q1-hidden",
            2,
            "# Hidden tests compare weekly with ungp_methods.dissemination.weekly_distinct.",
            HIDDEN_REFERENCE
            + """
assert list(weekly["week"]) == list(_weekly["week"])
assert [str(d) for d in weekly["week_start"]] == [str(d) for d in _weekly["week_start"]]
assert list(weekly["zone"].astype(str)) == list(_weekly["zone"].astype(str))
assert (weekly["count"].to_numpy() == _weekly["count"].to_numpy()).all()
assert (weekly["days"].to_numpy() == _weekly["days"].to_numpy()).all()
""",
        ),
        readonly(
            "q2-text",
            """
        ## Question 2 (3 points) — suppression, then the week-on-week change
        `published`: `weekly` after suppressing counts below `k`
        (`suppress_small_counts`, zeros stay published), with a new column `change_pct`:
        the change in % of each zone's count from its previous week, computed from the
        **published** counts (empty when either week is suppressed or the previous count
        is 0).
        """,
        ),
        solution("q2-answer", Q2_SOLUTION),
        tests(
            "q2-visible",
            1,
            """
        assert {"count", "suppression", "change_pct"} <= set(published.columns)
        shown = published["count"].dropna()
        assert not ((shown > 0) & (shown < k)).any(), "a count below k is published"
        """,
        ),
        tests(
            "q2-hidden",
            2,
            "# Hidden tests: suppression as the library does it; no change reveals a hidden count.",
            HIDDEN_REFERENCE
            + """
_prev = _published.groupby("zone")["count"].shift()
_change = (100 * (_published["count"] - _prev) / _prev).where(_prev > 0)
assert (published["suppression"].to_numpy() == _published["suppression"].to_numpy()).all()
np.testing.assert_allclose(published["count"].to_numpy(float), _published["count"].to_numpy(float))
np.testing.assert_allclose(published["change_pct"].to_numpy(float), _change.to_numpy(float))
""",
        ),
        readonly(
            "q3-text",
            """
        ## Question 3 (2 points) — the chart's data
        `chart_data`: a wide table for a line chart of the **complete** weeks only: index
        `week`, one column per zone for the 5 zones with the largest total published count
        over those weeks (largest first), values the published counts (empty where
        suppressed).
        """,
        ),
        solution("q3-answer", Q3_SOLUTION),
        tests(
            "q3-visible",
            1,
            """
        assert chart_data.shape[1] == 5 and chart_data.index.is_unique
        assert set(chart_data.index) <= set(published.loc[published["complete"], "week"])
        """,
        ),
        tests(
            "q3-hidden",
            1,
            "# Hidden tests compare chart_data with the library's published table.",
            HIDDEN_REFERENCE
            + """
_full = _published[_published["complete"]]
_top = _full.groupby("zone")["count"].sum().sort_values(ascending=False, kind="stable")
assert [str(z) for z in chart_data.columns] == [str(z) for z in _top.index[:5]]
_wide = _full.pivot(index="week", columns="zone", values="count")[list(_top.index[:5])]
np.testing.assert_allclose(chart_data.to_numpy(float), _wide.to_numpy(float))
""",
        ),
        readonly(
            "q4-text",
            """
        ## Question 4 (2 points) — the chart
        `fig`: a matplotlib Figure with one axes and one line per column of `chart_data`,
        in the same order, whose y values are exactly that column (gaps where suppressed), a
        title and a y-axis label.
        """,
        ),
        solution("q4-answer", Q4_SOLUTION),
        tests(
            "q4-visible",
            1,
            """
        import matplotlib.figure

        assert isinstance(fig, matplotlib.figure.Figure) and len(fig.axes) == 1
        assert len(fig.axes[0].get_lines()) == chart_data.shape[1]
        assert fig.axes[0].get_title() and fig.axes[0].get_ylabel()
        """,
        ),
        tests(
            "q4-hidden",
            1,
            "# Hidden tests compare the plotted values with chart_data.",
            """
        import numpy as np

        for _line, _zone in zip(fig.axes[0].get_lines(), chart_data.columns):
            np.testing.assert_allclose(
                np.asarray(_line.get_ydata(), float), chart_data[_zone].to_numpy(float)
            )
        """,
        ),
    ]


# A trainee who uses Sunday-start (US) weeks from strftime("%U").
WRONG_SUNDAY_WEEKS = {
    "q1-answer": """
    day = night["timestamp"].dt.tz_localize(None).dt.normalize()
    frame = pd.DataFrame({"zone": night["zone"], "week": day.dt.strftime("%Y-W%U"),
                          "day": day, "subscriber": night["subscriber"]})
    starts = frame.groupby("week")["day"].min()
    days = frame.groupby("week")["day"].nunique().rename("days")
    counts = frame.groupby(["zone", "week"])["subscriber"].nunique().rename("count")
    grid = pd.MultiIndex.from_product([sorted(frame["zone"].unique()), days.index],
                                      names=["zone", "week"])
    weekly = counts.reindex(grid, fill_value=0).reset_index()
    weekly = weekly.merge(days.reset_index(), on="week")
    weekly.insert(2, "week_start", weekly["week"].map(starts).dt.date)
    weekly["complete"] = weekly["days"] == 7
    weekly = weekly.sort_values(["zone", "week"], ignore_index=True)
    """,
}

# A trainee who computes the change from the raw counts: it gives hidden counts away.
WRONG_CHANGE_FROM_RAW = {
    "q2-answer": """
    from ungp_methods.mobile import suppress_small_counts

    previous = weekly.groupby("zone")["count"].shift()
    change = (100 * (weekly["count"] - previous) / previous).where(previous > 0)
    published = suppress_small_counts(weekly, k=k, count="count")
    published["change_pct"] = change
    """,
}
