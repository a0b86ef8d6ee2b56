"""Module 3's graded assignment: its builder, constants, hidden tests and the kept wrong
submissions.

Loaded by make_notebooks.py (which puts courses/ on ``sys.path``) with ``nbcells.sibling``.
"""

from __future__ import annotations

from nbcells import code, readonly, solution, tests

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
