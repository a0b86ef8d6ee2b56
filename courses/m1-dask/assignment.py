"""Module 1's graded assignment: its builder, constants, hidden tests and the kept wrong
submissions.

Loaded by make_notebooks.py (which puts courses/ on ``sys.path``) with ``nbcells.sibling``.
"""

from __future__ import annotations

from nbcells import code, md, readonly, sibling, solution, tests

_lessons = sibling(__file__, "lessons")
CLOSE = _lessons.CLOSE

ASSIGNMENT = "m1_dask_aggregations"
NOTEBOOK = "dask_aggregations.ipynb"

SETUP = """
import pandas as pd
from ungp_catalogs import read_entry
from ungp_methods.bigdata import entry_frame, open_cluster

cluster = open_cluster(2)  # the hub's Dask Gateway, or a LocalCluster elsewhere
client = cluster.get_client()
client.wait_for_workers(1, timeout=180)

pings = entry_frame("ais_pings")  # Dask DataFrame, one partition per day
events = entry_frame("mobile_events", columns=["subscriber", "timestamp", "cell_id"])
cells = read_entry("mobile_cells")[["cell_id", "zone"]]
events = events.merge(cells, on="cell_id", how="left").persist()
print(pings.npartitions, "AIS partitions;", events.npartitions, "mobile partitions")
"""

Q1_SOLUTION = """
### BEGIN SOLUTION
moving = pings[pings["sog"] >= 0.5]
moving_speed = moving.groupby("mmsi")["sog"].mean().compute()
### END SOLUTION
"""

Q2_SOLUTION = """
### BEGIN SOLUTION
def _distinct_per_day(part):
    return part.groupby(part["timestamp"].dt.date)["subscriber"].nunique()


daily_subscribers = events.map_partitions(_distinct_per_day).compute().sort_index()
### END SOLUTION
"""

Q3_SOLUTION = """
### BEGIN SOLUTION
fortnight_subscribers = int(events["subscriber"].nunique().compute())
### END SOLUTION
"""

Q4_SOLUTION = """
from ungp_methods.mobile import presence_counts

### BEGIN SOLUTION
meta = {"area": "string", "slot": events["timestamp"].dtype, "subscribers": "int64"}
zone_presence = (
    events.map_partitions(presence_counts, area="zone", meta=meta)
    .compute()
    .sort_values(["area", "slot"], ignore_index=True)
)
### END SOLUTION
"""

HIDDEN_EVENTS = """
from ungp_catalogs import read_entry as _read

_events = _read("mobile_events").merge(_read("mobile_cells")[["cell_id", "zone"]], on="cell_id")
"""


