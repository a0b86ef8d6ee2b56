"""Cloud and quality masks from a classification or bit-flag band.

A mask is a boolean array that is True where the observation must not be used. Apply it with
:func:`apply_mask` (or the ``mask=`` argument of the index functions) so that bad pixels
become NaN and are later filled in time by :mod:`ungp_methods.eo.gapfill`.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from numpy.typing import ArrayLike

from .errors import EODataError

#: Sentinel-2 L2A Scene Classification (SCL) classes treated as invalid: 0 no data,
#: 1 saturated or defective, 3 cloud shadow, 8 cloud medium probability, 9 cloud high
#: probability, 10 thin cirrus, 11 snow or ice. Class 2 (dark area / topographic shadow) is
#: kept by default, as in most crop-monitoring workflows. Reference: ESA Sen2Cor user guide.
SCL_INVALID: frozenset[int] = frozenset({0, 1, 3, 8, 9, 10, 11})

#: Landsat Collection 2 QA_PIXEL bits for dilated cloud (1), cirrus (2), cloud (3), cloud
#: shadow (4) and snow (5). Reference: USGS Landsat 8-9 C2 L2 Science Product Guide.
LANDSAT_QA_BITS: tuple[int, ...] = (1, 2, 3, 4, 5)


def mask_from_classes(mask_band: ArrayLike, invalid: Iterable[int] = SCL_INVALID) -> np.ndarray:
    """True where a classification band (e.g. Sentinel-2 SCL) holds one of ``invalid`` classes."""
    band = np.asarray(mask_band)
    return np.isin(band, np.fromiter(invalid, dtype=np.int64))


def mask_from_bits(qa_band: ArrayLike, bits: Iterable[int] = LANDSAT_QA_BITS) -> np.ndarray:
    """True where any of ``bits`` is set in an integer quality band (e.g. Landsat QA_PIXEL)."""
    band = np.asarray(qa_band)
    if not np.issubdtype(band.dtype, np.integer):
        raise EODataError(
            f"a bit-flag quality band must hold integers, got dtype {band.dtype}; read the "
            "QA band without scaling."
        )
    flags = 0
    for bit in bits:
        flags |= 1 << int(bit)
    return (band.astype(np.int64) & flags) != 0


def apply_mask(values: ArrayLike, mask: ArrayLike) -> np.ndarray:
    """A float copy of ``values`` with NaN where ``mask`` is True (shapes must broadcast)."""
    data = np.asarray(values, dtype=float)
    bad = np.asarray(mask, dtype=bool)
    try:
        return np.where(bad, np.nan, data)
    except ValueError as exc:
        raise EODataError(
            f"mask shape {bad.shape} does not match the data shape {data.shape}; the mask band "
            "must be on the same grid (and time axis) as the data."
        ) from exc
