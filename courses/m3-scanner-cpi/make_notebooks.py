"""Build module 3's notebooks: lessons, the nbgrader source notebook and kept submissions.

Run ``python courses/m3-scanner-cpi/make_notebooks.py`` after editing; commit the .ipynb files
it writes (a test checks they match this script).
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from nbcells import (  # noqa: E402
    code,
    main,
    md,
    parameters,
    readonly,
    solution,
    tests,
)

PARAMETERS = """
scale = "small"  # data scale the lesson was written for: small | medium | large
catalog_path = None  # None: $UNGP_CATALOG, else /srv/data/catalog.yaml
coicop = "01.2.1.1"  # the elementary aggregate studied (ECOICOP subclass; coffee)
"""

OPEN = """
import numpy as np
import pandas as pd
from ungp_catalogs import open_catalog, read_entry

cat = open_catalog(catalog_path)
data_scale = cat.scanner.metadata["scale"]
if data_scale != scale:
    print(f"Note: this catalogue holds {data_scale!r} data; the lesson was written for {scale!r}.")
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
        parameters(PARAMETERS),
        code(OPEN),
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
        parameters(PARAMETERS),
        code(OPEN),
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
        parameters(PARAMETERS),
        code(OPEN.replace("import numpy as np\n", "")),
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


ASSIGNMENT = "m3_scanner_index"
NOTEBOOK = "scanner_index.ipynb"

Q1_SOLUTION = '''
def monthly_unit_values(tx: pd.DataFrame, coicop: str) -> pd.DataFrame:
    """One row per month ("YYYY-MM") and GTIN of the subclass: month, gtin, price, quantity."""
    ### BEGIN SOLUTION
    part = tx[tx["coicop"] == coicop]
    part = part.assign(month=pd.to_datetime(part["week_start"]).dt.strftime("%Y-%m"))
    out = part.groupby(["month", "gtin"], as_index=False)[["turnover", "quantity"]].sum()
    out["price"] = out["turnover"] / out["quantity"]
    return out[["month", "gtin", "price", "quantity"]]
    ### END SOLUTION


uv = monthly_unit_values(tx, COICOP)
'''

Q2_SOLUTION = '''
def tornqvist(p0: pd.Series, q0: pd.Series, p1: pd.Series, q1: pd.Series) -> float:
    """Törnqvist index of period 1 against period 0 on the GTINs sold in both periods."""
    ### BEGIN SOLUTION
    matched = p0.index.intersection(p1.index)
    p0, q0, p1, q1 = (s.loc[matched] for s in (p0, q0, p1, q1))
    s0 = p0 * q0 / (p0 * q0).sum()
    s1 = p1 * q1 / (p1 * q1).sum()
    return float(np.exp((0.5 * (s0 + s1) * np.log(p1 / p0)).sum()))
    ### END SOLUTION


by_month = {m: part.set_index("gtin") for m, part in uv.groupby("month")}
MONTHS = sorted(by_month)
base = by_month[MONTHS[0]]
direct = pd.Series(
    {m: tornqvist(base["price"], base["quantity"], g["price"], g["quantity"])
     for m, g in by_month.items()}
).sort_index()
'''

Q3_SOLUTION = '''
def geks_tornqvist(by_month: dict) -> pd.Series:
    """Pure GEKS-Törnqvist over all months of ``by_month`` (month -> table indexed by gtin)."""
    ### BEGIN SOLUTION
    months = sorted(by_month)

    def t(a, b):
        x, y = by_month[a], by_month[b]
        return tornqvist(x["price"], x["quantity"], y["price"], y["quantity"])

    first = months[0]
    values = {
        m: float(np.exp(np.mean([np.log(t(first, link) * t(link, m)) for link in months])))
        for m in months
    }
    return pd.Series(values).sort_index()
    ### END SOLUTION


geks = geks_tornqvist(by_month)
'''

Q4_SOLUTION = """
from ungp_methods.prices import multilateral_index

### BEGIN SOLUTION
published = multilateral_index(
    uv, "geks_tornqvist", window=13, splice="mean", period="month", product="gtin"
)
### END SOLUTION
"""

SETUP = """
import numpy as np
import pandas as pd
from ungp_catalogs import read_entry

tx = read_entry("scanner_transactions")
COICOP = "01.2.1.1"  # coffee
"""

