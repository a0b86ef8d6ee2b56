"""Differentially private counts and means with the OpenDP library (Laplace mechanism).

Privacy unit: one record. Each person must contribute at most one record (aggregate to one row
per person first), and the guarantee is epsilon-differential privacy with respect to adding or
removing that record (OpenDP's symmetric distance of 1).

* Count: the number of records plus discrete Laplace noise of scale ``1 / epsilon``.
* Mean: values are clamped to public ``bounds`` (chosen *without* looking at the data), the
  data set is resized to a known size ``n`` (records dropped at random or filled with the
  midpoint of the bounds) and the mean gets Laplace noise calibrated by OpenDP; if ``size``
  is not given, part of epsilon is first spent on a DP count to estimate it.

The accuracy reported is OpenDP's: with probability ``1 - alpha`` the noise is at most
``accuracy`` in absolute value (for the mean, relative to the clamped, resized mean, not to
the true mean: clamping and resizing add bias that the bound does not cover).

OpenDP draws noise from the operating system's secure random source; it cannot be seeded,
so results differ on each call (that is the point). Tests check the spread statistically.

References: Dwork, McSherry, Nissim & Smith (2006), Calibrating noise to sensitivity in
private data analysis, TCC; Canonne, Kamath & Steinke (2020), The discrete Gaussian for
differential privacy (discrete Laplace); The OpenDP Library documentation (opendp.org).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .budget import PrivacyBudget
from .errors import DisclosureDataError


@dataclass(frozen=True)
class DPRelease:
    """One differentially private result and what it cost."""

    value: float
    epsilon: float
    scale: float
    accuracy: float
    alpha: float
    mechanism: str
    size: int | None = None  # the (public or DP-estimated) n used by a mean

    @property
    def interval(self) -> tuple[float, float]:
        """``value -/+ accuracy``: covers the noise-free statistic with prob. >= 1 - alpha."""
        return (self.value - self.accuracy, self.value + self.accuracy)


def _opendp():
    import opendp.prelude as dp

    dp.enable_features("contrib")
    return dp


def _check(epsilon: float, alpha: float) -> None:
    if not (epsilon > 0 and math.isfinite(epsilon)):
        raise DisclosureDataError(f"epsilon must be a positive finite number, got {epsilon}.")
    if not 0 < alpha < 1:
        raise DisclosureDataError(f"alpha must be between 0 and 1, got {alpha}.")


@lru_cache(maxsize=64)  # calibration is a binary search; repeated queries reuse it
def count_measurement(epsilon: float):
    """The OpenDP measurement releasing a record count with ``epsilon``-DP, and its scale."""
    dp = _opendp()
    space = dp.vector_domain(dp.atom_domain(T=int)), dp.symmetric_distance()
    chain = space >> dp.t.then_count()
    scale = dp.binary_search_param(lambda s: chain >> dp.m.then_laplace(scale=s), 1, epsilon)
    return chain >> dp.m.then_laplace(scale=scale), scale


def dp_count(
    records: Sequence | np.ndarray | int,
    epsilon: float,
    *,
    alpha: float = 0.05,
    budget: PrivacyBudget | None = None,
    label: str = "count",
) -> DPRelease:
    """Epsilon-DP count of ``records`` (a sequence of records, or their number).

    Noise is discrete Laplace with scale ``1 / epsilon`` (the count changes by 1 when one
    record is added or removed); ``accuracy`` is OpenDP's
    ``discrete_laplacian_scale_to_accuracy(scale, alpha)``. With a ``budget``, epsilon is
    charged before anything is computed.
    """
    _check(epsilon, alpha)
    n = int(records) if isinstance(records, int | np.integer) else len(records)
    dp = _opendp()
    meas, scale = count_measurement(float(epsilon))
    if budget is not None:
        budget.charge(epsilon, label)
    value = meas([1] * n)  # a count depends only on how many records there are
    return DPRelease(
        value=float(value),
        epsilon=epsilon,
        scale=float(scale),
        accuracy=float(dp.discrete_laplacian_scale_to_accuracy(scale, alpha)),
        alpha=alpha,
        mechanism="discrete Laplace",
    )


@lru_cache(maxsize=64)
def mean_measurement(bounds: tuple[float, float], size: int, epsilon: float):
    """The OpenDP measurement: clamp, resize to ``size``, mean, Laplace noise; and its scale."""
    dp = _opendp()
    lower, upper = float(bounds[0]), float(bounds[1])
    space = dp.vector_domain(dp.atom_domain(T=float, nan=False)), dp.symmetric_distance()
    chain = (
        space
        >> dp.t.then_clamp((lower, upper))
        >> dp.t.then_resize(size=size, constant=(lower + upper) / 2)
        >> dp.t.then_mean()
    )
    scale = dp.binary_search_param(lambda s: chain >> dp.m.then_laplace(scale=s), 1, epsilon)
    return chain >> dp.m.then_laplace(scale=scale), scale


def dp_mean(
    values: Sequence[float] | np.ndarray,
    bounds: tuple[float, float],
    epsilon: float,
    *,
    size: int | None = None,
    count_share: float = 0.5,
    alpha: float = 0.05,
    budget: PrivacyBudget | None = None,
    label: str = "mean",
) -> DPRelease:
    """Epsilon-DP mean of ``values`` clamped to ``bounds`` (Laplace mechanism via OpenDP).

    ``bounds`` must be public knowledge (from the questionnaire or a previous release), not
    computed from the data. ``size`` is the number of records if it is public (e.g. a
    census count); otherwise ``count_share`` of epsilon buys a DP count that is used as the
    size and the rest goes to the mean (the total spent is ``epsilon`` either way).
    Values must not contain NaN: drop or impute them first.
    """
    _check(epsilon, alpha)
    lower, upper = bounds
    if not lower < upper:
        raise DisclosureDataError(f"bounds must be (lower, upper) with lower < upper: {bounds}.")
    data = np.asarray(values, dtype=float)
    if np.isnan(data).any():
        raise DisclosureDataError("values contain NaN; drop or impute them before dp_mean.")
    if budget is not None and not budget.can_afford(epsilon):
        budget.charge(epsilon, label)  # raises with the budget's message
    dp = _opendp()
    mean_eps = epsilon
    if size is None:
        if not 0 < count_share < 1:
            raise DisclosureDataError(f"count_share must be in (0, 1), got {count_share}.")
        count = dp_count(len(data), epsilon * count_share)
        size = max(1, round(count.value))
        mean_eps = epsilon - epsilon * count_share
    elif size < 1:
        raise DisclosureDataError(f"size must be a positive number of records, got {size}.")
    meas, scale = mean_measurement((float(lower), float(upper)), int(size), float(mean_eps))
    if budget is not None:
        budget.charge(epsilon, label)
    value = meas(data.tolist())
    return DPRelease(
        value=float(value),
        epsilon=epsilon,
        scale=float(scale),
        accuracy=float(dp.laplacian_scale_to_accuracy(scale, alpha)),
        alpha=alpha,
        mechanism="Laplace",
        size=int(size),
    )
