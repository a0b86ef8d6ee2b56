"""Items of the foundation exam: a candidate-specific transactions table per item.

``generate(item_id, rng)`` gets a generator seeded from HMAC(exam secret, exam, candidate,
attempt, item), so stores, subclasses, quantities and turnover differ between candidates;
``reference`` computes the answer on the server at grading time. The foundation module has
no method of its own in ``ungp_methods``: the reference is the plain pandas computation the
module teaches (unit value = total turnover / total quantity, coherent with the totals).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from ungp_hub.certification import exam_source

COLUMNS = ("date", "store", "coicop", "quantity", "turnover")
SUBCLASSES = ("01.1.1.1", "01.1.2.1", "01.1.4.1", "01.1.5.1", "01.1.7.1", "01.2.1.1")
MONTHS = ("2026-01", "2026-02", "2026-03", "2026-04")


def _transactions(rng: np.random.Generator, rows: int) -> list[list[Any]]:
    """Rows [date, store, coicop, quantity, turnover] of four months of till data."""
    subclasses = list(rng.choice(SUBCLASSES, size=3, replace=False))
    unit = {s: rng.uniform(0.8, 9.0) for s in subclasses}
    out = []
    for _ in range(rows):
        month = MONTHS[int(rng.integers(len(MONTHS)))]
        coicop = subclasses[int(rng.integers(3))]
        quantity = int(rng.integers(1, 60))
        price = unit[coicop] * rng.uniform(0.85, 1.2)
        out.append(
            [
                f"{month}-{int(rng.integers(1, 29)):02d}",
                f"S{int(rng.integers(1, 6))}",
                str(coicop),
                quantity,
                round(quantity * price, 2),
            ]
        )
    return out


def generate(item_id: str, rng: np.random.Generator) -> dict[str, Any]:
    """The item's parameters (JSON-serialisable); the same rng state gives the same item."""
    rows = _transactions(rng, int(rng.integers(40, 70)))
    if item_id == "q1":
        month = rows[int(rng.integers(len(rows)))][0][:7]
        coicop = next(r[2] for r in rows if r[0].startswith(month))
        return {"rows": rows, "month": month, "coicop": coicop}
    if item_id == "q2":
        # Damage a copy: repeated rows (a file loaded twice) and returns or keying errors.
        for i in rng.choice(len(rows), size=int(rng.integers(3, 8)), replace=False):
            rows.append(list(rows[int(i)]))
        for i in rng.choice(len(rows), size=int(rng.integers(2, 6)), replace=False):
            rows[int(i)][3] = -int(rng.integers(0, 4))
        order = rng.permutation(len(rows))
        return {"rows": [rows[int(i)] for i in order]}
    if item_id == "q3":
        base, current = sorted(int(m) for m in rng.choice(len(MONTHS), size=2, replace=False))
        return {"rows": rows, "base": MONTHS[base], "current": MONTHS[current]}
    raise KeyError(f"no item {item_id!r} in this exam")


def statement(item_id: str, params: dict[str, Any]) -> str:
    """The question as the candidate reads it (Markdown)."""
    name = f"tables['{item_id}']"
    if item_id == "q1":
        return (
            f"**Question 1 (3 points).** `{name}` holds till transactions (`date`, `store`, "
            "`coicop`, `quantity`, `turnover`). Compute the **unit value** of COICOP subclass "
            f"`{params['coicop']}` in month `{params['month']}` (`q1_coicop`, `q1_month`): "
            "its total turnover divided by its total quantity over all stores. Store it in `q1`."
        )
    if item_id == "q2":
        return (
            f"**Question 2 (3 points).** `{name}` is a damaged copy of a transactions file: some "
            "rows were loaded twice and some quantities are zero or negative. How many rows "
            "remain after removing **exact duplicate rows** (keeping the first) and then every "
            "row with a **quantity of zero or less**? Store the count in `q2`."
        )
    if item_id == "q3":
        return (
            f"**Question 3 (4 points).** From `{name}`, compute the **change in % of the total "
            f"turnover** (all stores and subclasses) from month `{params['base']}` to month "
            f"`{params['current']}` (`q3_base`, `q3_current`): 100 x (current / base - 1). "
            "Store it in `q3`."
        )
    raise KeyError(item_id)


def frame(params: dict[str, Any]) -> pd.DataFrame:
    table = exam_source.frame(params, COLUMNS)
    return table.assign(month=table["date"].str[:7])


def reference(item_id: str, params: dict[str, Any]) -> float:
    """The correct answer, computed on the server from the candidate's table."""
    table = frame(params)
    if item_id == "q1":
        cell = table[(table["month"] == params["month"]) & (table["coicop"] == params["coicop"])]
        return float(cell["turnover"].sum() / cell["quantity"].sum())
    if item_id == "q2":
        kept = table.drop(columns="month").drop_duplicates()
        return float((kept["quantity"] > 0).sum())
    if item_id == "q3":
        totals = table.groupby("month")["turnover"].sum()
        return float(100.0 * (totals[params["current"]] / totals[params["base"]] - 1.0))
    raise KeyError(item_id)


def setup_code(params: dict[str, dict[str, Any]]) -> str:
    """The locked first code cell: the candidate's tables and the question parameters."""
    return exam_source.data_cell(
        params, dict.fromkeys(params, COLUMNS), scalars=("month", "coicop", "base", "current")
    )
