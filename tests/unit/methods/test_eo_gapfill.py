"""Gap-filling in time and Savitzky-Golay smoothing."""

from __future__ import annotations

import numpy as np
import pytest
from testpolicy import require_module
from ungp_methods.eo import EODataError, fill_time_series, interpolate_gaps, savitzky_golay


def test_interpolation_follows_acquisition_dates_not_positions():
    days = np.array(["2024-05-01", "2024-05-03", "2024-05-11"], dtype="datetime64[D]")
    filled = interpolate_gaps([0.2, np.nan, 0.6], days)
    # 2 of 10 days between the neighbours: 0.2 + 0.2 * 0.4.
    assert filled[1] == pytest.approx(0.28)
    assert interpolate_gaps([0.2, np.nan, 0.6])[1] == pytest.approx(0.4)


def test_edges_hold_the_nearest_value_or_stay_nan():
    series = np.array([np.nan, 0.3, np.nan, 0.5, np.nan])
    assert interpolate_gaps(series).tolist() == pytest.approx([0.3, 0.3, 0.4, 0.5, 0.5])
    edged = interpolate_gaps(series, edges="nan")
    assert np.isnan(edged[[0, 4]]).all() and edged[2] == pytest.approx(0.4)


def test_stack_of_pixels_is_filled_independently():
    stack = np.full((4, 2, 2), np.nan)
    stack[:, 0, 0] = [0.1, np.nan, np.nan, 0.4]
    stack[:, 1, 1] = [np.nan, 0.5, 0.7, np.nan]
    filled = interpolate_gaps(stack)
    assert filled[:, 0, 0].tolist() == pytest.approx([0.1, 0.2, 0.3, 0.4])
    assert filled[:, 1, 1].tolist() == pytest.approx([0.5, 0.5, 0.7, 0.7])
    assert np.isnan(filled[:, 0, 1]).all()


def test_unsorted_dates_are_refused():
    with pytest.raises(EODataError, match="increasing"):
        interpolate_gaps([1.0, 2.0], [5, 3])


@pytest.mark.parametrize(("window", "order"), [(5, 2), (7, 3), (5, 1)])
def test_savitzky_golay_reproduces_polynomials_up_to_its_order(window, order):
    t = np.linspace(-1, 1, 15)
    poly = 0.3 + 0.5 * t - 0.8 * t**2 * (order >= 2) + 0.2 * t**3 * (order >= 3)
    np.testing.assert_allclose(savitzky_golay(poly, window, order), poly, atol=1e-12)


def test_savitzky_golay_reduces_noise():
    rng = np.random.default_rng(7)
    t = np.linspace(0, np.pi, 40)
    truth = np.sin(t)
    noisy = truth + rng.normal(0, 0.05, t.size)
    smooth = savitzky_golay(noisy, 7, 2)
    assert np.abs(smooth - truth).mean() < 0.7 * np.abs(noisy - truth).mean()


def test_savitzky_golay_matches_scipy_when_available():
    signal = require_module("scipy.signal", "scipy (the test extra)")
    x = np.random.default_rng(1).normal(size=(30, 3))
    np.testing.assert_allclose(
        savitzky_golay(x, 7, 2), signal.savgol_filter(x, 7, 2, axis=0, mode="interp")
    )


def test_savitzky_golay_refuses_gaps_and_even_windows():
    with pytest.raises(EODataError, match="NaN"):
        savitzky_golay([1.0, np.nan, 2.0, 3.0, 4.0], 3, 1)
    with pytest.raises(EODataError, match="odd"):
        savitzky_golay(np.ones(10), 4, 1)


def test_fill_time_series_masks_then_fills_then_smooths():
    values = np.array([[0.2, 0.9], [0.3, 0.9], [0.4, 0.9], [0.5, 0.9], [0.6, 0.9]])
    cloud = np.zeros_like(values, dtype=bool)
    cloud[2, 0] = True
    values[2, 0] = 0.95  # a bright cloud, removed by the mask
    cloud[:, 1] = True  # a field never seen clear
    out = fill_time_series(values, mask=cloud, smooth_window=3, polyorder=1)
    assert out[:, 0].tolist() == pytest.approx([0.2, 0.3, 0.4, 0.5, 0.6])
    assert np.isnan(out[:, 1]).all()
