"""Time-product dummy (TPD): a regression view of the multilateral index.

Log prices are explained by a period effect and a product effect,

    ln p_tn = alpha_t + gamma_n + e_tn,

fitted by weighted least squares with each observation weighted by its expenditure share
within its period (so every period has the same total weight and big sellers count more).
The index is exp(alpha_t - alpha_0). Only observed (period, product) cells enter the fit,
which is how TPD imputes the missing prices of products that come and go.

Instead of a dummy matrix with one column per product (too big for scanner data with
thousands of products), the product effects are eliminated from the normal equations
(gamma_n is the weighted mean of ln p_tn - alpha_t over the periods of product n). That
leaves one equation per period, solved with numpy's least squares; the estimates are the
same as those of the full regression.
"""

from __future__ import annotations

import numpy as np

from .panel import PriceDataError, PricePanel


def time_product_dummy(panel: PricePanel) -> np.ndarray:
    """TPD index for every period of ``panel``, 1 at its first period."""
    expenditure = panel.expenditure
    spend = expenditure.sum(axis=1)
    if np.any(spend <= 0):
        t = int(np.argmax(spend <= 0))
        raise PriceDataError(
            f"period {panel.periods[t]!r} has no expenditure, so TPD weights are undefined."
        )
    weights = expenditure / spend[:, None]  # 0 where the product is missing
    per_product = weights.sum(axis=0)
    keep = per_product > 0
    weights, per_product = weights[:, keep], per_product[keep]
    logs = np.log(np.where(panel.present[:, keep], panel.prices[:, keep], 1.0))
    # Normal equations for alpha after substituting gamma_n = sum_t w_tn (y_tn - alpha_t) / W_n.
    scaled = weights / per_product
    normal = np.diag(weights.sum(axis=1)) - weights @ scaled.T
    rhs = (weights * logs).sum(axis=1) - weights @ (scaled * logs).sum(axis=0)
    # alpha_0 = 0 identifies the system: drop the first unknown and its equation.
    alpha, *_ = np.linalg.lstsq(normal[1:, 1:], rhs[1:], rcond=None)
    return np.exp(np.concatenate([[0.0], alpha]))
