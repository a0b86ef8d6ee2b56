"""Key-variable frequencies, individual risk and k-anonymity on a file small enough to count."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from ungp_methods.privacy import (
    DisclosureDataError,
    individual_risk,
    k_anonymity_violations,
    key_frequencies,
    risk_summary,
)


def survey() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "region": ["north", "north", "north", "south", "south", "south", "east"],
            "sex": ["m", "f", "m", "f", "f", "m", "m"],
            "age": [30, 40, 30, 50, 50, 30, 40],
            "weight": [10.0, 20.0, 10.0, 5.0, 5.0, 8.0, 50.0],
        }
    )


def test_fk_counts_records_and_Fk_sums_weights():
    freq = key_frequencies(survey(), ["region", "sex", "age"], weight="weight")
    assert freq["fk"].tolist() == [2, 1, 2, 2, 2, 1, 1]
    assert freq["Fk"].tolist() == [20.0, 20.0, 20.0, 10.0, 10.0, 8.0, 50.0]
    assert key_frequencies(survey(), ["region"])["Fk"].tolist() == [3, 3, 3, 3, 3, 3, 1]


def test_missing_key_value_matches_every_category():
    data = survey()
    data.loc[6, "region"] = None  # (?, m, 40)
    data.loc[1, "sex"] = None  # (north, ?, 40): matches record 6 and record 6 matches it
    data.loc[5, "region"] = None  # (?, m, 30): matches records 0 and 2
    freq = key_frequencies(data, ["region", "sex", "age"], weight="weight")
    assert freq["fk"].tolist() == [3, 2, 3, 2, 2, 3, 2]
    assert freq.loc[0, "Fk"] == pytest.approx(28.0)
    assert freq.loc[1, "Fk"] == pytest.approx(70.0)
    assert freq.loc[5, "Fk"] == pytest.approx(28.0)


def test_individual_risk_by_hand():
    # fk = 1, Fk = 4: p = 1/4, r = (1/3) log 4.
    # fk = 2, Fk = 8: p = 1/4, r = 1/3 - (1/9) log 4.
    # fk = 4, Fk = 10: p = 2/5, r = 0.4 / (4 - 0.6).
    # fk = Fk = 5 (the whole population is in the sample): r = 1/5.
    risk = individual_risk(np.array([1, 2, 4, 5]), np.array([4.0, 8.0, 10.0, 5.0]))
    expected = [math.log(4) / 3, 1 / 3 - math.log(4) / 9, 0.4 / 3.4, 0.2]
    assert risk.tolist() == pytest.approx(expected)


def _negative_binomial_risk(f: int, p: float, terms: int = 20_000) -> float:
    """E[1/F | f] for F - f ~ NegBin(f, p): the quantity the formulas approximate."""
    h = np.arange(f, f + terms, dtype=float)
    log_pmf = (
        np.array([math.lgamma(x) for x in h])
        - math.lgamma(f)
        - np.array([math.lgamma(x - f + 1) for x in h])
        + f * math.log(p)
        + (h - f) * math.log1p(-p)
    )
    return float((np.exp(log_pmf) / h).sum())


@pytest.mark.parametrize(("f", "F"), [(1, 10.0), (2, 10.0), (1, 200.0), (2, 40.0)])
def test_closed_forms_for_small_cells_equal_the_model_expectation(f, F):
    assert individual_risk(np.array([f]), np.array([F]))[0] == pytest.approx(
        _negative_binomial_risk(f, f / F), rel=1e-6
    )


@pytest.mark.parametrize(("f", "F"), [(5, 50.0), (10, 40.0)])
def test_approximation_for_larger_cells_is_close_to_the_model(f, F):
    approx = individual_risk(np.array([f]), np.array([F]))[0]
    assert approx == pytest.approx(_negative_binomial_risk(f, f / F), rel=0.05)


def test_risk_falls_as_weights_grow_and_is_highest_for_uniques():
    risk = risk_summary(survey(), ["region", "sex", "age"], weight="weight")["risk"]
    # Records 5 (fk 1, Fk 8) and 6 (fk 1, Fk 50): the smaller population cell is riskier.
    assert risk[5] > risk[6]
    assert risk.idxmax() == 5


def test_k_anonymity_flags_records_in_small_cells():
    flags = k_anonymity_violations(survey(), ["region", "sex", "age"], k=2)
    assert flags.tolist() == [False, True, False, False, False, True, True]
    assert not k_anonymity_violations(survey(), ["sex"], k=3).any()


def test_bad_inputs_are_named():
    with pytest.raises(DisclosureDataError, match="income"):
        key_frequencies(survey(), ["income"])
    data = survey()
    data.loc[0, "weight"] = -1
    with pytest.raises(DisclosureDataError, match="positive"):
        key_frequencies(data, ["sex"], weight="weight")
