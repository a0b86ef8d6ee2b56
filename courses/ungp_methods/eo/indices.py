"""Spectral vegetation and water indices from surface-reflectance bands.

Band conventions (Sentinel-2 MSI Level-2A, bottom-of-atmosphere reflectance):

==========  ======  =====================  ==========
name        band    centre wavelength      resolution
==========  ======  =====================  ==========
blue        B2      490 nm                 10 m
green       B3      560 nm                 10 m
red         B4      665 nm                 10 m
nir         B8      842 nm                 10 m
swir        B11     1610 nm                20 m
==========  ======  =====================  ==========

Landsat 8/9 OLI equivalents are B2, B3, B4, B5 (NIR) and B6 (SWIR1). Bands of different
resolution must be resampled to one grid before an index is computed (B11 to 10 m, for
example). Every function takes reflectance as a fraction (0-1, see :func:`reflectance`),
returns float arrays, and gives NaN where an input is NaN, where ``mask`` is True (clouds,
shadows, no data) or where the index is undefined (zero denominator), so that later steps
(gap-filling, temporal statistics) can tell "no observation" from a real value.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .errors import EODataError

# Reflectance above this is not physical for land surfaces: the input is probably digital
# numbers (Sentinel-2 L2A stores reflectance x 10000).
_MAX_PLAUSIBLE_REFLECTANCE = 2.0


def reflectance(
    dn: ArrayLike, *, scale: float = 1e-4, offset: float = 0.0, nodata: float | None = 0
) -> np.ndarray:
    """Convert stored digital numbers to surface reflectance: ``(dn + offset) * scale``.

    Sentinel-2 L2A products store reflectance x 10000 (``scale=1e-4``); since processing
    baseline 04.00 (January 2022) they also carry ``BOA_ADD_OFFSET = -1000``, so pass
    ``offset=-1000`` for those scenes. Pixels equal to ``nodata`` become NaN. Reference: ESA,
    Sentinel-2 Products Specification Document (L2A), radiometric offset note of 2022.
    """
    values = np.asarray(dn, dtype=float)
    out = (values + offset) * scale
    if nodata is not None:
        out = np.where(values == nodata, np.nan, out)
    return out


def _bands(*bands: ArrayLike) -> list[np.ndarray]:
    arrays = [np.asarray(b, dtype=float) for b in bands]
    try:
        np.broadcast_shapes(*(a.shape for a in arrays))
    except ValueError as exc:
        shapes = ", ".join(str(a.shape) for a in arrays)
        raise EODataError(
            f"band arrays have incompatible shapes {shapes}; resample the bands to one grid "
            "(e.g. B11 from 20 m to 10 m) before computing an index."
        ) from exc
    return arrays


def _check_reflectance(name: str, *arrays: np.ndarray) -> None:
    for a in arrays:
        if a.size and np.nanmax(np.abs(a), initial=0.0) > _MAX_PLAUSIBLE_REFLECTANCE:
            raise EODataError(
                f"{name} needs surface reflectance between 0 and 1 but got values up to "
                f"{np.nanmax(np.abs(a)):g}; convert digital numbers first with "
                "reflectance(dn) (Sentinel-2 L2A: scale 1e-4, offset -1000 since 2022)."
            )


def _finish(index: np.ndarray, mask: ArrayLike | None) -> np.ndarray:
    index = np.where(np.isfinite(index), index, np.nan)
    if mask is not None:
        index = np.where(np.asarray(mask, dtype=bool), np.nan, index)
    return index


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den != 0, num / np.where(den != 0, den, 1.0), np.nan)


def normalized_difference(a: ArrayLike, b: ArrayLike, mask: ArrayLike | None = None) -> np.ndarray:
    """``(a - b) / (a + b)``, the form shared by NDVI, NDWI and many others; in [-1, 1]."""
    x, y = _bands(a, b)
    return _finish(_ratio(x - y, x + y), mask)


def ndvi(nir: ArrayLike, red: ArrayLike, mask: ArrayLike | None = None) -> np.ndarray:
    """Normalized Difference Vegetation Index, (NIR - red) / (NIR + red).

    Sentinel-2: B8 and B4. Green vegetation reflects NIR and absorbs red, so NDVI rises with
    green biomass and saturates over dense canopies (use EVI there). Reference: Rouse et al.
    (1974), Monitoring vegetation systems in the Great Plains with ERTS; Tucker (1979).
    """
    return normalized_difference(nir, red, mask)


def ndwi(nir: ArrayLike, swir: ArrayLike, mask: ArrayLike | None = None) -> np.ndarray:
    """Normalized Difference Water Index of vegetation water content, (NIR - SWIR)/(NIR + SWIR).

    Sentinel-2: B8 and B11 (resampled to 10 m). Sensitive to leaf water, useful for crop
    stress and irrigation. Reference: Gao (1996), NDWI - A normalized difference water index
    for remote sensing of vegetation liquid water from space, Remote Sens. Environ. 58.
    For open water bodies use :func:`ndwi_mcfeeters` instead.
    """
    return normalized_difference(nir, swir, mask)


def ndwi_mcfeeters(green: ArrayLike, nir: ArrayLike, mask: ArrayLike | None = None) -> np.ndarray:
    """McFeeters' water index (green - NIR) / (green + NIR), positive over open water.

    Sentinel-2: B3 and B8. Reference: McFeeters (1996), The use of the Normalized Difference
    Water Index (NDWI) in the delineation of open water features, Int. J. Remote Sens. 17(7).
    """
    return normalized_difference(green, nir, mask)


def savi(
    nir: ArrayLike, red: ArrayLike, mask: ArrayLike | None = None, *, soil_factor: float = 0.5
) -> np.ndarray:
    """Soil-Adjusted Vegetation Index, (1 + L)(NIR - red) / (NIR + red + L).

    Sentinel-2: B8 and B4. ``L = soil_factor`` damps the soil-brightness effect on sparse
    canopies (early crop season); L = 0.5 suits intermediate cover, L = 0 gives NDVI.
    Reference: Huete (1988), A soil-adjusted vegetation index (SAVI), Remote Sens. Environ. 25.
    """
    n, r = _bands(nir, red)
    _check_reflectance("SAVI", n, r)
    return _finish(_ratio((1.0 + soil_factor) * (n - r), n + r + soil_factor), mask)


def evi(
    nir: ArrayLike,
    red: ArrayLike,
    blue: ArrayLike,
    mask: ArrayLike | None = None,
    *,
    gain: float = 2.5,
    c1: float = 6.0,
    c2: float = 7.5,
    canopy_background: float = 1.0,
) -> np.ndarray:
    """Enhanced Vegetation Index, G (NIR - red) / (NIR + C1 red - C2 blue + L).

    Sentinel-2: B8, B4 and B2. The blue band corrects aerosol effects and L the canopy
    background, so EVI keeps its sensitivity over dense crops where NDVI saturates. The
    constants are those of the MODIS algorithm (G = 2.5, C1 = 6, C2 = 7.5, L = 1), which
    assume reflectance in 0-1. Reference: Huete et al. (2002), Overview of the radiometric
    and biophysical performance of the MODIS vegetation indices, Remote Sens. Environ. 83.
    """
    n, r, b = _bands(nir, red, blue)
    _check_reflectance("EVI", n, r, b)
    return _finish(_ratio(gain * (n - r), n + c1 * r - c2 * b + canopy_background), mask)
