"""Geary-Khamis: a quantity-weighted multilateral index built on 'international' prices.

GK values every product at a reference price ``b_n`` (the quantity-weighted average of its
deflated prices over the window) and defines the index as expenditure divided by the
quantities valued at those reference prices:

    b_n = sum_t q_tn * p_tn / P_t  /  sum_t q_tn
    P_t = sum_n p_tn q_tn  /  sum_n b_n q_tn

The two equations define each other. Two solvers give the same answer: ``"matrix"`` (the
default) solves the fixed point exactly as a linear system (Diewert and Fox 2017: b is the
null vector of I - C with C = diag(1/q) S' Q), ``"iterative"`` alternates the two equations
until the index moves by less than ``tol``. Products never sold in the window have no
weight and are left out. Missing products have quantity 0, so they drop out of both sums.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from .panel import PriceDataError, PricePanel


class ConvergenceError(PriceDataError):
    """The iterative Geary-Khamis solver did not settle within ``max_iter`` rounds."""


def _reference_prices_matrix(shares: np.ndarray, q: np.ndarray, qtot: np.ndarray) -> np.ndarray:
    n = q.shape[1]
    c = (shares.T @ q) / qtot[:, None]
    # (I - C) b = 0 has a one-dimensional solution space; fix its scale with sum(b) = n.
    system = np.vstack([np.eye(n) - c, np.ones((1, n))])
    rhs = np.concatenate([np.zeros(n), [float(n)]])
    b, *_ = np.linalg.lstsq(system, rhs, rcond=None)
    return b


def geary_khamis(
    panel: PricePanel,
    *,
    solver: Literal["matrix", "iterative"] = "matrix",
    tol: float = 1e-12,
    max_iter: int = 10_000,
) -> np.ndarray:
    """Geary-Khamis index for every period of ``panel``, 1 at its first period."""
    q = panel.quantities
    qtot = q.sum(axis=0)
    keep = qtot > 0
    q, qtot = q[:, keep], qtot[keep]
    expenditure = panel.expenditure[:, keep]
    spend = expenditure.sum(axis=1)
    if np.any(spend <= 0):
        t = int(np.argmax(spend <= 0))
        raise PriceDataError(
            f"period {panel.periods[t]!r} has no expenditure, so Geary-Khamis is undefined there."
        )
    if solver == "matrix":
        b = _reference_prices_matrix(expenditure / spend[:, None], q, qtot)
        index = spend / (q @ b)
    elif solver == "iterative":
        index = np.ones(len(spend))
        for _ in range(max_iter):
            b = (expenditure / index[:, None]).sum(axis=0) / qtot
            new = spend / (q @ b)
            new = new / new[0]
            if np.max(np.abs(new - index)) < tol:
                index = new
                break
            index = new
        else:
            raise ConvergenceError(
                f"Geary-Khamis did not converge to tol={tol} in {max_iter} iterations; "
                "raise max_iter or use solver='matrix'."
            )
    else:
        raise PriceDataError(f"unknown solver {solver!r}; use 'matrix' or 'iterative'.")
    return index / index[0]
