"""Module 1's lessons: their cell builders and the code snippets they share.

Loaded by make_notebooks.py (which puts courses/ on ``sys.path``) with ``nbcells.sibling``.
"""

from __future__ import annotations

from nbcells import code, md, opening

DOMAIN = "ais"
IMPORTS = []
PARAMETERS = """
n_workers = 2  # Dask workers to ask for (the hub caps this at your group's limit)
"""

CLOSE = """
client.close()
cluster.close()  # give the cores back: on the hub other trainees are waiting for them
"""


def lesson_partitions() -> list:
    return [
        md("""
        # Lesson 1.1 — Clusters, partitions and lazy evaluation

        **You will learn** when a table is too big for pandas, how to get a Dask cluster on
        the hub (and on your own computer), how Dask cuts a table into *partitions*, and why
        nothing is computed until you ask for a result.

        pandas holds a whole table in the memory of one process. A year of AIS position
        reports for a region, or a month of mobile network events for a country, is tens or
        hundreds of gigabytes: more than a notebook's few gigabytes of memory. Dask splits
        the table into many ordinary pandas tables (partitions), plans the computation as a
        graph of small tasks, and runs those tasks on workers, several partitions at a time.
        """),
        *opening(DOMAIN, IMPORTS, PARAMETERS),
        md("""
        ## How big is the data?

        The catalogue knows each entry's files, their size on disk and their rows before
        anything is read. Parquet is compressed: in memory a table takes several times its
        size on disk.
        """),
        code("""
        from ungp_catalogs import catalog_location
        from ungp_catalogs.catalog_files import find_entry

        entry = find_entry(catalog_location(catalog_path), "ais_pings")
        files = [f for f in entry.files if f.get("kind", "data") == "data"]
        on_disk = sum(f["bytes"] for f in files)
        rows = sum(f["rows"] for f in files)
        print(f"ais_pings at {data_scale!r} scale: {len(files)} files, {rows:,} rows, "
              f"{on_disk / 1e6:.1f} MB on disk")
        """),
        md("""
        ## Getting a cluster

        On the hub, the **Dask Gateway** starts schedulers and workers for you, as containers
        with their own cores and memory, within your group's limits (see the hub's
        documentation, *Dask clusters for every user*). The hub gives every notebook the
        gateway's address in environment variables (`DASK_GATEWAY__ADDRESS`, ...), which
        Dask's configuration reads, so `Gateway()` needs no arguments. Elsewhere (your
        laptop, a workshop without the gateway, the course tests) a `LocalCluster` runs the
        workers on this machine, here as threads of the notebook's kernel: the code that
        follows is the same.
        """),
        code("""
        import dask.config
        from dask.distributed import LocalCluster

        gateway_address = dask.config.get("gateway.address", default=None)
        if gateway_address:
            from dask_gateway import Gateway

            gateway = Gateway()  # address and hub login come from the environment
            cluster = gateway.new_cluster(worker_cores=1)
            cluster.scale(n_workers)
        else:
            # threads in this kernel: starts in a second; processes=True to try memory limits
            cluster = LocalCluster(
                n_workers=n_workers, threads_per_worker=1, processes=False, dashboard_address=":0"
            )
        client = cluster.get_client()
        client.wait_for_workers(1, timeout=180)
        print(f"{type(cluster).__name__}: {len(client.scheduler_info()['workers'])} workers")
        print("dashboard:", cluster.dashboard_link)
        """),
        md("""
        Open the dashboard link in a new tab and keep it next to the notebook: every task
        below appears there as it runs. `ungp_methods.bigdata.open_cluster(n_workers)` does
        exactly what the cell above does; the next lesson and the assignment use it.

        ## Partitions

        `ungp_methods.bigdata.entry_frame` reads a catalogue entry as a Dask DataFrame with
        **one partition per file**. The catalogue stores AIS reports one file per day, so a
        partition is a day. Each worker checks a file's sha256 against the catalogue before
        reading it, as `read_entry` does in the notebook.
        """),
        code("""
        from ungp_methods.bigdata import entry_files, entry_frame

        pings = entry_frame("ais_pings", catalog_path)
        print(f"{pings.npartitions} partitions, one per file:")
        for path in entry_files("ais_pings", catalog_path):
            print("  ", path.parent.name)
        pings
        """),
        md("""
        The table above shows column names and types but no values: Dask read only the
        files' schema. `pings` is a *recipe*, not data.

        ## Lazy evaluation

        Operations on a Dask DataFrame add steps to the recipe (the task graph). `compute()`
        runs the graph on the cluster and returns an ordinary pandas object; use it on
        *results* (a count, a table per port), never on the raw data at `large` scale.
        """),
        code("""
        fast = pings[pings["sog"] > 10]  # instant: nothing is read
        n_tasks = len(fast.__dask_graph__())
        print(f"the recipe for 'fast' has {n_tasks} tasks over {fast.npartitions} partitions")
        n_fast = len(fast)  # len() computes: every partition is read and filtered
        print(f"{n_fast:,} reports at more than 10 knots")
        """),
        md("""
        Check the same number with pandas on the whole table (fine at `small` scale; at
        `large` scale this is the cell that would run out of memory):
        """),
        code("""
        whole = read_entry("ais_pings", catalog_path)
        assert n_fast == int((whole["sog"] > 10).sum())
        print(f"pandas agrees: {int((whole['sog'] > 10).sum()):,}")
        """),
        md("""
        Every `compute()` reads the files again. When you will ask several questions of the
        same data, `persist()` reads it once and keeps the partitions **in the workers'
        memory** (not the notebook's): the cluster's memory, which you can scale, is what has
        to be big enough.
        """),
        code("""
        pings = pings.persist()
        bytes_per_partition = pings.map_partitions(
            lambda part: part.memory_usage(deep=True).sum()
        ).compute()
        in_memory = int(bytes_per_partition.sum())
        largest = bytes_per_partition.max()
        print(f"in workers' memory: {in_memory / 1e6:.1f} MB for {on_disk / 1e6:.1f} MB on disk "
              f"({in_memory / on_disk:.1f} x); largest partition {largest / 1e6:.1f} MB")
        """),
        md("""
        A partition must fit comfortably in one worker's memory (a rule of thumb: under a
        tenth of it, since a task holds its input, its output and temporary copies). A day of
        AIS at `large` scale does; a year in one file would not.

        ### Exercise
        Count the reports per vessel (`mmsi`) with Dask and check the result against pandas.
        Which vessel reports most often?
        """),
        code(
            """
        per_vessel = pings.groupby("mmsi").size().compute()
        assert per_vessel.sort_index().equals(whole.groupby("mmsi").size().sort_index())
        busiest = per_vessel.idxmax()
        print(f"{len(per_vessel)} vessels; MMSI {busiest} sent {per_vessel[busiest]:,} reports")
        """,
            hidden=True,
        ),
        md("""
        ## Summary
        - A cluster comes from the Dask Gateway on the hub and from `LocalCluster` elsewhere;
          the rest of the code does not change. Close it when done.
        - A Dask DataFrame is a list of pandas partitions (here one per file, one per day) and
          a recipe; `compute()` runs it and returns pandas, `persist()` keeps data on workers.
        - Check a Dask result against pandas on `small` data before running it on `large`.
        """),
        code(CLOSE),
    ]


