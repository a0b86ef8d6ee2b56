"""One entry point for the multilateral indices: method, window and splice by name.

Scanner-data CPIs are computed per elementary aggregate (a product group), over a rolling
window, extended by a splice. :func:`multilateral_index` does exactly that from the long
table, so a course notebook needs one call per method to compare them.
"""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd

from .bilateral import BILATERAL_FORMULAS
from .gk import geary_khamis
from .multilateral import geks
from .panel import PriceDataError, build_panel
from .splicing import WindowIndex, rolling_index
from .tpd import time_product_dummy

_ALIASES = {
    "ccdi": "geks_tornqvist",
    "geks": "geks_tornqvist",
    "geks_t": "geks_tornqvist",
    "geks_f": "geks_fisher",
    "geks_j": "geks_jevons",
    "geary_khamis": "gk",
    "time_product_dummy": "tpd",
}

MULTILATERAL_METHODS: tuple[str, ...] = (
    *(f"geks_{name}" for name in BILATERAL_FORMULAS),
    "gk",
    "tpd",
    *_ALIASES,
)


def window_index_function(
    method: str, *, gk_solver: str = "matrix", gk_tol: float = 1e-12, gk_max_iter: int = 10_000
) -> WindowIndex:
    """The function that computes ``method`` over one window (a :class:`PricePanel`)."""
    name = _ALIASES.get(method.lower(), method.lower())
    if name.startswith("geks_") and name[5:] in BILATERAL_FORMULAS:
        return partial(geks, bilateral=name[5:])
    if name == "gk":
        return partial(geary_khamis, solver=gk_solver, tol=gk_tol, max_iter=gk_max_iter)
    if name == "tpd":
        return time_product_dummy
    raise PriceDataError(
        f"unknown multilateral method {method!r}; choose one of {sorted(MULTILATERAL_METHODS)}."
    )


def multilateral_index(
    df: pd.DataFrame,
    method: str = "geks_tornqvist",
    window: int | None = 13,
    splice: str = "movement",
    *,
    period: str = "month",
    product: str = "id",
    price: str = "price",
    quantity: str = "quantity",
    group: str | None = None,
    gk_solver: str = "matrix",
    gk_tol: float = 1e-12,
    gk_max_iter: int = 10_000,
) -> pd.Series:
    """Multilateral price index for every period, 1 at the first period.

    ``method``: ``geks_tornqvist`` (also ``ccdi``: the Caves-Christensen-Diewert-Inklaar
    index is GEKS-Törnqvist), ``geks_fisher``, ``geks_jevons`` (or GEKS on any formula of
    :data:`BILATERAL_FORMULAS`), ``gk`` (Geary-Khamis) or ``tpd`` (time-product dummy).
    ``window``: periods per window; if the data has no more periods than that (or
    ``window=None``) one window covers everything (the "pure" index), otherwise the window
    rolls and the series is extended with ``splice`` (see :mod:`.splicing` for the list).
    ``group``: compute one independent index per value of this column; the result is then
    indexed by (group, period). Returns a Series named ``index_value``.
    """
    compute = window_index_function(
        method, gk_solver=gk_solver, gk_tol=gk_tol, gk_max_iter=gk_max_iter
    )
    names = {"period": period, "product": product, "price": price, "quantity": quantity}

    def one(part: pd.DataFrame) -> pd.Series:
        panel = build_panel(part, **names)
        values = rolling_index(panel, compute, window, splice)
        return pd.Series(np.asarray(values), index=panel.periods.rename(period))

    if group is None:
        return one(df).rename("index_value")
    if group not in df:
        raise PriceDataError(f"group column {group!r} not found in {list(df.columns)}.")
    parts = {key: one(part) for key, part in df.groupby(group, sort=True)}
    return pd.concat(parts, names=[group, period]).rename("index_value")
