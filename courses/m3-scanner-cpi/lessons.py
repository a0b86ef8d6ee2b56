"""Module 3's lessons: their cell builders and the code snippets they share.

Loaded by make_notebooks.py (which puts courses/ on ``sys.path``) with ``nbcells.sibling``.
"""

from __future__ import annotations

from nbcells import code, md, opening

DOMAIN = "scanner"
IMPORTS = ["import numpy as np", "import pandas as pd"]
PARAMETERS = """
coicop = "01.2.1.1"  # the elementary aggregate studied (ECOICOP subclass; coffee)
"""

UNIT_VALUES = """
tx = read_entry("scanner_transactions", catalog_path)
tx["month"] = pd.to_datetime(tx["week_start"]).dt.strftime("%Y-%m")
uv = tx.groupby(["coicop", "month", "gtin"], as_index=False)[["turnover", "quantity"]].sum()
uv["price"] = uv["turnover"] / uv["quantity"]
cls = uv[uv["coicop"] == coicop]
months = sorted(cls["month"].unique())
KW = {"period": "month", "product": "gtin"}
n_gtins = cls["gtin"].nunique()
print(f"{coicop}: {n_gtins} GTINs, {len(months)} months ({months[0]} to {months[-1]})")
"""


def lesson_bilateral() -> list:
    return [
        md("""
        # Lesson 3.1 — From transactions to unit values and bilateral price indices

        **You will learn** to turn scanner transactions into monthly unit values, to compute the
        classic bilateral indices (Jevons, Laspeyres, Paasche, Fisher, Törnqvist) with the trusted
        library `ungp_methods.prices`, and to see what direct and chained comparisons gain and lose.

        Scanner data record, for each store, product (GTIN) and week, the quantity sold and the
        turnover. A CPI compares *prices*, so we first need one price per product and month.
        """),
        *opening(DOMAIN, IMPORTS, PARAMETERS),
        md("""
        ## Unit values

        The unit value of a GTIN in a month is its total turnover divided by its total quantity,
        over stores and weeks (Eurostat 2022, section 3.2): it averages promotions and store
        differences with the right weights, and `unit value × quantity = turnover` holds exactly.
        """),
        code(UNIT_VALUES),
        code('cls.pivot(index="gtin", columns="month", values="price").iloc[:8, :6].round(2)'),
        md("""
        ## Bilateral indices between the first and the last month

        A bilateral index compares two periods on the products sold in **both** (matched).
        Jevons ignores quantities; Laspeyres weights with the base period's basket, Paasche with
        the current one; Fisher and Törnqvist are *superlative*: they use both periods' weights
        and approximate a cost-of-living index (CPI Manual 2020, chapter 6).
        """),
        code("""
        from ungp_methods.prices import BILATERAL_FORMULAS, bilateral_index, bilateral_series

        first, last = months[0], months[-1]
        direct = pd.Series(
            {m: bilateral_index(cls, first, last, m, **KW) for m in BILATERAL_FORMULAS},
            name=f"{last} vs {first}",
        )
        direct.round(4)
        """),
        md("""
        Usually Laspeyres > Fisher > Paasche: buyers shift towards products that got relatively
        cheaper (substitution), so base weights overstate and current weights understate the
        change. Here Laspeyres minus Paasche is computed, not assumed:
        """),
        code("""
        spread = direct["laspeyres"] - direct["paasche"]
        print(f"Laspeyres - Paasche = {spread:+.4f} index points")
        """),
        md("""
        ## Direct or chained?

        A *direct* index compares every month with the first one, so it can only use products
        already sold in the first month. A *chained* index multiplies month-to-month links, each
        on the products of two adjacent months, and so follows new products.
        """),
        code("""
        products = cls.groupby("month")["gtin"].apply(set)
        still = [len(products[m] & products[first]) / len(products[m]) for m in months]
        print(f"in {last}, only {still[-1]:.0%} of the GTINs sold were already sold in {first}")
        series = pd.DataFrame(
            {
                "tornqvist_direct": bilateral_series(cls, "tornqvist", **KW),
                "tornqvist_chained": bilateral_series(cls, "tornqvist", chained=True, **KW),
                "jevons_chained": bilateral_series(cls, "jevons", chained=True, **KW),
            }
        )
        series.plot(figsize=(9, 3), title=f"Bilateral indices, {coicop}");
        series.tail(3).round(4)
        """),
        md("""
        ### Exercise 1
        What share of the last month's turnover is on GTINs that were already sold in the first
        month? (This is the share a direct index can "see".)
        """),
        code(
            """
            base = set(cls.loc[cls["month"] == first, "gtin"])
            now = cls[cls["month"] == last]
            seen_share = now.loc[now["gtin"].isin(base), "turnover"].sum() / now["turnover"].sum()
            print(f"{seen_share:.1%} of {last}'s turnover is on GTINs sold in {first}")
            """,
            hidden=True,
        ),
        md("""
        ### Exercise 2
        Compute the Törnqvist index of the last month against the first by hand (mean of the two
        periods' expenditure shares as weights of the log price relatives) and compare it with
        the library.
        """),
        code(
            """
            a = cls[cls["month"] == first].set_index("gtin")
            b = cls[cls["month"] == last].set_index("gtin")
            both = a.index.intersection(b.index)
            a, b = a.loc[both], b.loc[both]
            share_a = a["turnover"] / a["turnover"].sum()
            share_b = b["turnover"] / b["turnover"].sum()
            weights = (share_a + share_b) / 2
            by_hand = np.exp((weights * np.log(b["price"] / a["price"])).sum())
            assert abs(by_hand - direct["tornqvist"]) < 1e-12
            print(f"by hand {by_hand:.6f} = library {direct['tornqvist']:.6f}")
            """,
            hidden=True,
        ),
        md("""
        ## References
        - ILO, IMF, OECD, Eurostat, UNECE, World Bank (2020), *Consumer Price Index Manual:
          Concepts and Methods*, chapters 6 and 8.
        - Eurostat (2022), *Guide on Multilateral Methods in the HICP*, sections 2-3.
        """),
    ]


