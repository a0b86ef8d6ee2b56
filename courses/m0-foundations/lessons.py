"""Module 0's lessons: their cell builders and the code snippets they share.

Loaded by make_notebooks.py (which puts courses/ on ``sys.path``) with ``nbcells.sibling``.
"""

from __future__ import annotations

from nbcells import code, md, opening

DOMAIN = "scanner"
IMPORTS = ["import pandas as pd"]


def lesson_pandas() -> list:
    return [
        md("""
        # Lesson 0.1 — Jupyter and pandas on scanner data

        **You will learn** to run a notebook from top to bottom, to read a catalogue entry into a
        pandas `DataFrame`, and to select, aggregate and join tables.

        A notebook is a list of cells run by a *kernel* (a Python process). The kernel keeps the
        variables of every cell you have run, in the order you ran them, so a notebook that works
        only when cells are run in a special order is a trap. Before you trust a result:
        **Kernel → Restart Kernel and Run All Cells**.

        The next cell is tagged `parameters`: a tool such as
        [papermill](https://papermill.readthedocs.io) can run the notebook with other values
        (for example `scale = "large"` on a cluster) without editing it.
        """),
        *opening(DOMAIN, IMPORTS),
        md("""
        ## Reading data

        `read_entry(name)` finds an entry of the data catalogue, checks the sha256 of its files
        (lesson 0.2) and returns a `DataFrame`. Scanner data are the sales records of a retail
        chain: one row per store, product (GTIN) and week.
        """),
        code("""
        tx = read_entry("scanner_transactions", catalog_path)
        products = read_entry("scanner_products", catalog_path)
        tx.head()
        """),
        code("tx.dtypes"),
        code("""
        tx["week_start"] = pd.to_datetime(tx["week_start"])
        print(
            f"{len(tx):,} rows, {tx['gtin'].nunique()} GTINs, {tx['store_id'].nunique()} stores, "
            f"weeks {tx['week_start'].min():%Y-%m-%d} to {tx['week_start'].max():%Y-%m-%d}"
        )
        """),
        md("""
        ## Selecting, computing, aggregating

        A column is a `Series`; arithmetic on columns works row by row. The *unit value* of a row
        is what one item cost on average that week in that store.
        """),
        code("""
        tx["unit_value"] = tx["turnover"] / tx["quantity"]
        bread = tx[tx["coicop"] == "01.1.1.3"]
        bread[["week_start", "store_id", "gtin", "quantity", "turnover", "unit_value"]].head()
        """),
        md("`groupby` splits the table, applies a function to each part and combines the results:"),
        code("""
        by_class = (
            tx.groupby("coicop")
            .agg(
                turnover=("turnover", "sum"),
                quantity=("quantity", "sum"),
                gtins=("gtin", "nunique"),
            )
            .sort_values("turnover", ascending=False)
        )
        by_class
        """),
        md("""
        ## Joining tables

        Descriptions live in the product master. `merge` joins on a key column; `validate=`
        makes pandas fail loudly if the key is not unique where it should be.
        """),
        code("""
        top = (
            tx.groupby("gtin", as_index=False)["turnover"].sum()
            .nlargest(5, "turnover")
            .merge(products[["gtin", "description"]], on="gtin", how="left", validate="one_to_one")
        )
        top
        """),
        code("""
        weekly = tx.pivot_table(
            index="week_start", columns="coicop", values="turnover", aggfunc="sum"
        )
        weekly.plot(figsize=(9, 3), title="Weekly turnover by COICOP subclass");
        """),
        md("""
        ### Exercise 1
        Find the five GTINs with the largest **quantity** sold in 2023, with their description.
        Try it in a new cell first; the worked answer is in the collapsed cell below.
        """),
        code(
            """
            in_2023 = tx[tx["week_start"].dt.year == 2023]
            top_2023 = (
                in_2023.groupby("gtin", as_index=False)["quantity"].sum()
                .nlargest(5, "quantity")
                .merge(products[["gtin", "description"]], on="gtin", how="left")
            )
            assert top_2023["quantity"].is_monotonic_decreasing and len(top_2023) == 5
            top_2023
            """,
            hidden=True,
        ),
        md("""
        ### Exercise 2
        Compute each COICOP subclass's share of total turnover. The shares must add up to 1.
        """),
        code(
            """
            shares = tx.groupby("coicop")["turnover"].sum() / tx["turnover"].sum()
            assert abs(shares.sum() - 1) < 1e-12
            shares.sort_values(ascending=False).round(3)
            """,
            hidden=True,
        ),
        md("""
        ## References
        - pandas user guide, "Group by: split-apply-combine" and "Merge, join, concatenate"
          (https://pandas.pydata.org/docs/user_guide/).
        - W. McKinney (2022), *Python for Data Analysis*, 3rd ed., O'Reilly, chapters 5, 8 and 10.
        """),
    ]


