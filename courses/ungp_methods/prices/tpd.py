"""Time-product dummy (TPD): a regression view of the multilateral index.

Log prices are explained by a period effect and a product effect,

    ln p_tn = alpha_t + gamma_n + e_tn,

fitted by weighted least squares with each observation weighted by its expenditure share
within its period (so every period has the same total weight and big sellers count more).
The index is exp(alpha_t - alpha_0). Only observed (period, product) cells enter the fit,
which is how TPD imputes the missing prices of products that come and go. The system is
small (periods + products unknowns), so numpy's least squares is enough; no statsmodels.
"""

from __future__ import annotations

import numpy as np

from .panel import PriceDataError, PricePanel


def time_product_dummy(panel: PricePanel) -> np.ndarray:
    """TPD index for every period of ``panel``, 1 at its first period."""
    n_periods, n_products = panel.prices.shape
    rows, cols = np.nonzero(panel.present)
    expenditure = panel.expenditure
    spend = expenditure.sum(axis=1)
    if np.any(spend <= 0):
        t = int(np.argmax(spend <= 0))
        raise PriceDataError(
            f"period {panel.periods[t]!r} has no expenditure, so TPD weights are undefined."
        )
    weights = (expenditure / spend[:, None])[rows, cols]
    root = np.sqrt(weights)
    # Columns: period effects for periods 1..T-1 (period 0 is the base), then one per product.
    design = np.zeros((len(rows), n_periods - 1 + n_products))
    later = rows > 0
    design[np.flatnonzero(later), rows[later] - 1] = 1.0
    design[np.arange(len(rows)), n_periods - 1 + cols] = 1.0
    target = np.log(panel.prices[rows, cols])
    coef, *_ = np.linalg.lstsq(design * root[:, None], target * root, rcond=None)
    return np.exp(np.concatenate([[0.0], coef[: n_periods - 1]]))
