"""Build module 8's notebooks: lessons, the nbgrader source notebook and kept submissions.

Run ``python courses/m8-dissemination/make_notebooks.py`` after editing; commit the .ipynb
files it writes (a test checks they match this script).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from nbcells import code, main, md, parameters, readonly, solution, tests  # noqa: E402

PARAMETERS = """
scale = "small"  # data scale the lesson was written for: small | medium | large
catalog_path = None  # None: $UNGP_CATALOG, else /srv/data/catalog.yaml
home_mcc = "001"  # the reporting country's Mobile Country Code
k = 10  # publication threshold: counts below k are suppressed
"""

OPEN = """
import matplotlib.pyplot as plt
import pandas as pd
from ungp_catalogs import open_catalog, read_entry

cat = open_catalog(catalog_path)
data_scale = cat.mobile.metadata["scale"]
if data_scale != scale:
    print(f"Note: this catalogue holds {data_scale!r} data; the lesson was written for {scale!r}.")
"""

NIGHT = """
events = read_entry("mobile_events", catalog_path)
cells = read_entry("mobile_cells", catalog_path)[["cell_id", "zone"]]
domestic = events[events["mcc"] == home_mcc].merge(cells, on="cell_id", how="left")
night = domestic[domestic["timestamp"].dt.hour < 5]  # local time: the timestamps carry the zone
print(f"{len(night):,} night-time events (00:00-05:00 local) of "
      f"{night['subscriber'].nunique():,} domestic subscribers in {night['zone'].nunique()} zones")