def lesson_geks() -> list:
    return [
        md("""
        # Lesson 3.2 — Chain drift and the GEKS-Törnqvist multilateral index

        **You will learn** why chained superlative indices drift on scanner data, how GEKS
        removes the drift by using every month as a link, and how to check an implementation
        against a published test set and against a planted truth.
        """),
        *opening(DOMAIN, IMPORTS, PARAMETERS),
        code(UNIT_VALUES),
        md("""
        ## Chain drift

        Promotions make prices dip and quantities spike for a week or two. A chained weighted
        index records the dip with the spike's heavy weight and the recovery with a normal
        weight, so it does not come back to where it started: *chain drift* (Ivancic, Diewert
        and Fox 2011). Weekly data show it best.
        """),
        code("""
        from ungp_methods.prices import bilateral_series, multilateral_index

        weekly = tx[tx["coicop"] == coicop].groupby(["week_start", "gtin"], as_index=False)[
            ["turnover", "quantity"]
        ].sum()
        weekly["price"] = weekly["turnover"] / weekly["quantity"]
        WK = {"period": "week_start", "product": "gtin"}
        drift = pd.DataFrame(
            {
                "tornqvist_chained": bilateral_series(weekly, "tornqvist", chained=True, **WK),
                "geks_tornqvist": multilateral_index(weekly, "geks_tornqvist", window=None, **WK),
            }
        )
        drift.plot(figsize=(9, 3), title=f"Weekly indices, {coicop}");
        ratio = drift["tornqvist_chained"].iloc[-1] / drift["geks_tornqvist"].iloc[-1]
        print(f"after {len(drift)} weeks the chained index is {ratio - 1:+.1%} off the GEKS index")
        """),
        md("""
        ## GEKS

        GEKS (Gini 1931; Eltetö-Köves 1964; Szulc 1964) compares month $t$ with month $0$ through
        every month $l$ of the window and takes the geometric mean:

        $$P_{GEKS}^{0,t} = \\prod_{l=1}^{T} \\left(P^{0,l} \\, P^{l,t}\\right)^{1/T}$$

        With Törnqvist as $P$ it is GEKS-Törnqvist (also called CCDI). It is *transitive*: the
        result does not depend on the path, so it cannot drift within the window. By hand, from
        the matrix of all bilateral Törnqvist indices:
        """),
        code("""
        from ungp_methods.prices import bilateral_matrix, build_panel

        panel = build_panel(cls, **KW)
        P = bilateral_matrix(panel, "tornqvist")  # P[s, t]: month t against base month s
        by_hand = np.exp(np.mean(np.log(P[0][:, None] * P), axis=0))
        library = multilateral_index(cls, "geks_tornqvist", window=None, **KW)
        print("largest difference, by hand vs library:", np.abs(by_hand - library.values).max())
        """),
        md("""
        ## Checking the method against a published test set

        The catalogue holds the PriceIndexCalc test set (MIT licence): an input panel and the
        expected output of each method. A trusted method must reproduce it.
        """),
        code("""
        ref_in = read_entry("scanner_price_indices_reference_input", catalog_path)
        ref_out = read_entry("scanner_price_indices_reference_expected", catalog_path)
        expected = ref_out[ref_out["method_extension"] == "geks_tornqvist_pure"]
        ours = multilateral_index(ref_in, "geks_tornqvist", window=None, group="group")
        check = expected.merge(ours.reset_index(), on=["group", "month"], suffixes=("_pub", ""))
        gap = (check["index_value"] - check["index_value_pub"]).abs().max()
        print(f"{len(check)} published values, largest difference {gap:.1e}")
        """),
        md("""
        ## Checking against the planted truth

        The simulation drew a latent price level per subclass (`scanner_price_level_truth`).
        No unit value index matches it exactly: relaunches hide price increases (lesson 3.3)
        and product churn changes the matched sets. The table gives each index's mean absolute
        gap from the truth per subclass; look at it before you trust any single method.
        """),
        code("""
        truth = read_entry("scanner_price_level_truth", catalog_path)
        truth["month"] = pd.to_datetime(truth["week_start"]).dt.strftime("%Y-%m")
        level = truth.groupby(["coicop", "month"])["price_level"].mean()
        level = level / level.groupby(level=0).transform("first")
        KWG = {**KW, "group": "coicop"}
        compare = pd.DataFrame(
            {
                "truth": level,
                "tornqvist_chained": bilateral_series(uv, "tornqvist", chained=True, **KWG),
                "geks_tornqvist": multilateral_index(uv, "geks_tornqvist", window=None, **KWG),
            }
        )
        errors = compare.drop(columns="truth").sub(compare["truth"], axis=0).abs()
        errors.groupby(level="coicop").mean().round(4)
        """),
        md("""
        ### Exercise 1
        Compute GEKS-Fisher for the subclass and report the largest absolute difference from
        GEKS-Törnqvist. (Both are superlative, so they should be close.)
        """),
        code(
            """
            fisher = multilateral_index(cls, "geks_fisher", window=None, **KW)
            print(f"largest |GEKS-F - GEKS-T| = {(fisher - library).abs().max():.5f}")
            """,
            hidden=True,
        ),
        md("""
        ### Exercise 2
        Which subclass has the largest weekly chain drift (chained Törnqvist / GEKS-Törnqvist
        at the last week)?
        """),
        code(
            """
            wk_all = tx.groupby(["coicop", "week_start", "gtin"], as_index=False)[
                ["turnover", "quantity"]
            ].sum()
            wk_all["price"] = wk_all["turnover"] / wk_all["quantity"]
            WKG = {**WK, "group": "coicop"}
            chained = bilateral_series(wk_all, "tornqvist", chained=True, **WKG)
            geks_w = multilateral_index(wk_all, "geks_tornqvist", window=None, **WKG)
            end = (chained / geks_w).groupby(level="coicop").last()
            print(end.round(3).to_dict(), "-> largest drift:", (end - 1).abs().idxmax())
            """,
            hidden=True,
        ),
        md("""
        ## References
        - L. Ivancic, W. E. Diewert and K. J. Fox (2011), "Scanner data, time aggregation and the
          construction of price indexes", *Journal of Econometrics* 161(1), 24-35.
        - Eurostat (2022), *Guide on Multilateral Methods in the HICP*, section 4 (GEKS).
        - PriceIndexCalc test data, U. Kayani (MIT licence), catalogue entries
          `scanner_price_indices_reference_*`.
        """),
    ]


