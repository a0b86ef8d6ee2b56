"""Differentially private count and mean with OpenDP, and the privacy budget.

OpenDP cannot be seeded, so the checks are statistical with margins wide enough never to fail
by chance (each failure probability is far below 1e-9).
"""

from __future__ import annotations

import numpy as np
import pytest
from testpolicy import require_module

require_module("opendp", "opendp (the data extra)")

from ungp_methods.privacy import (  # noqa: E402
    BudgetExceededError,
    DisclosureDataError,
    PrivacyBudget,
    dp_count,
    dp_mean,
)

DRAWS = 200


def test_count_noise_has_scale_one_over_epsilon_and_accuracy_holds():
    releases = [dp_count(1000, epsilon=0.5) for _ in range(DRAWS)]
    first = releases[0]
    assert first.scale == pytest.approx(2.0, rel=1e-6)
    assert first.mechanism == "discrete Laplace"
    errors = np.array([r.value - 1000 for r in releases])
    assert np.all(errors == np.round(errors))  # integer noise
    assert (errors != 0).any()  # noise is really added
    # 95 % accuracy: at most 5 % of draws outside; 200 draws -> > 30 outside is impossible
    # in practice (binomial tail ~ 1e-10).
    assert (np.abs(errors) > first.accuracy).sum() <= 30
    # Mean of Laplace(2) noise over 200 draws: sd ~ 0.2; 2.5 is > 12 sd.
    assert abs(errors.mean()) < 2.5
    # Spread: sd of the noise is ~ 2.8 (scale * sqrt(2)), far from 0 and from 10.
    assert 1.5 < errors.std() < 5.0


def test_count_of_a_sequence_counts_its_records():
    values = [dp_count(["a", "b", "c"] * 100, epsilon=5.0).value for _ in range(50)]
    assert abs(np.mean(values) - 300) < 1.0


def test_mean_with_public_size_is_close_and_within_accuracy():
    rng = np.random.default_rng(0)
    incomes = rng.uniform(0, 100, 2000)
    truth = incomes.mean()
    releases = [dp_mean(incomes, bounds=(0.0, 100.0), epsilon=1.0, size=2000) for _ in range(DRAWS)]
    acc = releases[0].accuracy
    # Sensitivity of a mean of n values in [0, 100] is about 100 / n (OpenDP bounds it).
    assert 0 < releases[0].scale < 0.2
    errors = np.array([r.value - truth for r in releases])
    assert (np.abs(errors) > acc).sum() <= 30
    assert abs(errors.mean()) < 0.1


def test_mean_clamps_to_public_bounds():
    values = np.full(500, 1000.0)  # every value above the upper bound
    release = dp_mean(values, bounds=(0.0, 10.0), epsilon=2.0, size=500)
    assert abs(release.value - 10.0) < 1.0


def test_mean_without_public_size_spends_part_of_epsilon_on_the_count():
    values = np.linspace(0, 10, 400)
    budget = PrivacyBudget(1.0)
    release = dp_mean(values, bounds=(0.0, 10.0), epsilon=1.0, budget=budget)
    assert budget.spent == pytest.approx(1.0)
    assert abs(release.size - 400) < 60  # DP count with epsilon 0.5: scale 2
    assert abs(release.value - 5.0) < 1.0


def test_budget_refuses_a_query_over_the_total():
    budget = PrivacyBudget(total_epsilon=1.0)
    dp_count(100, 0.4, budget=budget, label="households")
    dp_mean([1.0, 2.0, 3.0], (0.0, 5.0), 0.3, size=3, budget=budget, label="size")
    assert budget.remaining == pytest.approx(0.3)
    with pytest.raises(BudgetExceededError, match="only 0.3"):
        dp_count(100, 0.5, budget=budget, label="too much")
    assert [label for label, _ in budget.ledger] == ["households", "size"]
    dp_count(100, 0.3, budget=budget)  # exactly fills the budget
    assert budget.remaining == pytest.approx(0.0)
    assert not budget.can_afford(1e-6)


def test_bad_parameters_are_explained():
    with pytest.raises(DisclosureDataError, match="epsilon"):
        dp_count(10, 0.0)
    with pytest.raises(DisclosureDataError, match="lower < upper"):
        dp_mean([1.0], (5.0, 1.0), 1.0, size=1)
    with pytest.raises(DisclosureDataError, match="NaN"):
        dp_mean([1.0, np.nan], (0.0, 5.0), 1.0, size=2)
