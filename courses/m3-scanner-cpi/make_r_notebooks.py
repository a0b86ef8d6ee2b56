"""Module 3's assignment in R: unit values, Törnqvist, GEKS-Törnqvist and a chained index
for coffee, computed in R. Called by make_notebooks.py (so the committed-notebooks test covers
it); run alone with ``python courses/m3-scanner-cpi/make_r_notebooks.py``.

Hidden tests compute the same indices with Python's ``ungp_methods.prices`` on the same
catalogue data (through ``ungp::ungp_py``) and require agreement to 1e-9.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from nbcells import code, readonly, solution, tests, write_assignment  # noqa: E402
from nbcells_r import r_notebook  # noqa: E402

ASSIGNMENT = "m3_scanner_index_r"
NOTEBOOK = "scanner_index.ipynb"
COICOP = "01.2.1.1"  # coffee

SETUP = f"""
library(ungp)

tx <- ungp_read("scanner_transactions")
COICOP <- "{COICOP}"  # coffee
"""

Q1_SOLUTION = """
monthly_unit_values <- function(tx, coicop) {
  # One row per month ("YYYY-MM") and GTIN of the subclass: month, gtin, price, quantity.
  ### BEGIN SOLUTION
  part <- tx[tx$coicop == coicop, ]
  part$month <- format(as.Date(part$week_start), "%Y-%m")
  out <- aggregate(cbind(turnover, quantity) ~ month + gtin, data = part, FUN = sum)
  out$price <- out$turnover / out$quantity
  out <- out[order(out$month, out$gtin), c("month", "gtin", "price", "quantity")]
  rownames(out) <- NULL
  out
  ### END SOLUTION
}

uv <- monthly_unit_values(tx, COICOP)
"""

Q2_SOLUTION = """
tornqvist <- function(p0, q0, p1, q1) {
  # Törnqvist index of period 1 against period 0 on the GTINs sold in both periods.
  ### BEGIN SOLUTION
  matched <- intersect(names(p0), names(p1))
  p0 <- p0[matched]
  q0 <- q0[matched]
  p1 <- p1[matched]
  q1 <- q1[matched]
  s0 <- p0 * q0 / sum(p0 * q0)
  s1 <- p1 * q1 / sum(p1 * q1)
  exp(sum(0.5 * (s0 + s1) * log(p1 / p0)))
  ### END SOLUTION
}

by_month <- split(uv, uv$month)
MONTHS <- sort(names(by_month))
prices <- function(part) setNames(part$price, part$gtin)
quantities <- function(part) setNames(part$quantity, part$gtin)
pair <- function(a, b) {
  x <- by_month[[a]]
  y <- by_month[[b]]
  tornqvist(prices(x), quantities(x), prices(y), quantities(y))
}
direct <- sapply(MONTHS, function(m) pair(MONTHS[1], m))
"""

Q3_SOLUTION = """
geks_tornqvist <- function(months) {
  # Pure GEKS-Törnqvist of every month against the first, from pair(a, b).
  ### BEGIN SOLUTION
  first <- months[1]
  sapply(months, function(m) {
    exp(mean(sapply(months, function(link) log(pair(first, link) * pair(link, m)))))
  })
  ### END SOLUTION
}

geks <- geks_tornqvist(MONTHS)
"""

Q4_SOLUTION = """
### BEGIN SOLUTION
links <- c(1, mapply(pair, head(MONTHS, -1), MONTHS[-1]))
chained <- setNames(cumprod(links), MONTHS)
### END SOLUTION
"""

# The trusted reference: the Python assignment's unit values and ungp_methods.prices.
REFERENCE_PY = f"""
import json
import pandas as pd
from ungp_catalogs import read_entry
from ungp_methods.prices import bilateral_series, multilateral_index

tx = read_entry("scanner_transactions")
part = tx[tx["coicop"] == "{COICOP}"]
part = part.assign(month=pd.to_datetime(part["week_start"]).dt.strftime("%Y-%m"))
uv = part.groupby(["month", "gtin"], as_index=False)[["turnover", "quantity"]].sum()
uv["price"] = uv["turnover"] / uv["quantity"]
kw = {{"period": "month", "product": "gtin"}}
"""

UV_REFERENCE = (
    '.ref <- ungp::ungp_py(r"-('
    + REFERENCE_PY
    + 'print(json.dumps(uv.to_dict(orient="records")))\n)-")\n'
)


def reference(name: str, python: str) -> str:
    """R code that sets `.ref` (a named numeric vector by month) from Python's `python`."""
    return (
        f'.ref <- unlist(ungp::ungp_py(r"-({REFERENCE_PY}{python}\n'
        f'print(json.dumps({{str(k): float(v) for k, v in {name}.items()}}))\n)-"))\n'
    )


AGREE = """
stopifnot(all(names(.ref) %in% names({name})))
stopifnot(max(abs({name}[names(.ref)] / .ref - 1)) < 1e-9)
"""


