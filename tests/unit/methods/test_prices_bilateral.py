"""Bilateral indices on examples small enough to check by hand, and the index axioms."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from ungp_methods.prices import (
    BILATERAL_FORMULAS,
    PriceDataError,
    bilateral_index,
    bilateral_series,
)

# Two products, two periods.
P0, P1 = [2.0, 5.0], [3.0, 4.5]
Q0, Q1 = [10.0, 4.0], [6.0, 5.0]


def two_periods(extra: dict | None = None) -> pd.DataFrame:
    rows = [
        {"month": "2024-01", "id": "a", "price": P0[0], "quantity": Q0[0]},
        {"month": "2024-01", "id": "b", "price": P0[1], "quantity": Q0[1]},
        {"month": "2024-02", "id": "a", "price": P1[0], "quantity": Q1[0]},
        {"month": "2024-02", "id": "b", "price": P1[1], "quantity": Q1[1]},
    ]
    if extra:
        rows.append(extra)
    return pd.DataFrame(rows)


def expected_values() -> dict[str, float]:
    lasp = (P1[0] * Q0[0] + P1[1] * Q0[1]) / (P0[0] * Q0[0] + P0[1] * Q0[1])
    paas = (P1[0] * Q1[0] + P1[1] * Q1[1]) / (P0[0] * Q1[0] + P0[1] * Q1[1])
    e0 = [P0[i] * Q0[i] for i in range(2)]
    e1 = [P1[i] * Q1[i] for i in range(2)]
    log_t = sum(
        0.5 * (e0[i] / sum(e0) + e1[i] / sum(e1)) * math.log(P1[i] / P0[i]) for i in range(2)
    )
    return {
        "jevons": math.sqrt(P1[0] / P0[0] * P1[1] / P0[1]),
        "dutot": sum(P1) / sum(P0),
        "carli": (P1[0] / P0[0] + P1[1] / P0[1]) / 2,
        "laspeyres": lasp,
        "paasche": paas,
        "fisher": math.sqrt(lasp * paas),
        "tornqvist": math.exp(log_t),
    }


@pytest.mark.parametrize("method", sorted(BILATERAL_FORMULAS))
def test_formula_matches_hand_computation(method: str) -> None:
    value = bilateral_index(two_periods(), "2024-01", "2024-02", method)
    assert value == pytest.approx(expected_values()[method], rel=1e-14)


@pytest.mark.parametrize("method", sorted(BILATERAL_FORMULAS))
def test_unmatched_product_is_ignored(method: str) -> None:
    newcomer = {"month": "2024-02", "id": "c", "price": 100.0, "quantity": 50.0}
    value = bilateral_index(two_periods(newcomer), "2024-01", "2024-02", method)
    assert value == pytest.approx(expected_values()[method], rel=1e-14)


@pytest.mark.parametrize("method", sorted(BILATERAL_FORMULAS))
def test_identity(method: str) -> None:
    formula = BILATERAL_FORMULAS[method]
    p, q0, q1 = np.array(P0), np.array(Q0), np.array(Q1)
    assert formula(p, p, q0, q1) == pytest.approx(1.0, abs=1e-15)


@pytest.mark.parametrize("method", sorted(BILATERAL_FORMULAS))
def test_proportionality(method: str) -> None:
    formula = BILATERAL_FORMULAS[method]
    p0, q0, q1 = np.array(P0), np.array(Q0), np.array(Q1)
    assert formula(p0, 1.37 * p0, q0, q1) == pytest.approx(1.37, rel=1e-14)


@pytest.mark.parametrize("method", ["fisher", "tornqvist", "jevons", "dutot"])
def test_time_reversal(method: str) -> None:
    formula = BILATERAL_FORMULAS[method]
    p0, p1, q0, q1 = (np.array(v) for v in (P0, P1, Q0, Q1))
    assert formula(p0, p1, q0, q1) * formula(p1, p0, q1, q0) == pytest.approx(1.0, rel=1e-14)


def test_carli_fails_time_reversal_upwards() -> None:
    carli = BILATERAL_FORMULAS["carli"]
    p0, p1 = np.array(P0), np.array(P1)
    assert carli(p0, p1) * carli(p1, p0) > 1.0


def test_zero_quantity_product_has_no_weight() -> None:
    silent = {"month": "2024-01", "id": "c", "price": 1.0, "quantity": 0.0}
    df = two_periods(silent)
    df = pd.concat(
        [df, pd.DataFrame([{"month": "2024-02", "id": "c", "price": 9.0, "quantity": 0.0}])]
    )
    for method in ("laspeyres", "paasche", "fisher", "tornqvist"):
        value = bilateral_index(df, "2024-01", "2024-02", method)
        assert value == pytest.approx(expected_values()[method], rel=1e-14)


def three_periods(period_values: list) -> pd.DataFrame:
    prices = [[1.0, 2.0, 4.0], [1.2, 1.8, 4.4], [1.5, 2.2, 4.0]]
    quantities = [[10.0, 5.0, 1.0], [8.0, 7.0, 1.0], [5.0, 6.0, 3.0]]
    rows = [
        {"month": period_values[t], "id": f"p{i}", "price": prices[t][i], "qty": quantities[t][i]}
        for t in range(3)
        for i in range(3)
    ]
    return pd.DataFrame(rows)


def test_direct_and_chained_series() -> None:
    df = three_periods([1, 2, 3])
    direct = bilateral_series(df, "laspeyres", quantity="qty")
    chained = bilateral_series(df, "laspeyres", quantity="qty", chained=True)
    link1 = bilateral_index(df, 1, 2, "laspeyres", quantity="qty")
    link2 = bilateral_index(df, 2, 3, "laspeyres", quantity="qty")
    assert direct.iloc[0] == chained.iloc[0] == 1.0
    assert direct.loc[3] == pytest.approx(bilateral_index(df, 1, 3, "laspeyres", quantity="qty"))
    assert chained.loc[3] == pytest.approx(link1 * link2, rel=1e-14)
    assert abs(chained.loc[3] - direct.loc[3]) > 1e-4  # Laspeyres is not transitive


def test_jevons_is_transitive_on_a_fixed_sample() -> None:
    df = three_periods([1, 2, 3])
    direct = bilateral_series(df, "jevons", quantity=None)
    chained = bilateral_series(df, "jevons", quantity=None, chained=True)
    np.testing.assert_allclose(direct.to_numpy(), chained.to_numpy(), rtol=1e-14)


@pytest.mark.parametrize(
    "labels",
    [
        [201901, 201902, 201903],
        ["2019-01", "2019-02", "2019-03"],
        list(pd.to_datetime(["2019-01-01", "2019-02-01", "2019-03-01"])),
    ],
)
def test_period_types_give_the_same_series(labels: list) -> None:
    reference = bilateral_series(three_periods([1, 2, 3]), "fisher", quantity="qty")
    shuffled = three_periods(labels).sample(frac=1.0, random_state=3)
    series = bilateral_series(shuffled, "fisher", quantity="qty")
    assert list(series.index) == labels
    np.testing.assert_allclose(series.to_numpy(), reference.to_numpy(), rtol=1e-14)


def test_series_per_group() -> None:
    one = three_periods([1, 2, 3]).assign(group="x")
    two = one.assign(group="y", price=one["price"] * np.where(one["month"] == 3, 2.0, 1.0))
    series = bilateral_series(pd.concat([one, two]), "fisher", quantity="qty", group="group")
    assert series.loc[("y", 3)] == pytest.approx(2.0 * series.loc[("x", 3)], rel=1e-14)


def test_user_errors_are_explained() -> None:
    df = two_periods()
    with pytest.raises(PriceDataError, match="aggregate"):
        bilateral_index(pd.concat([df, df.iloc[[0]]]), "2024-01", "2024-02")
    with pytest.raises(PriceDataError, match="column"):
        bilateral_index(df.rename(columns={"price": "p"}), "2024-01", "2024-02")
    with pytest.raises(PriceDataError, match="positive"):
        bilateral_index(df.assign(price=-1.0), "2024-01", "2024-02")
    with pytest.raises(PriceDataError, match="unknown bilateral method"):
        bilateral_index(df, "2024-01", "2024-02", "lowe")
    with pytest.raises(PriceDataError, match="not in"):
        bilateral_index(df, "2024-01", "2024-03")
