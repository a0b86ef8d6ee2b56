"""SDG 11.1.1 on a hand-built household table."""

from __future__ import annotations

import pandas as pd
import pytest
from ungp_methods.sdg import SDGDataError, household_deprivations, slum_population_share


def households() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "city": ["A", "A", "A", "B", "B", "B"],
            "urban": [True, True, True, True, True, False],
            "persons": [4, 7, 3, 5, 2, 6],
            "habitable_rooms": [2, 2, 1, 1, 1, 1],
            "improved_water": [True, True, True, False, True, False],
            "improved_sanitation": [True, True, True, False, True, False],
            "durable_housing": [True, True, False, True, True, False],
            "secure_tenure": [True, True, True, True, True, False],
            "weight": [100.0, 50.0, 200.0, 80.0, 120.0, 300.0],
        }
    )


def test_each_deprivation_is_flagged():
    flags = household_deprivations(households())
    # persons/rooms: 2, 3.5, 3, 5, 2, 6 -> overcrowded when > 3.
    assert flags["overcrowded"].tolist() == [False, True, False, True, False, True]
    assert flags["lacks_durable_housing"].tolist() == [False, False, True, False, False, True]
    assert flags["deprivations"].tolist() == [0, 1, 1, 3, 0, 5]
    assert flags["slum"].tolist() == [False, True, True, True, False, True]


def test_person_weighted_urban_share_by_hand():
    result = slum_population_share(households())
    # Urban people (weight x persons): 400, 350, 600, 400, 240 = 1990.
    # In slum households: 350 + 600 + 400 = 1350. The rural household is left out.
    assert result.urban_population == pytest.approx(1990.0)
    assert result.slum_population == pytest.approx(1350.0)
    assert result.share == pytest.approx(1350 / 1990)


def test_unweighted_household_share_would_differ():
    # Households, unweighted, urban: 3 of 5 are slum; persons weighted: 1350 / 1990.
    assert slum_population_share(households()).share != pytest.approx(3 / 5)


def test_share_per_city_and_without_weights():
    result = slum_population_share(households(), by="city")
    assert result.by_group.loc["A", "share"] == pytest.approx(950 / 1350)
    assert result.by_group.loc["B", "share"] == pytest.approx(400 / 640)
    census = slum_population_share(households(), weight=None)
    assert census.share == pytest.approx((7 + 3 + 5) / (4 + 7 + 3 + 5 + 2))


def test_dropping_a_component_and_threshold():
    flags = household_deprivations(households(), durable_housing=None, secure_tenure=None)
    assert "lacks_durable_housing" not in flags
    assert flags["slum"].tolist() == [False, True, False, True, False, True]
    loose = household_deprivations(households(), max_persons_per_room=4.0)
    assert loose["overcrowded"].tolist() == [False, False, False, True, False, True]


def test_missing_component_values_are_reported():
    data = households()
    data["improved_water"] = data["improved_water"].astype("boolean")
    data.loc[0, "improved_water"] = pd.NA
    with pytest.raises(SDGDataError, match="improved_water"):
        household_deprivations(data)
    with pytest.raises(SDGDataError, match="tenure"):
        household_deprivations(households().drop(columns="secure_tenure"))