def assignment() -> list:
    return [
        readonly(
            "intro",
            """
        # Assignment 3 (R) — A scanner-data price index for coffee

        The R version of assignment 3. You will compute a price index for one elementary
        aggregate (ECOICOP 01.2.1.1, coffee) from the catalogue's scanner transactions, the
        way a statistical office does: monthly unit values, a bilateral Törnqvist index, a
        multilateral GEKS-Törnqvist index and a chained Törnqvist index, all in R.

        Complete each cell marked `YOUR CODE HERE`. Visible tests check the shape of your
        results; hidden tests, run at grading, compare your numbers with the trusted Python
        library `ungp_methods.prices` on the same data (tolerance 1e-9).
        **Restart the kernel and run all cells before you submit.**
        """,
        ),
        code(SETUP),
        readonly(
            "q1-text",
            """
        ## Question 1 (2 points) — monthly unit values
        Write `monthly_unit_values(tx, coicop)`: a `data.frame` with one row per month
        (`"YYYY-MM"` from `week_start`) and GTIN of the subclass, with columns
        `month, gtin, price, quantity`, where `price` is the unit value (total turnover /
        total quantity over stores and weeks).
        """,
        ),
        solution("q1-answer", Q1_SOLUTION),
        tests(
            "q1-visible",
            1,
            """
        stopifnot(identical(names(uv), c("month", "gtin", "price", "quantity")))
        stopifnot(!anyDuplicated(uv[c("month", "gtin")]))
        stopifnot(all(uv$price > 0), all(uv$quantity > 0))
        stopifnot(all(uv$gtin %in% tx$gtin[tx$coicop == COICOP]))
        """,
        ),
        tests(
            "q1-hidden",
            1,
            "# Hidden tests compare your unit values with the trusted ones.",
            UV_REFERENCE
            + """
.ref <- .ref[order(.ref$month, .ref$gtin), ]
.mine <- uv[order(uv$month, uv$gtin), ]
stopifnot(nrow(.mine) == nrow(.ref))
stopifnot(identical(.mine$month, .ref$month), all(.mine$gtin == .ref$gtin))
stopifnot(max(abs(.mine$price / .ref$price - 1)) < 1e-9)
stopifnot(max(abs(.mine$quantity / .ref$quantity - 1)) < 1e-9)
""",
        ),
        readonly(
            "q2-text",
            """
        ## Question 2 (3 points) — the Törnqvist index
        Write `tornqvist(p0, q0, p1, q1)` for prices and quantities given as numeric vectors
        named by GTIN. Use only the GTINs sold in both periods; weight each log price relative
        by the mean of its expenditure shares in the two periods (shares computed over the
        matched GTINs). The cell then computes `direct`: each month against the first month.
        """,
        ),
        solution("q2-answer", Q2_SOLUTION),
        tests(
            "q2-visible",
            1,
            """
        .p <- c(a = 2, b = 3, c = 5)
        .q <- c(a = 10, b = 4, c = 1)
        stopifnot(abs(tornqvist(.p, .q, .p, .q) - 1) < 1e-12)  # identity
        stopifnot(abs(tornqvist(.p, .q, 1.1 * .p, 2 * .q) - 1.1) < 1e-12)  # proportionality
        .p1 <- c(1.1 * .p, d = 9)
        .q1 <- c(.q, d = 100)
        stopifnot(abs(tornqvist(.p, .q, .p1, .q1) - 1.1) < 1e-12)  # only matched GTINs
        stopifnot(direct[[1]] == 1, length(direct) == length(unique(uv$month)))
        """,
        ),
        tests(
            "q2-hidden",
            2,
            "# Hidden tests compare `direct` with ungp_methods.prices.",
            reference("ref", 'ref = bilateral_series(uv, "tornqvist", chained=False, **kw)')
            + AGREE.format(name="direct"),
        ),
        readonly(
            "q3-text",
            """
        ## Question 3 (3 points) — GEKS-Törnqvist
        Write `geks_tornqvist(months)` returning the pure GEKS-Törnqvist index of every month
        against the first, using `pair(a, b)` (your Törnqvist of month b against month a):
        $P^{0,t} = \\prod_{l} (P^{0,l} P^{l,t})^{1/T}$ over all $T$ months $l$.
        """,
        ),
        solution("q3-answer", Q3_SOLUTION),
        tests(
            "q3-visible",
            1,
            """
        stopifnot(abs(geks[[1]] - 1) < 1e-12)
        stopifnot(identical(names(geks), MONTHS))
        stopifnot(all(geks > 0.5 & geks < 2))
        """,
        ),
        tests(
            "q3-hidden",
            2,
            "# Hidden tests compare `geks` with ungp_methods.prices.",
            reference("ref", 'ref = multilateral_index(uv, "geks_tornqvist", window=None, **kw)')
            + AGREE.format(name="geks"),
        ),
        readonly(
            "q4-text",
            """
        ## Question 4 (2 points) — the chained Törnqvist and its drift
        Compute `chained`: the month-to-month Törnqvist indices chained (multiplied) from the
        first month, a numeric vector named by month. Compare it with `geks`: the gap is the
        chain drift that multilateral methods remove.
        """,
        ),
        solution("q4-answer", Q4_SOLUTION),
        tests(
            "q4-visible",
            1,
            """
        stopifnot(identical(names(chained), MONTHS), chained[[1]] == 1)
        stopifnot(abs(chained[[2]] - direct[[2]]) < 1e-12)  # one link: chained = direct
        summary(chained / geks)
        """,
        ),
        tests(
            "q4-hidden",
            1,
            "# Hidden tests compare `chained` with ungp_methods.prices.",
            reference("ref", 'ref = bilateral_series(uv, "tornqvist", chained=True, **kw)')
            + AGREE.format(name="chained"),
        ),
    ]


# A trainee who writes Laspeyres where the Törnqvist was asked (questions 2-4 follow it).
WRONG_LASPEYRES = {
    "q2-answer": Q2_SOLUTION.replace(
        Q2_SOLUTION[Q2_SOLUTION.index("  ### BEGIN") : Q2_SOLUTION.index("}\n\nby_month")],
        """  matched <- intersect(names(p0), names(p1))
  sum(p1[matched] * q0[matched]) / sum(p0[matched] * q0[matched])
""",
    ),
}


def main(out: Path) -> list[Path]:
    reference = r_notebook(assignment())
    return write_assignment(out, ASSIGNMENT, NOTEBOOK, reference, {"laspeyres": WRONG_LASPEYRES})


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    main(parser.parse_args().out)