def assignment() -> list:
    return [
        readonly(
            "intro",
            """
        # Assignment 1 — Aggregating big tables with Dask

        You will compute four results with Dask on the catalogue's AIS position reports
        (`pings`) and mobile network events (`events`, with the `zone` of each event's cell),
        as you would on `large` data that does not fit in the notebook's memory. The set-up
        cell gives you a cluster and both tables as Dask DataFrames (one partition per day):
        do **not** read whole tables with pandas (`read_entry("ais_pings")` etc.) in your
        answers; each answer must be a small **pandas** result of a Dask computation.

        Visible tests check the shape of your results; hidden tests, run at grading, compare
        your numbers with pandas and the trusted library `ungp_methods` on the same data.
        **Restart the kernel and run all cells before you submit.**
        """,
        ),
        code(SETUP),
        readonly(
            "q1-text",
            """
        ## Question 1 (2 points) — mean speed of moving vessels
        `moving_speed`: a pandas Series indexed by `mmsi` with the mean speed over ground
        (`sog`, knots) of each vessel's reports **while moving** (`sog >= 0.5`). Vessels with
        no such report do not appear.
        """,
        ),
        solution("q1-answer", Q1_SOLUTION),
        tests(
            "q1-visible",
            1,
            """
        assert isinstance(moving_speed, pd.Series), "compute() your Dask result"
        assert moving_speed.index.is_unique
        assert (moving_speed >= 0.5).all()
        """,
        ),
        tests(
            "q1-hidden",
            1,
            "# Hidden tests compare moving_speed with pandas on the whole table.",
            """
        import numpy as _np
        from ungp_catalogs import read_entry as _read

        _pings = _read("ais_pings")
        _ref = _pings[_pings["sog"] >= 0.5].groupby("mmsi")["sog"].mean().sort_index()
        _mine = moving_speed.sort_index()
        assert _mine.index.equals(_ref.index)
        _np.testing.assert_allclose(_mine.to_numpy(float), _ref.to_numpy(float), rtol=1e-6)
        """,
        ),
        readonly(
            "q2-text",
            """
        ## Question 2 (2 points) — distinct subscribers per day
        `daily_subscribers`: a pandas Series indexed by the **local** date
        (`timestamp.dt.date`; the timestamps carry the country's time zone) with the number
        of distinct subscribers that had at least one event that day, sorted by date.
        """,
        ),
        solution("q2-answer", Q2_SOLUTION),
        tests(
            "q2-visible",
            1,
            """
        assert isinstance(daily_subscribers, pd.Series), "compute() your Dask result"
        assert daily_subscribers.index.is_unique and daily_subscribers.index.is_monotonic_increasing
        assert (daily_subscribers > 0).all()
        """,
        ),
        tests(
            "q2-hidden",
            1,
            "# Hidden tests compare daily_subscribers with pandas on the whole table.",
            HIDDEN_EVENTS
            + """
_ref = _events.groupby(_events["timestamp"].dt.date)["subscriber"].nunique().sort_index()
assert [str(d) for d in daily_subscribers.index] == [str(d) for d in _ref.index]
assert (daily_subscribers.to_numpy() == _ref.to_numpy()).all()
""",
        ),
        readonly(
            "q3-text",
            """
        ## Question 3 (3 points) — distinct subscribers over the whole period
        `fortnight_subscribers`: a Python `int`, the number of distinct subscribers seen at
        least once over all the days in `events`.
        """,
        ),
        solution("q3-answer", Q3_SOLUTION),
        tests(
            "q3-visible",
            1,
            """
        assert isinstance(fortnight_subscribers, int)
        assert fortnight_subscribers >= daily_subscribers.max()
        """,
        ),
        tests(
            "q3-hidden",
            2,
            "# Hidden tests compare fortnight_subscribers with pandas on the whole table.",
            HIDDEN_EVENTS + "\nassert fortnight_subscribers == _events['subscriber'].nunique()\n",
        ),
        readonly(
            "q4-text",
            """
        ## Question 4 (3 points) — present population per zone and hour
        `zone_presence`: a pandas DataFrame with the columns of
        `ungp_methods.mobile.presence_counts` (`area`, `slot`, `subscribers`): distinct
        subscribers per **zone** and local hour, computed with Dask, sorted by `area` then
        `slot`, with a fresh index. You may call `presence_counts` on partitions.
        """,
        ),
        solution("q4-answer", Q4_SOLUTION),
        tests(
            "q4-visible",
            1,
            """
        assert isinstance(zone_presence, pd.DataFrame), "compute() your Dask result"
        assert list(zone_presence.columns) == ["area", "slot", "subscribers"]
        assert not zone_presence.duplicated(["area", "slot"]).any()
        assert (zone_presence["slot"].dt.minute == 0).all()
        """,
        ),
        tests(
            "q4-hidden",
            2,
            "# Hidden tests compare zone_presence with ungp_methods.mobile.presence_counts.",
            HIDDEN_EVENTS
            + """
from ungp_methods.mobile import presence_counts as _presence

_ref = _presence(_events, area="zone")
assert len(zone_presence) == len(_ref)
assert (zone_presence["area"].astype(str).to_numpy() == _ref["area"].astype(str).to_numpy()).all()
assert (zone_presence["slot"].to_numpy() == _ref["slot"].to_numpy()).all()
assert (zone_presence["subscribers"].to_numpy() == _ref["subscribers"].to_numpy()).all()
""",
        ),
        md("Done: close the cluster so its cores go back to the hub."),
        code(CLOSE),
    ]


# A trainee who adds up the daily distinct counts (a subscriber counts once per day seen).
WRONG_SUM_OF_DAYS = {
    "q3-answer": "fortnight_subscribers = int(daily_subscribers.sum())",
}

# A trainee who dates events by the UTC day, not the local day of the published statistic.
WRONG_UTC_DAYS = {
    "q2-answer": """
    def _distinct_per_day(part):
        utc_day = part["timestamp"].dt.tz_convert("UTC").dt.date
        return part.groupby(utc_day)["subscriber"].nunique()


    daily_subscribers = events.map_partitions(_distinct_per_day).compute().sort_index()
    daily_subscribers = daily_subscribers.groupby(level=0).sum()
    """,
}
