"""Spectral indices and cloud masks on pixels whose values are worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest
from ungp_methods.eo import (
    SCL_INVALID,
    EODataError,
    apply_mask,
    evi,
    mask_from_bits,
    mask_from_classes,
    ndvi,
    ndwi,
    ndwi_mcfeeters,
    reflectance,
    savi,
)

# Sentinel-2 reflectance of a green crop pixel and a bare-soil pixel.
BLUE = np.array([0.04, 0.10])
GREEN = np.array([0.08, 0.12])
RED = np.array([0.05, 0.15])
NIR = np.array([0.45, 0.25])
SWIR = np.array([0.20, 0.30])


def test_ndvi_by_hand():
    assert ndvi(NIR, RED).tolist() == pytest.approx([0.40 / 0.50, 0.10 / 0.40])


def test_ndwi_uses_nir_and_swir_and_mcfeeters_green_and_nir():
    assert ndwi(NIR, SWIR).tolist() == pytest.approx([0.25 / 0.65, -0.05 / 0.55])
    assert ndwi_mcfeeters(GREEN, NIR).tolist() == pytest.approx([-0.37 / 0.53, -0.13 / 0.37])


def test_savi_by_hand_and_reduces_to_ndvi_without_soil_factor():
    assert savi(NIR, RED)[0] == pytest.approx(1.5 * 0.40 / (0.50 + 0.5))
    np.testing.assert_allclose(savi(NIR, RED, soil_factor=0.0), ndvi(NIR, RED))


def test_evi_by_hand():
    expected = 2.5 * 0.40 / (0.45 + 6 * 0.05 - 7.5 * 0.04 + 1)
    assert evi(NIR, RED, BLUE)[0] == pytest.approx(expected)


def test_masked_missing_and_undefined_pixels_are_nan():
    nir = np.array([0.4, np.nan, 0.0, 0.3])
    red = np.array([0.1, 0.1, 0.0, 0.1])
    out = ndvi(nir, red, mask=[False, False, False, True])
    assert out[0] == pytest.approx(0.6)
    assert np.isnan(out[1:]).all()


def test_digital_numbers_are_refused_where_constants_assume_reflectance():
    with pytest.raises(EODataError, match="reflectance"):
        evi(NIR * 10_000, RED * 10_000, BLUE * 10_000)


def test_reflectance_applies_the_2022_offset_and_nodata():
    out = reflectance(np.array([0, 1000, 5500]), offset=-1000)
    assert np.isnan(out[0])
    assert out[1:].tolist() == pytest.approx([0.0, 0.45])


def test_bands_on_different_grids_are_refused():
    with pytest.raises(EODataError, match="resample"):
        ndvi(np.ones((4, 4)), np.ones((2, 2)))


def test_scene_classification_mask_and_apply():
    scl = np.array([4, 5, 8, 9, 3, 2, 0])  # vegetation, bare, clouds, shadow, dark, no data
    mask = mask_from_classes(scl)
    assert mask.tolist() == [False, False, True, True, True, False, True]
    assert set(SCL_INVALID) >= {3, 8, 9, 10}
    out = apply_mask(np.arange(7), mask)
    assert np.isnan(out[mask]).all() and out[~mask].tolist() == [0, 1, 5]


def test_bit_mask_flags_cloud_and_shadow_bits():
    qa = np.array([0b0, 0b1000, 0b10000, 0b1000000], dtype=np.uint16)  # clear, cloud, shadow, b6
    assert mask_from_bits(qa).tolist() == [False, True, True, False]
    with pytest.raises(EODataError, match="integers"):
        mask_from_bits(qa.astype(float))
