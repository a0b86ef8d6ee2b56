"""Privacy domain: restricted, coherent sample, and a population truth for risk measures."""

from __future__ import annotations

import pytest
from ungp_catalogs import read_entry
from ungp_catalogs.catalog_files import load_yaml
from ungp_catalogs.domains.privacy import KEYS, age_group
from ungp_methods.privacy import key_frequencies


def _read(data_dir, name):
    return read_entry(name, data_dir)


def test_the_whole_domain_is_restricted(data_dir, entries):
    mine = [e for e in entries.values() if e.domain == "privacy"]
    assert len(mine) == 3
    assert all(e.metadata["access"] == "restricted" for e in mine)
    assert load_yaml(data_dir / "privacy" / "catalog.yaml")["metadata"]["access"] == "restricted"
    root = load_yaml(data_dir / "catalog.yaml")["sources"]
    assert root["privacy"]["metadata"]["access"] == "restricted"
    assert all(root[d]["metadata"]["access"] == "open" for d in root if d != "privacy")


def test_whole_households_are_sampled_with_their_weights(data_dir):
    persons = _read(data_dir, "privacy_census_persons")
    households = _read(data_dir, "privacy_census_households").set_index("household_id")
    counted = persons.groupby("household_id").size()
    assert set(counted.index) == set(households.index)
    assert (counted == households.loc[counted.index, "household_size"]).all()
    first = persons.drop_duplicates("household_id").set_index("household_id")
    assert (first["weight"] == households.loc[first.index, "weight"]).all()
    assert (persons.groupby("household_id")["relationship"].first() == "head").all()


def test_population_truth_bounds_the_sample_frequencies(data_dir):
    persons = _read(data_dir, "privacy_census_persons")
    truth = _read(data_dir, "privacy_key_population_truth")
    persons["age_group"] = age_group(persons["age"].to_numpy())
    keys = list(KEYS)
    freq = key_frequencies(persons, keys=keys, weight="weight")
    assert (freq["fk"] == 1).sum() > 50  # sample uniques to protect
    sample = persons.groupby(keys).size().rename("fk").reset_index()
    merged = sample.merge(truth, on=keys, how="left")
    assert merged["population"].notna().all()
    assert (merged["population"] >= merged["fk"]).all()
    assert persons["weight"].sum() == pytest.approx(truth["population"].sum(), rel=0.05)
