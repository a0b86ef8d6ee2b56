"""Fill cloud gaps in per-pixel time series and smooth them.

Optical time series have holes wherever a cloud, shadow or missing acquisition was masked
(NaN). Crop statistics need a value on every date (to compare fields and seasons), so gaps are
filled by linear interpolation *in time* (using the real acquisition dates, not positions),
and the filled series can then be smoothed with a Savitzky-Golay filter, as TIMESAT and most
GEOGLAM crop-monitoring chains do. Arrays have time on axis 0 and any shape after it
(pixels, fields, rows x columns).

References: Savitzky & Golay (1964), Smoothing and differentiation of data by simplified
least squares procedures, Anal. Chem. 36(8); Chen et al. (2004), A simple method for
reconstructing a high-quality NDVI time-series data set based on the Savitzky-Golay filter,
Remote Sens. Environ. 91; Jönsson & Eklundh (2004), TIMESAT, Comput. Geosci. 30.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from .errors import EODataError


def _time_axis(times: ArrayLike | None, n: int) -> np.ndarray:
    """Times as float days (datetime64) or plain numbers, checked strictly increasing."""
    if times is None:
        return np.arange(n, dtype=float)
    t = np.asarray(times)
    if t.shape != (n,):
        raise EODataError(f"times has shape {t.shape} but the series has {n} time steps.")
    if np.issubdtype(t.dtype, np.datetime64):
        t = (t - t[0]) / np.timedelta64(1, "D")
    t = t.astype(float)
    if np.any(np.diff(t) <= 0):
        raise EODataError(
            "times must be strictly increasing; sort the acquisitions by date and merge "
            "duplicate dates (e.g. keep the clearest observation) before gap-filling."
        )
    return t


def interpolate_gaps(
    values: ArrayLike,
    times: ArrayLike | None = None,
    *,
    edges: Literal["nearest", "nan"] = "nearest",
) -> np.ndarray:
    """Replace NaN along axis 0 by linear interpolation between the nearest valid dates.

    ``times`` (numbers or datetime64, one per step of axis 0) makes the interpolation follow
    the real spacing of acquisitions; without it steps are assumed equally spaced. Gaps
    before the first or after the last valid observation are filled with that observation
    (``edges="nearest"``) or left NaN (``edges="nan"``). A series with no valid value stays
    all NaN. Fully vectorised: suitable for a whole image stack.
    """
    data = np.asarray(values, dtype=float)
    if data.ndim == 0:
        raise EODataError("values must have a time axis (axis 0).")
    n = data.shape[0]
    t = _time_axis(times, n)
    flat = data.reshape(n, -1)
    valid = ~np.isnan(flat)
    steps = np.arange(n)[:, None]
    prev = np.maximum.accumulate(np.where(valid, steps, -1), axis=0)
    nxt = np.minimum.accumulate(np.where(valid, steps, n)[::-1], axis=0)[::-1]
    has_prev, has_next = prev >= 0, nxt < n
    cols = np.arange(flat.shape[1])[None, :]
    p = np.clip(prev, 0, n - 1)
    q = np.clip(nxt, 0, n - 1)
    y0, y1 = flat[p, cols], flat[q, cols]
    t_now = np.broadcast_to(t[:, None], flat.shape)
    t0, t1 = t[p], t[q]
    with np.errstate(invalid="ignore", divide="ignore"):
        w = np.where(t1 > t0, (t_now - t0) / np.where(t1 > t0, t1 - t0, 1.0), 0.0)
    inside = y0 + w * (y1 - y0)
    filled = np.where(has_prev & has_next, inside, np.nan)
    if edges == "nearest":
        filled = np.where(has_prev & ~has_next, y0, filled)
        filled = np.where(~has_prev & has_next, y1, filled)
    elif edges != "nan":
        raise EODataError(f"edges must be 'nearest' or 'nan', not {edges!r}.")
    filled = np.where(valid, flat, filled)
    return filled.reshape(data.shape)


def _hat_matrix(window: int, polyorder: int) -> np.ndarray:
    """Least-squares projection onto polynomials of ``polyorder`` over one window."""
    x = np.arange(window, dtype=float) - (window - 1) / 2
    design = np.vander(x, polyorder + 1, increasing=True)
    return design @ np.linalg.pinv(design)


def savitzky_golay(values: ArrayLike, window: int, polyorder: int = 2) -> np.ndarray:
    """Savitzky-Golay smoothing along axis 0 (time).

    Each value is replaced by a least-squares polynomial of degree ``polyorder`` fitted over
    the ``window`` (odd) steps centred on it; the first and last ``window // 2`` values use
    the polynomial fitted to the first or last full window (what SciPy's ``savgol_filter``
    calls ``mode="interp"``). A polynomial of degree <= ``polyorder`` is reproduced exactly.
    The filter assumes roughly equal time steps, so resample irregular acquisitions first
    (for example :func:`interpolate_gaps` onto a 10-day grid). NaN are not allowed: fill gaps
    first. Reference: Savitzky & Golay (1964).
    """
    data = np.asarray(values, dtype=float)
    if window % 2 != 1 or window < 3:
        raise EODataError(f"window must be an odd number >= 3, got {window}.")
    if not 0 <= polyorder < window:
        raise EODataError(f"polyorder must be between 0 and window - 1, got {polyorder}.")
    n = data.shape[0] if data.ndim else 0
    if n < window:
        raise EODataError(
            f"the series has {n} time steps, fewer than the window ({window}); use a shorter "
            "window."
        )
    if np.isnan(data).any():
        raise EODataError(
            "the series contains NaN; fill the gaps first (interpolate_gaps or fill_time_series)."
        )
    hat = _hat_matrix(window, polyorder)
    half = window // 2
    flat = data.reshape(n, -1)
    windows = np.lib.stride_tricks.sliding_window_view(flat, window, axis=0)
    out = np.empty_like(flat)
    out[half : n - half] = windows @ hat[half]
    out[:half] = hat[:half] @ flat[:window]
    out[n - half :] = hat[half + 1 :] @ flat[n - window :]
    return out.reshape(data.shape)


def fill_time_series(
    values: ArrayLike,
    times: ArrayLike | None = None,
    mask: ArrayLike | None = None,
    *,
    smooth_window: int | None = None,
    polyorder: int = 2,
) -> np.ndarray:
    """Mask, gap-fill and optionally smooth a stack of observations (time on axis 0).

    ``mask`` (True = cloud, shadow, no data) is applied first, then gaps are filled by
    :func:`interpolate_gaps` (edges held at the nearest valid value) and, when
    ``smooth_window`` is given, smoothed by :func:`savitzky_golay`. Series without a single
    valid observation stay NaN and are not smoothed.
    """
    data = np.asarray(values, dtype=float)
    if mask is not None:
        data = np.where(np.asarray(mask, dtype=bool), np.nan, data)
    filled = interpolate_gaps(data, times)
    if smooth_window is None:
        return filled
    flat = filled.reshape(filled.shape[0], -1)
    ok = ~np.isnan(flat).any(axis=0)
    out = flat.copy()
    if ok.any():
        out[:, ok] = savitzky_golay(flat[:, ok], smooth_window, polyorder)
    return out.reshape(filled.shape)
