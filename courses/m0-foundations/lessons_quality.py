"""Module 0's lesson 0.3 (data quality and reproducibility): its cell builder.

The module's shared snippets (domain, imports, parameters) are in lessons.py; both are loaded
by make_notebooks.py with ``nbcells.sibling``.
"""

from __future__ import annotations

from nbcells import code, md, opening, sibling

shared = sibling(__file__, "lessons")


def lesson_quality() -> list:
    return [
        md("""
        # Lesson 0.3 — Quality and reproducibility: coherence, interpretability, repeatability

        **You will learn** three quality checks to run on any new data source before it feeds an
        official statistic, following the UN National Quality Assurance Frameworks Manual (2019)
        and the European Statistics Code of Practice (principles 14-15):

        - **coherence**: the source agrees with itself and with other statistics;
        - **interpretability**: every variable, unit and method is documented;
        - **repeatability**: the same inputs and code give the same numbers, byte for byte.
        """),
        *opening(shared.DOMAIN, shared.IMPORTS),
        code("""
        tx = read_entry("scanner_transactions", catalog_path)
        products = read_entry("scanner_products", catalog_path)
        cpi = read_entry("benchmark_cpi_monthly", catalog_path)
        """),
        md("""
        ## Coherence inside the source

        Every GTIN sold should be in the product master, with the same COICOP subclass, and the
        number of rows should be the one the catalogue recorded.
        """),
        code("""
        joined = tx.merge(
            products[["gtin", "coicop"]], on="gtin", how="left",
            suffixes=("", "_master"), indicator=True,
        )
        unknown = int((joined["_merge"] == "left_only").sum())
        mismatched = int((joined["coicop"] != joined["coicop_master"]).sum())
        expected_rows = cat.scanner.scanner_transactions.metadata["rows"]
        print(f"unknown GTINs: {unknown} rows; COICOP disagreements: {mismatched} rows; "
              f"rows {len(tx):,} vs catalogue {expected_rows:,}")
        """),
        md("""
        ## Coherence with official statistics

        A crude check: monthly unit values per GTIN, a chained Jevons index per subclass
        (module 3 explains why a CPI needs better), compared with the official CPI benchmark
        month by month. Big, systematic gaps would need explaining before publication.
        """),
        code("""
        from ungp_methods.prices import bilateral_series

        tx["month"] = pd.to_datetime(tx["week_start"]).dt.strftime("%Y-%m")
        uv = tx.groupby(["coicop", "month", "gtin"], as_index=False)[["turnover", "quantity"]].sum()
        uv["price"] = uv["turnover"] / uv["quantity"]
        jevons = bilateral_series(
            uv, "jevons", chained=True, period="month", product="gtin", group="coicop"
        ).reset_index()
        cpi["month"] = pd.to_datetime(cpi["month"]).dt.strftime("%Y-%m")
        both = jevons.merge(cpi[["coicop", "month", "index", "label"]], on=["coicop", "month"])
        both["scanner_mm"] = both.groupby("coicop")["index_value"].pct_change()
        both["cpi_mm"] = both.groupby("coicop")["index"].pct_change()
        coherence = both.dropna().groupby("label").apply(
            lambda g: pd.Series({
                "months": len(g),
                "correlation": g["scanner_mm"].corr(g["cpi_mm"]),
                "mean_abs_gap_pp": 100 * (g["scanner_mm"] - g["cpi_mm"]).abs().mean(),
            }),
            include_groups=False,
        )
        coherence.round(3)
        """),
        md("""
        ## Interpretability

        Can a reader who never met the producer understand each variable? Audit the catalogue:
        every variable needs a unit and a description, every entry method notes and a licence.
        """),
        code("""
        audit = []
        for d in cat:
            for name in cat[d]:
                m = cat[d][name].metadata
                variables = m.get("variables", [])
                audit.append({
                    "entry": name,
                    "variables": len(variables),
                    "undocumented": sum(
                        1 for v in variables if not v.get("unit") or not v.get("description")
                    ),
                    "method_notes": bool(m.get("method_notes")),
                    "licence": bool(m.get("licence")),
                })
        audit = pd.DataFrame(audit)
        print("entries with an undocumented variable:", int((audit["undocumented"] > 0).sum()))
        audit
        """),
        md("""
        ## Repeatability

        Two things must repeat: the *data* (the catalogue is built by seeded code, so a rebuild
        gives the same bytes) and the *computation* (same inputs, same code, same result). A
        fingerprint of a result — a hash of its content — makes "the same" checkable.
        """),
        code("""
        import hashlib
        import tempfile
        from pathlib import Path

        from ungp_catalogs.build import build_catalog


        def fingerprint(df: pd.DataFrame) -> str:
            ordered = df.sort_values(list(df.columns)).reset_index(drop=True)
            rows = pd.util.hash_pandas_object(ordered, index=False)
            return hashlib.sha256(rows.values.tobytes()).hexdigest()


        print("Jevons result:", fingerprint(jevons)[:16], "| recomputed on shuffled rows:",
              fingerprint(jevons.sample(frac=1, random_state=1))[:16])

        rebuilt = Path(tempfile.mkdtemp()) / "data"
        seed = cat.scanner.metadata["seed"]
        build_catalog(rebuilt, scale=data_scale, seed=seed, domains=["scanner"])
        rebuilt_cat = open_catalog(rebuilt)
        same = all(
            a["sha256"] == b["sha256"]
            for a, b in zip(
                cat.scanner.scanner_transactions.metadata["files"],
                rebuilt_cat.scanner.scanner_transactions.metadata["files"],
                strict=True,
            )
        )
        print("rebuilt scanner_transactions identical:", same)
        """),
        md("""
        ### Exercise 1
        Show that `fingerprint` changes when a single turnover value changes by one cent.
        """),
        code(
            """
            altered = uv.copy()
            altered.loc[altered.index[0], "turnover"] += 0.01
            assert fingerprint(altered) != fingerprint(uv)
            """,
            hidden=True,
        ),
        md("""
        ### Exercise 2
        Which subclass shows the weakest coherence with the CPI (lowest correlation)? Look at its
        product churn: how many GTINs enter or leave during the period?
        """),
        code(
            """
            weakest = coherence["correlation"].idxmin()
            code_ = both.loc[both["label"] == weakest, "coicop"].iloc[0]
            life = uv[uv["coicop"] == code_].groupby("gtin")["month"].agg(["min", "max"])
            print(weakest, "| GTINs:", len(life), "| entering after the first month:",
                  int((life["min"] > uv["month"].min()).sum()),
                  "| leaving before the last month:", int((life["max"] < uv["month"].max()).sum()))
            """,
            hidden=True,
        ),
        md("""
        ## References
        - United Nations (2019), *United Nations National Quality Assurance Frameworks Manual for
          Official Statistics*, Studies in Methods, Series M No. 100.
        - Eurostat (2017), *European Statistics Code of Practice*, principles 14 (coherence and
          comparability) and 15 (accessibility and clarity).
        - G. Wilson et al. (2017), "Good enough practices in scientific computing",
          *PLoS Comput. Biol.* 13(6): e1005510.
        """),
    ]
