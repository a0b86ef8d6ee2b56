"""Geary-Khamis: a quantity-weighted multilateral index built on 'international' prices.

GK values every product at a reference price ``b_n`` (the quantity-weighted average of its
deflated prices over the window) and defines the index as expenditure divided by the
quantities valued at those reference prices:

    b_n = sum_t q_tn * p_tn / P_t  /  sum_t q_tn
    P_t = sum_n p_tn q_tn  /  sum_n b_n q_tn

The two equations define each other. Two solvers give the same answer: ``"matrix"`` (the
default) solves the fixed point exactly as a linear system (Diewert and Fox write b as the
null vector of I - C with C = diag(1/q) S' Q; here the same system is reduced to one unknown
per period), ``"iterative"`` alternates the two equations until the index moves by less than
``tol``. Products never sold in the window have no weight and are left out. Missing products
have quantity 0, so they drop out of both sums.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from .panel import PriceDataError, PricePanel


class ConvergenceError(PriceDataError):
    """The iterative Geary-Khamis solver did not settle within ``max_iter`` rounds."""


def _deflated_quantities(shares: np.ndarray, q: np.ndarray, qtot: np.ndarray) -> np.ndarray:
    """Solve for x_t = sum_n b_n q_tn, the quantities valued at reference prices.

    Substituting b = diag(1/q) S' x into x = Q b gives x = M x with M = Q diag(1/q) S', a
    periods x periods matrix, so the cost grows with the number of products only linearly.
    The solution is defined up to scale; fix it with sum(x) = T.
    """
    n = q.shape[0]
    m = (q / qtot) @ shares.T
    system = np.vstack([np.eye(n) - m, np.ones((1, n))])
    rhs = np.concatenate([np.zeros(n), [float(n)]])
    x, *_ = np.linalg.lstsq(system, rhs, rcond=None)
    return x


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
        index = spend / _deflated_quantities(expenditure / spend[:, None], q, qtot)
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