HIDDEN_UV = """
_part = tx[tx["coicop"] == COICOP]
_part = _part.assign(month=pd.to_datetime(_part["week_start"]).dt.strftime("%Y-%m"))
_uv = _part.groupby(["month", "gtin"], as_index=False)[["turnover", "quantity"]].sum()
_uv["price"] = _uv["turnover"] / _uv["quantity"]
_KW = {"period": "month", "product": "gtin"}
"""


def assignment() -> list:
    return [
        readonly(
            "intro",
            """
        # Assignment 3 — A scanner-data price index for coffee

        You will compute a price index for one elementary aggregate (ECOICOP 01.2.1.1, coffee)
        from the catalogue's scanner transactions, the way a statistical office does:
        monthly unit values, a bilateral Törnqvist index, a multilateral GEKS-Törnqvist index and
        a 13-month rolling window extended with the **mean splice**.

        Complete each cell marked `YOUR CODE HERE`. Visible tests check the shape of your
        results; hidden tests, run at grading, compare your numbers with the trusted library
        `ungp_methods.prices` on the same data (tolerance 1e-9). Questions 2 and 3 must be
        computed with your own code, not with the library.
        **Restart the kernel and run all cells before you submit.**
        """,
        ),
        code(SETUP),
        readonly(
            "q1-text",
            """
        ## Question 1 (2 points) — monthly unit values
        Write `monthly_unit_values(tx, coicop)`: one row per month (`"YYYY-MM"` from
        `week_start`) and GTIN of the subclass, with columns `month, gtin, price, quantity`,
        where `price` is the unit value (total turnover / total quantity over stores and weeks).
        """,
        ),
        solution("q1-answer", Q1_SOLUTION),
        tests(
            "q1-visible",
            1,
            """
        assert list(uv.columns) == ["month", "gtin", "price", "quantity"]
        assert not uv.duplicated(["month", "gtin"]).any()
        assert (uv["price"] > 0).all() and (uv["quantity"] > 0).all()
        assert set(uv["gtin"]) <= set(tx.loc[tx["coicop"] == COICOP, "gtin"])
        """,
        ),
        tests(
            "q1-hidden",
            1,
            "# Hidden tests compare your unit values with the totals.",
            HIDDEN_UV
            + """
_mine = uv.set_index(["month", "gtin"]).sort_index()
_ref = _uv.set_index(["month", "gtin"]).sort_index()
assert _mine.index.equals(_ref.index)
np.testing.assert_allclose(_mine["price"], _ref["price"], rtol=1e-9)
np.testing.assert_allclose(_mine["quantity"], _ref["quantity"], rtol=1e-9)
""",
        ),
        readonly(
            "q2-text",
            """
        ## Question 2 (3 points) — the Törnqvist index
        Write `tornqvist(p0, q0, p1, q1)` for prices and quantities given as Series indexed by
        GTIN. Use only the GTINs sold in both periods; weight each log price relative by the
        mean of its expenditure shares in the two periods (shares computed over the matched
        GTINs). The cell then computes `direct`: each month against the first month.
        """,
        ),
        solution("q2-answer", Q2_SOLUTION),
        tests(
            "q2-visible",
            1,
            """
        _p = pd.Series({"a": 2.0, "b": 3.0, "c": 5.0})
        _q = pd.Series({"a": 10.0, "b": 4.0, "c": 1.0})
        assert abs(tornqvist(_p, _q, _p, _q) - 1) < 1e-12  # identity
        assert abs(tornqvist(_p, _q, 1.1 * _p, 2 * _q) - 1.1) < 1e-12  # proportionality
        _p1 = pd.concat([1.1 * _p, pd.Series({"d": 9.0})])
        _q1 = pd.concat([_q, pd.Series({"d": 100.0})])
        assert abs(tornqvist(_p, _q, _p1, _q1) - 1.1) < 1e-12  # only matched GTINs count
        assert direct.iloc[0] == 1 and len(direct) == uv["month"].nunique()
        """,
        ),
        tests(
            "q2-hidden",
            2,
            "# Hidden tests compare `direct` with ungp_methods.prices.",
            HIDDEN_UV
            + """
from ungp_methods.prices import bilateral_series

_ref = bilateral_series(_uv, "tornqvist", chained=False, **_KW)
np.testing.assert_allclose(direct.loc[_ref.index].to_numpy(), _ref.to_numpy(), rtol=1e-9)
""",
        ),
        readonly(
            "q3-text",
            """
        ## Question 3 (3 points) — GEKS-Törnqvist
        Write `geks_tornqvist(by_month)` returning the pure GEKS-Törnqvist index of every month
        against the first, using your `tornqvist` for every pair of months:
        $P^{0,t} = \\prod_{l} (P^{0,l} P^{l,t})^{1/T}$ over all $T$ months $l$.
        """,
        ),
        solution("q3-answer", Q3_SOLUTION),
        tests(
            "q3-visible",
            1,
            """
        assert abs(geks.iloc[0] - 1) < 1e-12
        assert list(geks.index) == MONTHS
        assert geks.between(0.5, 2).all()
        """,
        ),
        tests(
            "q3-hidden",
            2,
            "# Hidden tests compare `geks` with ungp_methods.prices.",
            HIDDEN_UV
            + """
from ungp_methods.prices import multilateral_index

_ref = multilateral_index(_uv, "geks_tornqvist", window=None, **_KW)
np.testing.assert_allclose(geks.loc[_ref.index].to_numpy(), _ref.to_numpy(), rtol=1e-9)
""",
        ),
        readonly(
            "q4-text",
            """
        ## Question 4 (2 points) — publishing with a rolling window
        With `ungp_methods.prices.multilateral_index`, compute `published`: GEKS-Törnqvist over
        a 13-month rolling window, extended with the **mean** splice, on your unit values.
        """,
        ),
        solution("q4-answer", Q4_SOLUTION),
        tests(
            "q4-visible",
            1,
            """
        assert len(published) == len(MONTHS) and abs(published.iloc[0] - 1) < 1e-12
        # within the first window the spliced index is the pure index over that window
        _first = multilateral_index(uv[uv["month"].isin(MONTHS[:13])], "geks_tornqvist",
                                    window=None, period="month", product="gtin")
        np.testing.assert_allclose(published.iloc[:13].to_numpy(), _first.to_numpy(), rtol=1e-9)
        """,
        ),
        tests(
            "q4-hidden",
            1,
            "# Hidden tests compare `published` with ungp_methods.prices.",
            HIDDEN_UV
            + """
_ref = multilateral_index(_uv, "geks_tornqvist", window=13, splice="mean", **_KW)
np.testing.assert_allclose(published.loc[_ref.index].to_numpy(), _ref.to_numpy(), rtol=1e-9)
""",
        ),
    ]


