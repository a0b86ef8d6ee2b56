"""Cell-key perturbation: deterministic, consistent across tables, unbiased by design."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from ungp_methods.privacy import (
    KEY_MODULUS,
    DisclosureDataError,
    cell_key_table,
    perturb_counts,
    perturbation_table,
    record_keys,
)


def microdata(n: int = 3000, seed: int = 11) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    data = pd.DataFrame(
        {
            "region": rng.choice(["a", "b", "c", "d"], n),
            "age_group": rng.integers(0, 15, n),
            "sex": rng.choice(["f", "m"], n),
        }
    )
    data["record_key"] = record_keys(n, seed=42)
    return data


def test_cell_key_is_the_sum_of_record_keys_mod_one():
    data = microdata(50)
    table = cell_key_table(data, ["region"])
    for _, cell in table.iterrows():
        keys = data.loc[data.region == cell["region"], "record_key"]
        assert cell["count"] == len(keys)
        assert cell["cell_key"] == pytest.approx((int(keys.sum()) % KEY_MODULUS) / KEY_MODULUS)


def test_same_data_gives_the_same_perturbed_table_in_any_record_order():
    data = microdata()
    first = cell_key_table(data, ["region", "age_group"])
    shuffled = data.sample(frac=1.0, random_state=5)
    second = cell_key_table(shuffled, ["region", "age_group"])
    pd.testing.assert_frame_equal(first, second)


def test_a_cell_gets_the_same_noise_in_every_table_that_contains_it():
    data = microdata()
    wide = cell_key_table(data, ["region", "sex"]).set_index(["region", "sex"])
    only_a = cell_key_table(data[data.region == "a"], ["region", "sex"]).set_index(
        ["region", "sex"]
    )
    assert (only_a["perturbed_count"] == wide.loc[only_a.index, "perturbed_count"]).all()


def test_noise_is_bounded_never_negative_and_roughly_unbiased():
    table = cell_key_table(microdata(), ["region", "age_group", "sex"])
    assert table["noise"].abs().max() <= 2
    assert (table["perturbed_count"] >= 0).all()
    assert (table["noise"] != 0).any()
    # 120 cells, noise variance <= 1: the mean noise is within 4 standard errors of 0.
    assert abs(table["noise"].mean()) < 4 / np.sqrt(len(table))


def test_perturbation_table_rows_are_distributions_with_mean_zero():
    ptable = perturbation_table(max_noise=3, variance=2.0)
    for count, rows in ptable.groupby("count"):
        assert rows["probability"].sum() == pytest.approx(1.0)
        assert (rows["noise"] * rows["probability"]).sum() == pytest.approx(0.0, abs=1e-9)
        assert (rows["noise"] >= -count).all()


def test_lookup_uses_the_cell_key_as_a_uniform_draw():
    ptable = pd.DataFrame(
        {
            "count": [1, 1, 2, 2, 2],
            "noise": [-1, 1, -1, 0, 1],
            "probability": [0.5, 0.5, 0.25, 0.5, 0.25],
        }
    )
    counts = np.array([1, 1, 2, 2, 2, 7, 0])
    keys = np.array([0.1, 0.6, 0.2, 0.5, 0.9, 0.8, 0.3])
    # Count 7 uses the last row (count 2); the empty cell is never perturbed.
    assert perturb_counts(counts, keys, ptable).tolist() == [-1, 1, -1, 0, 1, 1, 0]


def test_missing_record_keys_are_explained():
    data = microdata(10).drop(columns="record_key")
    with pytest.raises(DisclosureDataError, match="record_keys"):
        cell_key_table(data, ["region"])


def test_invalid_ptable_is_refused():
    bad = pd.DataFrame({"count": [1, 1], "noise": [-2, 0], "probability": [0.5, 0.5]})
    with pytest.raises(DisclosureDataError, match="negative"):
        cell_key_table(microdata(10), ["region"], ptable=bad)
