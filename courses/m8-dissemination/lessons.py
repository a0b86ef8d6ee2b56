"""Module 8's lessons: their builders and the code snippets they share.

Loaded by make_notebooks.py with ``nbcells.sibling`` once ``courses/`` is on the path.
"""

from __future__ import annotations

from nbcells import code, md, opening

DOMAIN = "mobile"
IMPORTS = ["import matplotlib.pyplot as plt", "import pandas as pd"]
PARAMETERS = """
home_mcc = "001"  # the reporting country's Mobile Country Code
k = 10  # publication threshold: counts below k are suppressed
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
        *opening(DOMAIN, IMPORTS, PARAMETERS),
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
        *opening(DOMAIN, IMPORTS, PARAMETERS),
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