# A trainee who writes Laspeyres where the Törnqvist was asked (questions 2 and 3 follow).
WRONG_LASPEYRES = {
    "q2-answer": Q2_SOLUTION.replace(
        """    ### BEGIN SOLUTION
    matched = p0.index.intersection(p1.index)
    p0, q0, p1, q1 = (s.loc[matched] for s in (p0, q0, p1, q1))
    s0 = p0 * q0 / (p0 * q0).sum()
    s1 = p1 * q1 / (p1 * q1).sum()
    return float(np.exp((0.5 * (s0 + s1) * np.log(p1 / p0)).sum()))
    ### END SOLUTION
""",
        """    matched = p0.index.intersection(p1.index)
    return float((p1[matched] * q0[matched]).sum() / (p0[matched] * q0[matched]).sum())
""",
    ),
}

# A trainee who splices on the last month (movement) instead of the mean splice.
WRONG_MOVEMENT = {
    "q4-answer": """
    from ungp_methods.prices import multilateral_index

    published = multilateral_index(
        uv, "geks_tornqvist", window=13, splice="movement", period="month", product="gtin"
    )
    """,
}


if __name__ == "__main__":
    main(
        __file__,
        lessons={
            "01-unit-values-and-bilateral-indices.ipynb": lesson_bilateral,
            "02-chain-drift-and-geks.ipynb": lesson_geks,
            "03-rolling-windows-and-splicing.ipynb": lesson_splicing,
        },
        assignment=ASSIGNMENT,
        notebook_name=NOTEBOOK,
        source=assignment,
        wrong={
            "laspeyres": WRONG_LASPEYRES,
            "movement_splice": WRONG_MOVEMENT,
        },
    )
    # The R version of the assignment: its own script, same --out (not formatted by ruff).
    runpy.run_path(str(Path(__file__).with_name("make_r_notebooks.py")), run_name="__main__")
