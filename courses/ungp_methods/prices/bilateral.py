"""Bilateral price indices: compare two periods on the products sold in both.

Matching rule (used everywhere in this package): a product enters the comparison of a base
period and a current period only if it has a price in *both* periods. Expenditure shares of
the weighted formulas are recomputed over those matched products, so they sum to 1. A product
with a zero quantity is matched but carries no weight. If two periods share no product the
index is undefined (NaN).

The formulas accept arrays whose last axis is the product axis and NaN for "not sold", so the
same code compares one pair of periods or one base period against many current periods at
once (that is how the GEKS matrix is filled).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Literal

import numpy as np
import pandas as pd

from .panel import PriceDataError, PricePanel, build_panel

BilateralMethod = Literal["jevons", "dutot", "carli", "laspeyres", "paasche", "fisher", "tornqvist"]
Formula = Callable[[np.ndarray, np.ndarray, np.ndarray, np.ndarray], np.ndarray]


def _matched(p0: np.ndarray, p1: np.ndarray) -> np.ndarray:
    return ~np.isnan(p0) & ~np.isnan(p1)


def _msum(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    return np.where(mask, values, 0.0).sum(axis=-1)


def _safe_divide(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def _log_relatives(p0: np.ndarray, p1: np.ndarray, mask: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(mask, np.log(np.where(mask, p1 / p0, 1.0)), 0.0)


def jevons(
    p0: np.ndarray, p1: np.ndarray, q0: np.ndarray | None = None, q1: np.ndarray | None = None
) -> np.ndarray:
    """Geometric mean of price relatives (unweighted; the HICP default for elementary data)."""
    mask = _matched(p0, p1)
    return np.exp(_safe_divide(_log_relatives(p0, p1, mask).sum(axis=-1), mask.sum(axis=-1)))


def dutot(
    p0: np.ndarray, p1: np.ndarray, q0: np.ndarray | None = None, q1: np.ndarray | None = None
) -> np.ndarray:
    """Ratio of average prices; only sensible for homogeneous products."""
    mask = _matched(p0, p1)
    return _safe_divide(_msum(p1, mask), _msum(p0, mask))


def carli(
    p0: np.ndarray, p1: np.ndarray, q0: np.ndarray | None = None, q1: np.ndarray | None = None
) -> np.ndarray:
    """Arithmetic mean of price relatives; fails time reversal and drifts upward when chained."""
    mask = _matched(p0, p1)
    with np.errstate(invalid="ignore"):
        rel = np.where(mask, p1 / np.where(mask, p0, 1.0), 0.0)
    return _safe_divide(rel.sum(axis=-1), mask.sum(axis=-1))


def laspeyres(p0: np.ndarray, p1: np.ndarray, q0: np.ndarray, q1: np.ndarray) -> np.ndarray:
    """Base-period quantities valued at both periods' prices."""
    mask = _matched(p0, p1)
    return _safe_divide(_msum(p1 * q0, mask), _msum(p0 * q0, mask))


def paasche(p0: np.ndarray, p1: np.ndarray, q0: np.ndarray, q1: np.ndarray) -> np.ndarray:
    """Current-period quantities valued at both periods' prices."""
    mask = _matched(p0, p1)
    return _safe_divide(_msum(p1 * q1, mask), _msum(p0 * q1, mask))


def fisher(p0: np.ndarray, p1: np.ndarray, q0: np.ndarray, q1: np.ndarray) -> np.ndarray:
    """Geometric mean of Laspeyres and Paasche: superlative and time-reversible."""
    return np.sqrt(laspeyres(p0, p1, q0, q1) * paasche(p0, p1, q0, q1))


