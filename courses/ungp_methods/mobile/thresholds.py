"""Publication thresholds: suppress counts below k before releasing mobile phone statistics.

Operators and statistical offices publish mobile phone counts only above a minimum (the
UN GWG Handbook on Mobile Phone Data (2019), privacy chapter, and the GSMA/ITU guidelines
use thresholds such as k = 10 or 15), so that no cell describes a handful of identifiable
subscribers. This module does:

* **primary suppression**: a count with ``0 < count < k`` is replaced by NaN and flagged
  ``"primary"``. Zeros are published by default (they reveal no subscriber); pass
  ``suppress_zeros=True`` to hide them too.
* **secondary suppression for one-dimensional totals**: when the cells of a group add up to
  a published total (e.g. areas within a region, for one day), one hidden cell could be
  recovered by subtraction. Within each ``total_by`` group with a hidden cell, the smallest
  published cells are hidden as well (flag ``"secondary"``) until at least two cells are
  hidden and their combined count is at least k.

Out of scope: tables with two or more published margins (row and column totals at once),
which need a linear-programming cell suppression (e.g. tau-ARGUS); and protecting the
total itself when a group has a single cell (suppress that total before publishing).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .errors import MobileDataError, require_columns


def suppress_small_counts(
    table: pd.DataFrame,
    *,
    k: int = 10,
    count: str = "count",
    total_by: Sequence[str] | None = None,
    suppress_zeros: bool = False,
) -> pd.DataFrame:
    """Hide counts below ``k`` (primary) and, with ``total_by``, their complements (secondary).

    Returns a copy of ``table`` with ``count`` set to NaN where hidden and a ``suppression``
    column: ``"primary"``, ``"secondary"`` or ``""``. Reference: UN GWG Handbook on the Use
    of Mobile Phone Data for Official Statistics (2019), statistical disclosure control;
    Hundepool et al. (2012), Statistical Disclosure Control, ch. 4 (cell suppression).
    """
    require_columns(table, {"count": count}, "counts")
    if k < 1:
        raise MobileDataError(f"k must be at least 1, got {k}.")
    values = pd.to_numeric(table[count], errors="coerce").to_numpy(float)
    if np.isnan(values).any() or (values < 0).any():
        raise MobileDataError(f"column {count!r} must hold non-negative counts without gaps.")
    low = values < k if suppress_zeros else (values > 0) & (values < k)
    flag = np.where(low, "primary", "").astype(object)
    if total_by:
        require_columns(table, {f"total_by[{c}]": c for c in total_by}, "counts")
        codes = table.groupby(list(total_by), sort=False, dropna=False).ngroup().to_numpy()
        order = np.argsort(codes, kind="stable")
        bounds = np.flatnonzero(np.diff(codes[order])) + 1
        for rows in np.split(order, bounds):
            hidden = flag[rows] != ""
            if not hidden.any():
                continue
            candidates = rows[~hidden][np.argsort(values[rows[~hidden]], kind="stable")]
            for r in candidates:
                suppressed = rows[flag[rows] != ""]
                if len(suppressed) >= 2 and values[suppressed].sum() >= k:
                    break
                flag[r] = "secondary"
    out = table.copy()
    out[count] = np.where(flag == "", values, np.nan)
    out["suppression"] = flag
    return out