def lesson_groupby() -> list:
    return [
        md("""
        # Lesson 1.2 — Group-by and aggregations at scale: mobile network events

        **You will learn** which aggregations Dask computes partition by partition and then
        combines (sums, counts, means), which need all of a group's rows in one place
        (distinct counts, medians), and how a partitioning that matches the question (one file
        per day) makes a methods-library function run unchanged on each partition.

        Data: the catalogue's `mobile_events` (one row per call, SMS or data session of a
        pseudonymous subscriber, one file per local day) and `mobile_cells` (which zone each
        radio cell serves).
        """),
        *opening(DOMAIN, IMPORTS, PARAMETERS),
        code("""
        import pandas as pd
        from ungp_methods.bigdata import entry_frame, open_cluster

        cluster = open_cluster(n_workers)
        client = cluster.get_client()
        client.wait_for_workers(1, timeout=180)
        print(type(cluster).__name__, cluster.dashboard_link)
        """),
        md("""
        Read only the columns you need (`columns=`): Parquet stores columns separately, so
        the others are never read from disk. The cells table is small: it stays a pandas
        table, and `merge` sends it to every partition (a *broadcast* join, no shuffle).
        """),
        code("""
        events = entry_frame(
            "mobile_events", catalog_path, columns=["subscriber", "timestamp", "cell_id"]
        )
        cells = read_entry("mobile_cells", catalog_path)[["cell_id", "zone"]]
        events = events.merge(cells, on="cell_id", how="left").persist()
        print(f"{events.npartitions} partitions (days), {len(events):,} events")
        """),
        md("""
        ## Aggregations that combine

        A count per zone is a sum of counts per partition: each worker counts its days, then
        the partial results are added up in a tree. Only small partial tables travel between
        workers. `sum`, `count`, `size`, `mean` (a sum and a count), `min`, `max` and `var`
        all work this way.
        """),
        code("""
        per_zone = events.groupby("zone").size().compute().sort_values(ascending=False)
        per_zone.head()
        """),
        md("""
        ## Distinct counts do not add up

        "How many distinct subscribers?" is the basic mobile phone indicator (a subscriber
        with 50 calls counts once). A subscriber seen on Monday and on Tuesday is one
        subscriber in the fortnight, but one in *each* day's count: so the fortnight's number
        is **not** the sum of the daily numbers. Dask's `nunique()` brings every subscriber id
        together (it removes duplicates within partitions, then across them).

        Because each partition holds exactly one local day, distinct subscribers *per day*
        can be counted partition by partition with plain pandas (`map_partitions`), with no
        data moving between workers.
        """),
        code("""
        def distinct_per_day(part: pd.DataFrame) -> pd.Series:
            return part.groupby(part["timestamp"].dt.date)["subscriber"].nunique()

        daily = events.map_partitions(distinct_per_day).compute().sort_index()
        fortnight = int(events["subscriber"].nunique().compute())
        print(f"distinct subscribers over {len(daily)} days: {fortnight:,}; "
              f"sum of the daily counts: {int(daily.sum()):,} "
              f"({daily.sum() / fortnight:.1f} x too many)")
        """),
        md("""
        `map_partitions` is exact here **only because** no day is split over two partitions
        (one file per day, checked below). If files were cut by size, a day could straddle
        two partitions and be counted twice; then group with `events.groupby(...)` and let
        Dask move the rows.
        """),
        code("""
        days_per_partition = events.map_partitions(
            lambda part: part["timestamp"].dt.date.nunique()
        ).compute()
        assert (days_per_partition == 1).all()
        assert daily.index.is_unique
        """),
        md("""
        ## A methods-library function on every partition

        The present population (distinct subscribers per zone and hour,
        `ungp_methods.mobile.presence_counts`) is a distinct count per hour. An hour lies in a
        single day, so the library function can run unchanged on each day's partition. Dask
        needs to know the result's columns and types in advance (`meta`) because it does not
        run the function until you compute.
        """),
        code("""
        from ungp_methods.mobile import presence_counts

        meta = {"area": "string", "slot": events["timestamp"].dtype, "subscribers": "int64"}
        presence = (
            events.map_partitions(presence_counts, area="zone", meta=meta)
            .compute()
            .sort_values(["area", "slot"], ignore_index=True)
        )
        busiest = presence.loc[presence["subscribers"].idxmax()]
        print(f"{len(presence):,} zone-hours; busiest: {busiest['area']} at {busiest['slot']} "
              f"with {busiest['subscribers']} subscribers")
        """),
        md("""
        ### Exercise
        Check `presence` against `presence_counts` on the whole table in pandas, and check
        `fortnight` against pandas too.
        """),
        code(
            """
        whole = read_entry("mobile_events", catalog_path).merge(cells, on="cell_id", how="left")
        reference = presence_counts(whole, area="zone")
        for column in ["area", "slot", "subscribers"]:
            mine, theirs = presence[column], reference[column]
            assert (mine.astype(str).to_numpy() == theirs.astype(str).to_numpy()).all(), column
        assert fortnight == whole["subscriber"].nunique()
        print("Dask and pandas agree")
        """,
            hidden=True,
        ),
        md("""
        ## When does a cluster pay off?

        Starting workers and moving tasks costs seconds. On `small` data pandas in the
        notebook is faster; the hub's benchmark (docs: *Dask clusters for every user*) found
        a 2-worker cluster 1.5 times faster than pandas on 20 million rows once warm, and
        slower on 2 million. Use Dask when the data does not fit the notebook's memory, or the
        computation is long; develop on `small`, then run the same notebook with
        `-p scale large`.

        ## Summary
        - Sums, counts and means combine partial results; distinct counts and medians need
          a group's rows together, or a partitioning that already keeps them together.
        - Distinct counts never add up across days, zones or operators.
        - `map_partitions(f, meta=...)` runs a pandas (or methods-library) function on each
          partition: exact when no group is split across partitions.
        """),
        code(CLOSE),
    ]
