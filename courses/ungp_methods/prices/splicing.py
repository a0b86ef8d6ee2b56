"""Extend a multilateral index in real time: rolling windows joined by splicing.

A published CPI cannot be revised, but a multilateral index changes when its window gains a
period. The usual answer is a rolling window of ``w`` periods: each month the window moves
one period forward, the index is recomputed over it, and only the movement needed for the
newest period is *spliced* onto the published series. The splices differ in which overlap
period they link on (t is the new period, s = t - w + 1 the first period of the new window,
``new`` the index over the new window, ``old`` the index over the previous window and
``pub`` the published series):

- ``movement``: pub[t-1] * new[t] / new[t-1]
- ``window``:   pub[t-1] * (new[t] / new[s]) / (old[t-1] / old[s])
- ``half``:     as ``window`` but on the middle period m = s + (w - 1) // 2
- ``mean``:     geometric mean of the ``window``-type splice over every overlap period
  s..t-1, using the recalculated old window (Diewert and Fox; the ABS choice)
- ``wisp``:     pub[s] * new[t] / new[s] (window splice on published data, Eurostat guide)
- ``hasp``:     pub[m] * new[t] / new[m], m = s + (w - 1) // 2 (half splice on published)
- ``mean_pub``: geometric mean over k = s..t-1 of pub[k] * new[t] / new[k] (the ONS choice)
- ``fbew``:     fixed base expanding window (Chessa 2016): the base is the last period of the
  first window; each new period is compared with it over a window that runs from the base to
  the new period, and pub[t] = pub[base] * new[t] / new[base]. When that window reaches w
  periods its last period becomes the next base (December to December with monthly data
  starting in January and w = 13).

The first ``w`` periods are the plain index over the first window. Positions, not calendar
distance, define windows: the periods present in the data are taken as consecutive.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .panel import PriceDataError, PricePanel

WindowIndex = Callable[[PricePanel], np.ndarray]

SPLICES: tuple[str, ...] = (
    "movement",
    "window",
    "half",
    "mean",
    "wisp",
    "hasp",
    "mean_pub",
    "fbew",
)


def _fbew(panel: PricePanel, compute: WindowIndex, window: int, published: list[float]) -> None:
    base = window - 1
    for t in range(window, len(panel.periods)):
        if t - base + 1 > window:
            base += window - 1
        new = compute(panel.subset(base, t + 1))
        published.append(published[base] * new[-1] / new[0])


def _spliced_value(
    splice: str, published: list[float], new: np.ndarray, old: np.ndarray, window: int
) -> float:
    t = len(published)
    s = t - window + 1
    mid = (window - 1) // 2
    # new[k] is period s + k; old[k] is period s - 1 + k, so old[k + 1] is period s + k.
    if splice == "movement":
        return published[t - 1] * new[-1] / new[-2]
    if splice == "window":
        return published[t - 1] * (new[-1] / new[0]) / (old[-1] / old[1])
    if splice == "half":
        return published[t - 1] * (new[-1] / new[mid]) / (old[-1] / old[mid + 1])
    if splice == "mean":
        logs = np.log(new[-1] / new[:-1]) - np.log(old[-1] / old[1:])
        return published[t - 1] * float(np.exp(logs.mean()))
    if splice == "wisp":
        return published[s] * new[-1] / new[0]
    if splice == "hasp":
        return published[s + mid] * new[-1] / new[mid]
    if splice == "mean_pub":
        pub = np.asarray(published[s:t])
        return float(np.exp(np.mean(np.log(pub * new[-1] / new[:-1]))))
    raise PriceDataError(f"unknown splice {splice!r}; choose one of {list(SPLICES)}.")


def rolling_index(
    panel: PricePanel, compute: WindowIndex, window: int | None, splice: str = "movement"
) -> np.ndarray:
    """Index over all periods of ``panel``: one window if it fits, else rolling and spliced.

    ``compute`` maps a panel to its index (any normalisation); ``window=None`` or a window at
    least as long as the data gives the plain ("pure") multilateral index.
    """
    n_periods = len(panel.periods)
    if splice not in SPLICES:
        raise PriceDataError(f"unknown splice {splice!r}; choose one of {list(SPLICES)}.")
    if window is None or window >= n_periods:
        first = compute(panel)
        return first / first[0]
    if window < 2:
        raise PriceDataError(f"window must be at least 2 periods, got {window}.")
    first = compute(panel.subset(0, window))
    published = list(first / first[0])
    if splice == "fbew":
        _fbew(panel, compute, window, published)
        return np.asarray(published)
    old = first
    for t in range(window, n_periods):
        new = compute(panel.subset(t - window + 1, t + 1))
        published.append(_spliced_value(splice, published, new, old, window))
        old = new
    return np.asarray(published)
