"""Displacement and payload: hand-computed values and the published MAN/EPA example."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from ungp_methods.ais import (
    AISDataError,
    block_coefficient_at_draught,
    call_payloads,
    displacement_tonnes,
)


def test_published_riddlesworth_example() -> None:
    # US EPA marine emissions tools, calcCbw examples (MAN 2011 relation), to their 7 digits
    got = block_coefficient_at_draught([0.82, 0.66], [13.57, 11.49], [12.48, 11.09])
    assert got == pytest.approx([0.8149052, 0.6559604], abs=5e-8)


def test_displacement_by_hand() -> None:
    # at design draught no adjustment: 0.80 * 200 m * 32 m * 12 m * 1.025 t/m3
    assert displacement_tonnes(200, 32, 12, block_coefficient=0.8) == pytest.approx(62976.0)
    assert displacement_tonnes(
        200, 32, 12, block_coefficient=0.8, design_draught=12
    ) == pytest.approx(62976.0)
    # at 8 m: Cb = 1 - 0.2 * (12/8)^(1/3) = 1 - 0.2 * 1.1447142425533319
    cb8 = 1 - 0.2 * 1.1447142425533319
    assert displacement_tonnes(
        200, 32, 8, block_coefficient=0.8, design_draught=12
    ) == pytest.approx(cb8 * 200 * 32 * 8 * 1.025, rel=1e-12)
    assert math.isnan(displacement_tonnes(200, 32, np.nan, block_coefficient=0.8))


def test_block_coefficient_falls_with_draught() -> None:
    draughts = np.linspace(4, 14, 11)
    cb = block_coefficient_at_draught(0.8, 14.0, draughts)
    assert np.all(np.diff(cb) > 0) and cb[-1] == pytest.approx(0.8)
    disp = displacement_tonnes(200, 32, draughts, block_coefficient=0.8, design_draught=14.0)
    assert np.all(np.diff(disp) > 0)


def calls() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "mmsi": [244000001, 244000001, 244000001, 311000002],
            "port": ["NLRTM", "BEANR", "NLRTM", "NLRTM"],
            "arrival": pd.to_datetime(["2024-01-01", "2024-01-05", "2024-01-09", "2024-01-02"]),
            "draught_arrival": [8.0, 12.0, 9.0, np.nan],
            "draught_departure": [12.0, 9.0, 9.0, 10.0],
        }
    )


VESSELS = pd.DataFrame(
    {
        "mmsi": [244000001, 311000002],
        "length": [200.0, 150.0],
        "beam": [32.0, 24.0],
        "block_coefficient": [0.8, 0.7],
        "design_draught": [12.0, 10.0],
    }
)


def test_payload_sign_and_missing_draught() -> None:
    out = call_payloads(calls(), VESSELS)
    d8 = (1 - 0.2 * 1.1447142425533319) * 200 * 32 * 8 * 1.025
    d12 = 62976.0
    assert out["payload_tonnes"].iloc[0] == pytest.approx(d12 - d8)  # loaded
    assert out["payload_tonnes"].iloc[0] > 0
    assert out["payload_tonnes"].iloc[1] < 0  # unloaded 12 m -> 9 m
    assert out["payload_tonnes"].iloc[2] == 0.0  # no change
    assert math.isnan(out["payload_tonnes"].iloc[3])  # arrival draught missing
    assert out["displacement_departure"].iloc[0] == pytest.approx(d12)


def test_constant_block_coefficient_is_tonnes_per_metre() -> None:
    out = call_payloads(calls(), VESSELS, adjust_for_draught=False)
    tpm = 1.025 * 0.8 * 200 * 32
    assert out["payload_tonnes"].iloc[0] == pytest.approx(tpm * 4.0)
    assert out["payload_tonnes"].iloc[1] == pytest.approx(-tpm * 3.0)


def test_design_draught_defaults_to_deepest_reported() -> None:
    without = call_payloads(calls(), VESSELS.drop(columns="design_draught"))
    with_design = call_payloads(calls(), VESSELS)
    # vessel 244000001's deepest reported draught is 12 m, its design draught too
    assert without["payload_tonnes"].iloc[:3].tolist() == pytest.approx(
        with_design["payload_tonnes"].iloc[:3].tolist()
    )


def test_vessel_table_errors() -> None:
    with pytest.raises(AISDataError, match="block_coefficient"):
        call_payloads(calls(), VESSELS.drop(columns="block_coefficient"))
    with pytest.raises(AISDataError, match="repeats"):
        call_payloads(calls(), pd.concat([VESSELS, VESSELS]))