def tornqvist(p0: np.ndarray, p1: np.ndarray, q0: np.ndarray, q1: np.ndarray) -> np.ndarray:
    """Log relatives weighted by the average of both periods' expenditure shares."""
    mask = _matched(p0, p1)
    e0 = np.where(mask, p0 * q0, 0.0)
    e1 = np.where(mask, p1 * q1, 0.0)
    s0 = _safe_divide(e0, e0.sum(axis=-1, keepdims=True))
    s1 = _safe_divide(e1, e1.sum(axis=-1, keepdims=True))
    weights = 0.5 * (s0 + s1)
    return np.exp((weights * _log_relatives(p0, p1, mask)).sum(axis=-1))


BILATERAL_FORMULAS: dict[str, Formula] = {
    "jevons": jevons,
    "dutot": dutot,
    "carli": carli,
    "laspeyres": laspeyres,
    "paasche": paasche,
    "fisher": fisher,
    "tornqvist": tornqvist,
}


def get_formula(method: str) -> Formula:
    """Look a formula up by name, with an error that lists the valid names."""
    try:
        return BILATERAL_FORMULAS[method.lower()]
    except KeyError:
        raise PriceDataError(
            f"unknown bilateral method {method!r}; choose one of {sorted(BILATERAL_FORMULAS)}."
        ) from None


def bilateral_matrix(panel: PricePanel, method: str) -> np.ndarray:
    """All pairwise indices: ``out[s, t]`` compares period t with base period s.

    One row per base period keeps memory at periods x products even for long panels.
    """
    formula = get_formula(method)
    n = len(panel.periods)
    out = np.empty((n, n))
    p, q = panel.prices, panel.quantities
    for s in range(n):
        out[s] = formula(p[s][None, :], p, q[s][None, :], q)
    return out


def _series_from_panel(panel: PricePanel, method: str, chained: bool) -> np.ndarray:
    formula = get_formula(method)
    p, q = panel.prices, panel.quantities
    if chained:
        links = formula(p[:-1], p[1:], q[:-1], q[1:])
        return np.concatenate([[1.0], np.cumprod(links)])
    return formula(p[0][None, :], p, q[0][None, :], q)


def bilateral_index(
    df: pd.DataFrame,
    base: Hashable,
    current: Hashable,
    method: BilateralMethod = "fisher",
    *,
    period: str = "month",
    product: str = "id",
    price: str = "price",
    quantity: str | None = "quantity",
) -> float:
    """Index of period ``current`` relative to period ``base`` on their matched products."""
    panel = build_panel(df, period=period, product=product, price=price, quantity=quantity)
    for label in (base, current):
        if label not in panel.periods:
            raise PriceDataError(f"period {label!r} is not in the {period!r} column.")
    s, t = panel.periods.get_loc(base), panel.periods.get_loc(current)
    q = panel.quantities
    value = get_formula(method)(panel.prices[s], panel.prices[t], q[s], q[t])
    return float(value)


def bilateral_series(
    df: pd.DataFrame,
    method: BilateralMethod = "fisher",
    *,
    chained: bool = False,
    period: str = "month",
    product: str = "id",
    price: str = "price",
    quantity: str | None = "quantity",
    group: str | None = None,
) -> pd.Series:
    """Index for every period, 1 at the first period.

    ``chained=False`` compares each period directly with the first one (fixed base: only
    products sold in the first period count). ``chained=True`` multiplies period-to-period
    links, each on the products matched in those two adjacent periods, which keeps new
    products but lets weighted indices drift. With ``group`` one series per group is returned,
    indexed by (group, period).
    """
    names = {"period": period, "product": product, "price": price, "quantity": quantity}

    def one(part: pd.DataFrame) -> pd.Series:
        panel = build_panel(part, **names)
        values = _series_from_panel(panel, method, chained)
        return pd.Series(values, index=panel.periods.rename(period), name="index_value")

    if group is None:
        return one(df)
    if group not in df:
        raise PriceDataError(f"group column {group!r} not found in {list(df.columns)}.")
    parts = {key: one(part) for key, part in df.groupby(group, sort=True)}
    return pd.concat(parts, names=[group, period]).rename("index_value")