"""


def lesson_indicator() -> list:
    return [
        md("""
        # Lesson 8.1 — From a fast indicator to a chart

        **You will learn** how to turn event data into a weekly indicator that can be
        published days after the week ends: ISO weeks in local time, a coverage flag for
        incomplete weeks, explicit zeros, suppression of small counts, and a chart whose
        numbers are exactly the published table.

        Our indicator: the **night-time population** of each zone, the number of distinct
        domestic SIMs with at least one event between 00:00 and 05:00 local time in the week.
        Where phones spend the night is a fast proxy for where people live (UN GWG Handbook on
        the Use of Mobile Phone Data for Official Statistics, 2019); a sudden drop in a zone
        can signal displacement weeks before a survey would.
        """),
        parameters(PARAMETERS),
        code(OPEN),
        code(NIGHT),
        md("""
        ## Weeks: ISO 8601, local time

        A weekly series must say which week. Statistical offices use **ISO 8601 weeks**:
        Monday to Sunday, labelled `2024-W10`; the week-numbering year can differ from the
        calendar year near 1 January. Two common mistakes shift every number: Sunday-start
        weeks (`strftime("%U")`, the US convention) and fixed 7-day bins from an arbitrary
        origin (`dt.floor("7D")` counts from 1 January 1970, a Thursday). And weeks must
        follow **local** days: a UTC week would move three hours of Sunday night into Monday
        here.

        `ungp_methods.dissemination.weekly_distinct` applies these rules, counts each SIM
        once per week (distinct counts do not add up over days), writes 0 for a zone with no
        SIM in a covered week, and says how many days of data each week has.
        """),
        code("""
        from ungp_methods.dissemination import weekly_distinct

        weekly = weekly_distinct(night, by="zone")
        weekly.head(8)
        """),
        code("""
        day = night["timestamp"].dt.tz_localize(None).dt.normalize()
        floor_7d = sorted(day.dt.floor("7D").dt.day_name().unique())
        sunday_weeks = sorted(night["timestamp"].dt.strftime("%Y-W%U").unique())
        print("ISO weeks:", sorted(weekly["week"].unique()))
        print("Sunday-start weeks:", sunday_weeks, "| 7-day bins start on:", floor_7d)
        """),
        md("""
        ## Incomplete weeks

        A fast indicator is computed while data still arrive. Suppose we publish on a
        Thursday: the current week then has three days of data, and its count is not
        comparable with a full week's. The `days` and `complete` columns say so; a
        publication either leaves such a week out or marks it *provisional*.
        """),
        code("""
        first_day = night["timestamp"].dt.normalize().min()
        cut_off = first_day + pd.Timedelta(days=10)  # publishing on day 11 of the data
        so_far = weekly_distinct(night[night["timestamp"] < cut_off], by="zone")
        coverage = so_far.groupby("week")[["days", "complete"]].first()
        print(coverage)
        partial = so_far[~so_far["complete"]]
        print(f"the partial week counts {partial['count'].sum():,} zone-SIMs against "
              f"{so_far[so_far['complete']]['count'].sum():,} in the full week")
        """),
        md("""
        ## Suppress small counts, then derive

        Counts below `k` can point to a handful of identifiable people: they are replaced by
        an empty cell (`ungp_methods.mobile.suppress_small_counts`). Zeros reveal nobody and
        are published. Every figure **derived** from the table (a change, a share, a chart)
        must be computed from the published counts: a week-on-week change computed from the
        raw counts and published next to an empty cell gives the hidden count back.
        """),
        code("""
        from ungp_methods.mobile import suppress_small_counts

        published = suppress_small_counts(weekly, k=k, count="count")
        previous = published.groupby("zone")["count"].shift()
        published["change_pct"] = (100 * (published["count"] - previous) / previous).where(
            previous > 0
        )
        print(published["suppression"].value_counts().to_dict())
        published.head(6)
        """),
        md("""
        ## The chart is the table

        A chart of a published indicator shows exactly the published numbers (a suppressed
        cell is a gap, never a line drawn through it), names the unit and the week
        convention, and cites its source. Keep the chart's data as a table next to it: that
        is what a reader downloads, and what a reviewer checks.
        """),
        code("""
        full = published[published["complete"]]
        top = full.groupby("zone")["count"].sum().nlargest(5).index
        chart_data = full.pivot(index="week", columns="zone", values="count")[list(top)]

        fig, ax = plt.subplots(figsize=(8, 3.5))
        chart_data.plot(ax=ax, marker="o")
        ax.set_title("Night-time population, 5 largest zones")
        ax.set_xlabel("ISO week (Monday-Sunday, local time)")
        ax.set_ylabel("distinct SIMs, 00:00-05:00")
        fig.text(0.01, -0.02, f"Source: mobile network events (catalogue, {data_scale}). "
                 f"Counts below {k} suppressed.", fontsize=8)
        plt.show()
        chart_data.to_csv("night_population_chart.csv")
        chart_data
        """),
        md("""
        ### Exercise
        Add the national night-time population (distinct SIMs in the whole country per week)
        as a reference line. Why is it not the sum of the zones?
        """),
        code(
            """
        national = weekly_distinct(night.assign(country="all"), by="country")
        national = national.set_index("week")["count"]
        zones_sum = weekly.groupby("week")["count"].sum()
        print(pd.DataFrame({"national": national, "sum of zones": zones_sum}))
        # A SIM seen at night in two zones in the same week counts once nationally
        assert (national <= zones_sum).all()
        """,
            hidden=True,
        ),
        md("""
        ## Summary
        - Weekly indicators use ISO weeks of local days; flag weeks the data do not cover.
        - Distinct counts are computed per week from events, never summed from days.
        - Suppress small counts first, then compute changes and charts from what is published.
        """),
    ]


def lesson_dashboard() -> list:
    return [
        md("""
        # Lesson 8.2 — Controls and Voila dashboards

        **You will learn** how to let readers choose what they see with ipywidgets, how to
        write a notebook that works as a dashboard, and how an analyst publishes it on this
        hub with Voila: for a group, for every user, or for the public, refreshed on a
        schedule.
        """),
        parameters(PARAMETERS),
        code(OPEN),
        code(NIGHT),
        code("""
        from ungp_methods.dissemination import weekly_distinct
        from ungp_methods.mobile import suppress_small_counts

        published = suppress_small_counts(weekly_distinct(night, by="zone"), k=k, count="count")
        zones = sorted(published["zone"].unique())
        print(f"{len(zones)} zones, weeks {published['week'].min()} to {published['week'].max()}")
        """),
        md("""
        ## Controls

        A dashboard computes everything once, then redraws on a control's change: the
        function that draws takes the controls' values and reads only the **published**
        table. Controls choose *what to show*, never *how to protect* it: the threshold `k`
        is a parameter of the notebook, not a slider.
        """),
        code("""
        import ipywidgets as widgets
        from IPython.display import display

        zone = widgets.Dropdown(options=zones, value=zones[0], description="Zone")
        show_partial = widgets.Checkbox(value=False, description="include partial weeks")
        out = widgets.Output()


        def zone_series(zone_name: str, partial: bool) -> pd.Series:
            rows = published[published["zone"] == zone_name]
            if not partial:
                rows = rows[rows["complete"]]
            return rows.set_index("week")["count"]


        def render(*_) -> None:
            values = zone_series(zone.value, show_partial.value)
            with out:
                out.clear_output(wait=True)
                fig, ax = plt.subplots(figsize=(7, 3))
                values.plot(ax=ax, marker="o", title=f"{zone.value}: night-time population")
                ax.set_ylabel("distinct SIMs")
                plt.show()
                hidden = int(values.isna().sum())
                if hidden:
                    print(f"{hidden} week(s) below {k} SIMs are not shown.")


        for control in (zone, show_partial):
            control.observe(render, names="value")
        render()
        display(widgets.VBox([widgets.HBox([zone, show_partial]), out]))
        """),
        md("""
        In JupyterLab the dropdown redraws the chart. The function behind it is ordinary
        Python, so it can be checked without a browser:
        """),
        code("""
        for name in zones[:3]:
            series = zone_series(name, False)
            expected = published[(published["zone"] == name) & published["complete"]]["count"]
            assert series.reset_index(drop=True).equals(expected.reset_index(drop=True))
        print("the chart's numbers are the published table's")
        """),
        md("""
        ## A notebook that works as a dashboard

        [Voila](https://voila.readthedocs.io) runs a notebook top to bottom and shows only
        its outputs (markdown, charts, tables, live widgets), never the code. So:

        - Start with a title and a paragraph saying what the indicator is, its source and
          method; end with the notes a reader needs (suppression, partial weeks).
        - Keep inputs in the first cell, tagged `parameters` (like this lesson's), so the hub
          can re-run the notebook with other values.
        - Read data through the catalogue (`read_entry`), never from your home folder: the
          dashboard runs in a fresh container that sees the data, not your files.
        - Display only published numbers: no `events.head()`, no microdata, nothing below `k`.
        - Fail loudly: a `raise` for data that are not there (e.g. a week not yet covered) is
          better than a silently empty chart, because then nothing is published.

        ## Publishing on the hub

        Analysts (group `analysts`) publish from a terminal in JupyterLab:

        ```bash
        ungp dashboards examples ~/dashboards       # two complete example dashboards
        ungp dashboards publish ~/night-population.ipynb --to all \\
            --title "Night-time population by zone" -p k=10
        ungp dashboards schedule night-population-by-zone --cron '0 6 * * 1'
        ungp dashboards list
        ```

        `publish` first runs the notebook with papermill in a fresh container; if a cell
        fails nothing is published and you see the error. `--to` is a group, `all` (every
        hub user) or `public` (anyone, as a static page without live widgets). A schedule
        re-runs it (here every Monday at 06:00 UTC) and keeps the last good version online if
        a run fails. The hub's *Dashboards* page lists what you may open. The examples
        (`ais-weekly-ports.ipynb`, `scanner-monthly-cpi.ipynb`) follow every rule above.

        ### Exercise
        Which line of this lesson would leak data if the notebook were published as it is?
        """),
        code(
            """
        # None does: outputs above show counts per zone and week after suppression, the
        # number of zones and weeks, and a sentence about hidden weeks, but no event rows.
        # Lesson 8.1's coverage table of the partial week would be fine too; `night.head()`
        # would not (pseudonymous ids and times are microdata).
        leaks = [c for c in ["subscriber", "cell_id"] if c in published.columns]
        assert not leaks
        """,
            hidden=True,
        ),
        md("""
        ## Summary
        - Widgets choose what to show; protection (`k`) is fixed by the publisher.
        - Dashboards are notebooks with a parameters cell, catalogue data and only published
          numbers in their outputs.
        - `ungp dashboards publish NB --to GROUP|all|public` runs, checks and publishes;
          `schedule` refreshes.
        """),
    ]


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


if __name__ == "__main__":
    main(
        __file__,
        lessons={
            "01-from-indicator-to-chart.ipynb": lesson_indicator,
            "02-widgets-and-voila-dashboards.ipynb": lesson_dashboard,
        },
        assignment=ASSIGNMENT,
        notebook_name=NOTEBOOK,
        source=assignment,
        wrong={
            "sunday_weeks": WRONG_SUNDAY_WEEKS,
            "change_from_raw": WRONG_CHANGE_FROM_RAW,
        },
    )
