"""Greedy local suppression reaches k-anonymity and reports what it removed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from ungp_methods.privacy import DisclosureDataError, k_anonymity_violations, local_suppression

KEYS = ["region", "sex", "age"]


def survey() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "region": ["north", "north", "north", "south", "south", "south", "east"],
            "sex": ["m", "f", "m", "f", "f", "m", "m"],
            "age": [30, 40, 30, 50, 50, 30, 40],
            "income": [1, 2, 3, 4, 5, 6, 7],
        }
    )


def test_result_is_k_anonymous_and_input_untouched():
    data = survey()
    result = local_suppression(data, KEYS, k=2)
    assert not k_anonymity_violations(result.data, KEYS, k=2).any()
    assert data.notna().all().all()
    assert result.data["income"].tolist() == data["income"].tolist()


def test_only_violating_records_lose_values_and_counts_are_reported():
    data = survey()
    result = local_suppression(data, KEYS, k=2)
    violating = k_anonymity_violations(data, KEYS, k=2)
    touched = result.suppressed.any(axis=1)
    assert not touched[~violating].any()
    assert result.suppressions.sum() == result.suppressed.to_numpy().sum() == result.total
    # Region and age have 3 categories, sex 2: sex is never the first choice.
    assert result.suppressions["sex"] == 0
    assert result.total > 0


def test_importance_order_changes_which_variable_goes_first():
    default = local_suppression(survey(), KEYS, k=2)
    result = local_suppression(survey(), KEYS, k=2, importance=["region", "age", "sex"])
    assert default.suppressions["sex"] == 0
    assert result.suppressions["sex"] > 0
    assert result.suppressions["region"] <= default.suppressions["region"]
    assert not k_anonymity_violations(result.data, KEYS, k=2).any()


def test_already_anonymous_file_is_left_alone():
    data = pd.DataFrame({"a": ["x", "x", "y", "y"], "b": [1, 1, 2, 2]})
    result = local_suppression(data, ["a", "b"], k=2)
    assert result.total == 0 and result.rounds == 0
    pd.testing.assert_frame_equal(result.data.astype({"b": "int64"}), data)


def test_random_file_always_reaches_k():
    rng = np.random.default_rng(3)
    data = pd.DataFrame(
        {
            "a": rng.integers(0, 8, 300),
            "b": rng.choice(list("pqrst"), 300),
            "c": rng.integers(0, 3, 300),
        }
    )
    result = local_suppression(data, ["a", "b", "c"], k=5)
    assert not k_anonymity_violations(result.data, ["a", "b", "c"], k=5).any()


def test_file_smaller_than_k_is_refused():
    with pytest.raises(DisclosureDataError, match="fewer than k"):
        local_suppression(survey().head(2), KEYS, k=3)