def lesson_splicing() -> list:
    return [
        md("""
        # Lesson 3.3 — Rolling windows and splicing: publishing without revisions

        **You will learn** why a CPI cannot use one ever-growing GEKS window, how a 13-month
        rolling window is extended by a *splice*, how the splice choices differ, and what
        product relaunches do to any matched-model index.
        """),
        *opening(DOMAIN, IMPORTS[1:], PARAMETERS),  # no numpy in this lesson
        code(UNIT_VALUES),
        md("""
        ## Adding a month revises the past

        GEKS over months 1-13 and GEKS over months 1-14 give different values for month 13:
        the extra month is a new link. A published CPI is never revised, so statistical offices
        compute over a rolling window and splice the new movement onto the published series.
        """),
        code("""
        from ungp_methods.prices import SPLICES, multilateral_index

        W = 13
        first_w = multilateral_index(cls[cls["month"].isin(months[:W])], window=None, **KW)
        longer = multilateral_index(cls[cls["month"].isin(months[: W + 1])], window=None, **KW)
        revision = longer.iloc[W - 1] / first_w.iloc[W - 1] - 1
        print(f"adding {months[W]} revises {months[W - 1]} by {revision:+.3%}")
        """),
        md("""
        ## Splices

        Each month the window moves forward; the new window's index is linked to the published
        series. `movement` links on the previous month, `window` on the window's first month,
        `half` on its middle, `mean` on the geometric mean of all overlap months (Diewert and Fox
        2017; the ABS choice), `fbew` keeps a fixed base (Chessa 2016). See the docstring of
        `ungp_methods.prices.splicing` for the formulas.
        """),
        code("""
        pure = multilateral_index(cls, "geks_tornqvist", window=None, **KW)
        spliced = pd.DataFrame(
            {s: multilateral_index(cls, window=W, splice=s, **KW) for s in SPLICES}
        )
        spliced["pure (revised)"] = pure
        spliced.plot(figsize=(9, 3), title=f"GEKS-Törnqvist, {W}-month window, {coicop}");
        spliced.tail(3).round(4)
        """),
        md("""
        The library reproduces the published spliced values of the PriceIndexCalc test set:
        """),
        code("""
        ref_in = read_entry("scanner_price_indices_reference_input", catalog_path)
        ref_out = read_entry("scanner_price_indices_reference_expected", catalog_path)
        for splice in ["movement", "wisp", "mean_pub", "fbew"]:
            pub = ref_out[ref_out["method_extension"] == f"geks_tornqvist_{splice}"]
            ours = multilateral_index(ref_in, "geks_tornqvist", 13, splice, group="group")
            both = pub.merge(ours.reset_index(), on=["group", "month"], suffixes=("_pub", ""))
            gap = (both["index_value"] - both["index_value_pub"]).abs().max()
            print(f"{splice:9s} {len(both)} values, largest difference {gap:.1e}")
        """),
        md("""
        ## Relaunches: the blind spot of matched models

        A relaunch sells the same product under a new GTIN, often with a higher price or a
        smaller pack. A matched-model index never compares the old and new GTIN, so the hidden
        increase is missed. The catalogue plants them (`scanner_relaunch_truth`).
        """),
        code("""
        relaunches = read_entry("scanner_relaunch_truth", catalog_path)
        products = read_entry("scanner_products", catalog_path)
        relaunches = relaunches.merge(
            products[["gtin", "coicop"]], left_on="old_gtin", right_on="gtin"
        )
        size_factor = relaunches["old_package_size"] / relaunches["new_package_size"]
        relaunches["hidden_increase"] = relaunches["price_factor"] * size_factor - 1
        relaunches.groupby("coicop")["hidden_increase"].agg(["count", "mean"]).round(3)
        """),
        md("""
        ### Exercise 1
        Which splice ends closest to the (revised) pure index in the last month?
        """),
        code(
            """
            last_gap = (spliced[list(SPLICES)].iloc[-1] - pure.iloc[-1]).abs()
            print(last_gap.round(5).to_dict(), "-> closest:", last_gap.idxmin())
            """,
            hidden=True,
        ),
        md("""
        ### Exercise 2
        For the relaunches in this subclass: in which month does each new GTIN first sell, and
        how much of the hidden increase is in the package size rather than the price?
        """),
        code(
            """
            mine = relaunches[relaunches["coicop"] == coicop].copy()
            starts = cls.groupby("gtin")["month"].min()
            mine["first_month_new"] = mine["new_gtin"].map(starts)
            mine["size_part"] = mine["old_package_size"] / mine["new_package_size"] - 1
            mine[["old_gtin", "new_gtin", "first_month_new", "price_factor", "size_part"]]
            """,
            hidden=True,
        ),
        md("""
        ## References
        - J. de Haan and H. van der Grient (2011), "Eliminating chain drift in price indexes
          based on scanner data", *Journal of Econometrics* 161(1), 36-46.
        - A. Chessa (2016), "A new methodology for processing scanner data in the Dutch CPI",
          *Eurona* 1/2016, 49-69.
        - W. E. Diewert and K. J. Fox (2017), "Substitution bias in multilateral methods for CPI
          construction using scanner data", UBC discussion paper 17-02.
        - Australian Bureau of Statistics (2017), *An implementation plan to maximise the use of
          transactions data in the CPI*, 6401.0.60.004.
        """),
    ]
