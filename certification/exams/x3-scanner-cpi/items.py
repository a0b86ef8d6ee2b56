"""Items of the CPI exam: a candidate-specific price table and question per item.

The hub calls ``generate(item_id, rng)`` with a random generator seeded from
HMAC(exam secret, exam, candidate, attempt, item), so every candidate gets other products,
prices, quantities and months; ``reference`` computes the answer on the server with the
trusted ``ungp_methods`` at grading time (never stored in the notebook).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from ungp_hub.certification import exam_source

MONTHS = ("2026-01", "2026-02", "2026-03", "2026-04", "2026-05")
COLUMNS = ("month", "id", "price", "quantity")
CATEGORIES = ("coffee", "tea", "breakfast cereals", "pasta", "olive oil", "yoghurt", "rice")


def _table(rng: np.random.Generator, months: int, weighted: bool) -> list[list[Any]]:
    """Rows [month, id, price, quantity]; some products are not sold in some months."""
    products = int(rng.integers(6, 10))
    start = rng.uniform(1.5, 12.0, products)
    drift = rng.normal(0.01, 0.05, (months, products)).cumsum(axis=0)
    prices = np.round(start * np.exp(drift - drift[0]), 2)
    quantities = rng.integers(20, 400, (months, products))
    missing = rng.random((months, products)) < 0.12
    missing[0, :] = False  # every product is sold in the first month
    rows = []
    for m in range(months):
        for p in range(products):
            if missing[m, p]:
                continue
            quantity = int(quantities[m, p]) if weighted else 1
            rows.append([MONTHS[m], f"P{p + 1:02d}", float(prices[m, p]), quantity])
    return rows


def _two_months(rng: np.random.Generator, months: int) -> tuple[str, str]:
    base, current = sorted(rng.choice(months, size=2, replace=False))
    return MONTHS[int(base)], MONTHS[int(current)]


def generate(item_id: str, rng: np.random.Generator) -> dict[str, Any]:
    """The item's parameters (JSON-serialisable); the same rng state gives the same item."""
    category = str(rng.choice(CATEGORIES))
    if item_id == "q1":
        base, current = _two_months(rng, 4)
        return {
            "category": category,
            "base": base,
            "current": current,
            "rows": _table(rng, 4, weighted=False),
        }
    if item_id == "q2":
        base, current = _two_months(rng, 4)
        return {
            "category": category,
            "base": base,
            "current": current,
            "rows": _table(rng, 4, weighted=True),
        }
    if item_id == "q3":
        months = int(rng.integers(4, 6))
        return {
            "category": category,
            "rows": _table(rng, months, weighted=False),
            "last": MONTHS[months - 1],
        }
    raise KeyError(f"no item {item_id!r} in this exam")


def statement(item_id: str, params: dict[str, Any]) -> str:
    """The question as the candidate reads it (Markdown)."""
    name = f"tables['{item_id}']"
    if item_id == "q1":
        return (
            f"**Question 1 (3 points).** `{name}` holds monthly prices of {params['category']}. "
            f"Compute the **Jevons** index of month `{params['current']}` relative to month "
            f"`{params['base']}` on the products sold in both months, and store it as a float "
            "in `q1`."
        )
    if item_id == "q2":
        return (
            f"**Question 2 (4 points).** `{name}` holds monthly prices and quantities of "
            f"{params['category']}. Compute the **Törnqvist** index of month "
            f"`{params['current']}` relative to month `{params['base']}` on the matched "
            "products (expenditure shares recomputed over them), and store it in `q2`."
        )
    if item_id == "q3":
        return (
            f"**Question 3 (3 points).** `{name}` holds monthly prices of {params['category']}. "
            f"Compute the **chained Jevons** index of month `{params['last']}` relative to the "
            "first month: the product of month-to-month Jevons links, each on the products "
            "sold in both adjacent months. Store it in `q3`."
        )
    raise KeyError(item_id)


def frame(params: dict[str, Any]) -> pd.DataFrame:
    return exam_source.frame(params, COLUMNS)


def reference(item_id: str, params: dict[str, Any]) -> float:
    """The correct answer, computed with the trusted methods library."""
    from ungp_methods.prices import bilateral_index, bilateral_series

    table = frame(params)
    if item_id == "q1":
        return bilateral_index(table, params["base"], params["current"], "jevons")
    if item_id == "q2":
        return bilateral_index(table, params["base"], params["current"], "tornqvist")
    if item_id == "q3":
        return float(bilateral_series(table, "jevons", chained=True).iloc[-1])
    raise KeyError(item_id)


def setup_code(params: dict[str, dict[str, Any]]) -> str:
    """The locked first code cell: the candidate's tables and the question parameters."""
    return exam_source.data_cell(
        params, dict.fromkeys(params, COLUMNS), scalars=("base", "current", "last")
    )
