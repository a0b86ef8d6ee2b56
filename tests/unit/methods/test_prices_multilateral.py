"""Properties of the multilateral methods and of the splices, on small synthetic panels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from ungp_methods.prices import (
    SPLICES,
    ConvergenceError,
    PriceDataError,
    bilateral_series,
    build_panel,
    geks,
    multilateral_index,
)

METHODS = ["geks_tornqvist", "geks_fisher", "geks_jevons", "gk", "tpd"]


def random_panel(n_periods: int, n_products: int, seed: int, drop: float = 0.2) -> pd.DataFrame:
    """An unbalanced panel; every period keeps at least two products."""
    rng = np.random.default_rng(seed)
    rows = []
    for t in range(n_periods):
        keep = rng.random(n_products) > drop
        keep[:2] = True
        for i in np.flatnonzero(keep):
            rows.append(
                {
                    "month": t,
                    "id": f"p{i}",
                    "price": float(np.exp(rng.normal(0.02 * t, 0.2))) * (1 + i),
                    "quantity": float(rng.integers(1, 50)),
                }
            )
    return pd.DataFrame(rows)


@pytest.mark.parametrize("method", METHODS)
def test_proportional_prices_give_the_common_factor(method: str) -> None:
    base = random_panel(1, 6, seed=1, drop=0.0)
    factors = [1.0, 1.1, 0.95, 1.3]
    rng = np.random.default_rng(2)
    df = pd.concat(
        [
            base.assign(month=t, price=base["price"] * f, quantity=rng.integers(1, 20, len(base)))
            for t, f in enumerate(factors)
        ]
    )
    index = multilateral_index(df, method, window=None)
    np.testing.assert_allclose(index.to_numpy(), factors, rtol=1e-12)


@pytest.mark.parametrize("splice", SPLICES)
def test_every_splice_of_a_transitive_index_is_that_index(splice: str) -> None:
    df = random_panel(9, 5, seed=3, drop=0.0)
    direct = bilateral_series(df, "jevons")
    spliced = multilateral_index(df, "geks_jevons", window=4, splice=splice)
    np.testing.assert_allclose(spliced.to_numpy(), direct.to_numpy(), rtol=1e-12)


@pytest.mark.parametrize("splice", SPLICES)
def test_two_period_windows_chain_the_bilateral_core(splice: str) -> None:
    # With w = 2 every splice links on period t - 1, and GEKS of two periods is the
    # bilateral index itself, so the result is the chained Törnqvist index.
    df = random_panel(7, 6, seed=4)
    chained = bilateral_series(df, "tornqvist", chained=True)
    spliced = multilateral_index(df, "ccdi", window=2, splice=splice)
    np.testing.assert_allclose(spliced.to_numpy(), chained.to_numpy(), rtol=1e-12)


def test_window_and_mean_splices_use_the_recalculated_old_window() -> None:
    df = random_panel(4, 6, seed=5)
    panel = build_panel(df)
    first, old, new = geks(panel.subset(0, 3)), geks(panel.subset(0, 3)), geks(panel.subset(1, 4))
    published = first / first[0]
    # new[k] is period 1 + k, old[k] is period k.
    window = published[2] * (new[2] / new[0]) / (old[2] / old[1])
    mean = published[2] * np.sqrt((new[2] / new[0]) / (old[2] / old[1]) * (new[2] / new[1]))
    got_window = multilateral_index(df, window=3, splice="window")
    got_mean = multilateral_index(df, window=3, splice="mean")
    assert got_window.iloc[3] == pytest.approx(window, rel=1e-13)
    assert got_mean.iloc[3] == pytest.approx(mean, rel=1e-13)
    assert got_window.iloc[3] != pytest.approx(got_mean.iloc[3], rel=1e-9)


@pytest.mark.parametrize("method", METHODS)
def test_window_longer_than_data_is_the_pure_index(method: str) -> None:
    df = random_panel(6, 5, seed=6)
    long_window = multilateral_index(df, method, window=13)
    pure = multilateral_index(df, method, window=None)
    pd.testing.assert_series_equal(long_window, pure)
    assert pure.iloc[0] == 1.0


@pytest.mark.parametrize("method", ["geks_tornqvist", "geks_fisher", "gk", "tpd"])
def test_reversing_time_only_rebases(method: str) -> None:
    # Multilateral indices treat all periods of a window symmetrically.
    df = random_panel(6, 5, seed=7)
    forward = multilateral_index(df, method, window=None)
    backward = multilateral_index(df.assign(month=-df["month"]), method, window=None)
    np.testing.assert_allclose(
        backward.to_numpy()[::-1], forward.to_numpy() / forward.to_numpy()[-1], rtol=1e-10
    )


def test_tpd_with_equal_shares_is_jevons() -> None:
    df = random_panel(5, 4, seed=8, drop=0.0)
    df = df.assign(quantity=100.0 / df["price"])
    tpd = multilateral_index(df, "tpd", window=None)
    jevons = bilateral_series(df, "jevons")
    np.testing.assert_allclose(tpd.to_numpy(), jevons.to_numpy(), rtol=1e-12)


def test_unknown_names_and_disjoint_periods_are_user_errors() -> None:
    df = random_panel(4, 4, seed=9)
    with pytest.raises(PriceDataError, match="unknown multilateral method"):
        multilateral_index(df, "geks_lowe")
    with pytest.raises(PriceDataError, match="unknown splice"):
        multilateral_index(df, window=2, splice="sideways")
    with pytest.raises(PriceDataError, match="group column"):
        multilateral_index(df, group="shop")
    disjoint = pd.DataFrame(
        {"month": [1, 1, 2, 2], "id": ["a", "b", "c", "d"], "price": 1.0, "quantity": 1.0}
    )
    with pytest.raises(PriceDataError, match="no product in common"):
        multilateral_index(disjoint, window=None)


def test_tpd_equals_the_full_dummy_regression() -> None:
    df = random_panel(6, 7, seed=10)
    panel = build_panel(df)
    rows, cols = np.nonzero(panel.present)
    expenditure = panel.expenditure
    weights = (expenditure / expenditure.sum(axis=1, keepdims=True))[rows, cols]
    n_periods, n_products = panel.prices.shape
    design = np.zeros((len(rows), n_periods - 1 + n_products))
    for k, (t, i) in enumerate(zip(rows, cols, strict=True)):
        if t > 0:
            design[k, t - 1] = 1.0
        design[k, n_periods - 1 + i] = 1.0
    root = np.sqrt(weights)
    coef, *_ = np.linalg.lstsq(
        design * root[:, None], np.log(panel.prices[rows, cols]) * root, rcond=None
    )
    expected = np.exp(np.concatenate([[0.0], coef[: n_periods - 1]]))
    tpd = multilateral_index(df, "tpd", window=None)
    np.testing.assert_allclose(tpd.to_numpy(), expected, rtol=1e-10)


def test_geary_khamis_satisfies_its_defining_equations() -> None:
    df = random_panel(6, 7, seed=11)
    panel = build_panel(df)
    index = multilateral_index(df, "gk", window=None).to_numpy()
    q, expenditure = panel.quantities, panel.expenditure
    reference_prices = (expenditure / index[:, None]).sum(axis=0) / q.sum(axis=0)
    implied = expenditure.sum(axis=1) / (q @ reference_prices)
    np.testing.assert_allclose(implied / implied[0], index, rtol=1e-12)


def test_half_splice_links_on_the_middle_of_the_overlap() -> None:
    df = random_panel(5, 6, seed=12)
    panel = build_panel(df)
    first = geks(panel.subset(0, 4))
    old, new = first, geks(panel.subset(1, 5))
    published = first / first[0]
    # w = 4: new window is periods 1..4, middle offset (4 - 1) // 2 = 1, i.e. period 2.
    expected = published[3] * (new[3] / new[1]) / (old[3] / old[2])
    got = multilateral_index(df, window=4, splice="half")
    assert got.iloc[4] == pytest.approx(expected, rel=1e-13)


def test_fbew_moves_its_base_when_the_window_is_full() -> None:
    df = random_panel(7, 6, seed=13)
    panel = build_panel(df)
    first = geks(panel.subset(0, 3))
    expected = list(first / first[0])
    for t, base in [(3, 2), (4, 2), (5, 4), (6, 4)]:
        window = geks(panel.subset(base, t + 1))
        expected.append(expected[base] * window[-1] / window[0])
    got = multilateral_index(df, window=3, splice="fbew")
    np.testing.assert_allclose(got.to_numpy(), expected, rtol=1e-13)


def test_iterative_geary_khamis_reports_non_convergence() -> None:
    df = random_panel(5, 6, seed=14)
    with pytest.raises(ConvergenceError, match="max_iter"):
        multilateral_index(df, "gk", window=None, gk_solver="iterative", gk_max_iter=1)