def lesson_catalogue() -> list:
    return [
        md("""
        # Lesson 0.2 — The data catalogue: provenance, licences and checksums

        **You will learn** what the hub's catalogue records about each data set, how to read it,
        and how checksums protect you from computing on damaged or altered files.

        The catalogue is an [Intake](https://intake.readthedocs.io) catalogue: YAML files that
        describe every *entry* (a data set) — its title, provenance, licence, method notes,
        variables with units, and the sha256 of each of its files.
        """),
        *opening(DOMAIN, IMPORTS),
        code("""
        from pathlib import Path

        from ungp_catalogs import catalog_location

        root = catalog_location(catalog_path)
        rows = []
        for domain in cat:
            for name in cat[domain]:
                meta = cat[domain][name].metadata
                rows.append(
                    {"domain": domain, "entry": name, "role": meta["role"],
                     "licence": meta["licence"], "rows": meta.get("rows"), "title": meta["title"]}
                )
        entries = pd.DataFrame(rows)
        print(f"{len(entries)} entries in {entries['domain'].nunique()} domains, read from {root}")
        entries
        """),
        md("""
        ## What an entry says about itself

        *Provenance* says where the data come from (here: a seeded generator, so anyone can
        rebuild them); *method notes* say how they were made; *variables* give units and
        meanings. Read them before you compute.
        """),
        code("""
        entry = cat.scanner.scanner_transactions
        meta = entry.metadata
        print("licence:", meta["licence"], "| version:", meta["version"])
        print("provenance:", meta["provenance"])
        print("method notes:", meta["method_notes"])
        pd.DataFrame(meta["variables"])
        """),
        md("""
        ## Checksums

        A sha256 checksum is a 64-hex-digit fingerprint of a file's bytes: change one bit and it
        changes completely (FIPS 180-4). The catalogue stores one per file; recomputing it tells
        you whether the file you read is the file that was published.
        """),
        code("""
        import hashlib

        base = Path(meta["catalog_dir"])
        for record in meta["files"]:
            digest = hashlib.sha256((base / record["path"]).read_bytes()).hexdigest()
            print(record["path"], "OK" if digest == record["sha256"] else "MISMATCH", digest[:16])
        """),
        md("""
        `read_entry` and `entry.read()` do this check for you before returning data. Let us damage
        one byte of a **copy** of the catalogue and watch the reader refuse it.
        """),
        code("""
        import shutil
        import tempfile

        from ungp_catalogs.errors import ChecksumMismatch

        copy = Path(tempfile.mkdtemp()) / "data"
        shutil.copytree(root.parent, copy)
        victim = copy / "scanner" / meta["files"][0]["path"]
        damaged = bytearray(victim.read_bytes())
        damaged[len(damaged) // 2] ^= 0xFF
        victim.write_bytes(bytes(damaged))
        try:
            read_entry("scanner_transactions", copy)
            refused = False
        except ChecksumMismatch as err:
            refused = True
            print(err)
        assert refused
        shutil.rmtree(copy.parent)
        """),
        md("""
        ## Roles: data, truth, benchmark, reference

        *Truth* entries hold what the simulation planted (the real port calls, the real price
        level): use them to check that a method recovers the truth, never as input to an
        estimate. *Benchmarks* play the part of official statistics for coherence checks.
        """),
        code("""
        truths = {
            name: cat[d][name].metadata.get("truth_of")
            for d in cat for name in cat[d] if cat[d][name].metadata["role"] == "truth"
        }
        truths
        """),
        md("""
        ### Exercise 1
        Which entries have a licence other than CC-BY-4.0, and what is their provenance?
        """),
        code(
            """
            other = entries[entries["licence"] != "CC-BY-4.0"]
            for d, name in zip(other["domain"], other["entry"], strict=True):
                m = cat[d][name].metadata
                print(name, "|", m["licence"], "|", m["provenance"])
            """,
            hidden=True,
        ),
        md("""
        ### Exercise 2
        Verify by hand, with `hashlib`, the file of the `ais_ports` entry.
        """),
        code(
            """
            ports_meta = cat.ais.ais_ports.metadata
            record = ports_meta["files"][0]
            digest = hashlib.sha256((Path(ports_meta["catalog_dir"]) / record["path"]).read_bytes())
            assert digest.hexdigest() == record["sha256"]
            print("ais_ports verified:", record["path"])
            """,
            hidden=True,
        ),
        md("""
        ## References
        - M. D. Wilkinson et al. (2016), "The FAIR Guiding Principles for scientific data
          management and stewardship", *Scientific Data* 3, 160018.
        - NIST (2015), FIPS 180-4, *Secure Hash Standard*.
        - Intake documentation, "Catalogs" (https://intake.readthedocs.io).
        """),
    ]
