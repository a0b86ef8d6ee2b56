"""Great-circle distances, the one piece of geometry every AIS rule needs."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

#: Mean Earth radius (IUGG), km. AIS positions are WGS 84; a sphere is accurate to ~0.5 %,
#: far below the spread of AIS position noise and port-area buffers.
EARTH_RADIUS_KM = 6371.0088
KM_PER_NAUTICAL_MILE = 1.852


def haversine_km(lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike) -> np.ndarray:
    """Great-circle distance in km between points given in decimal degrees (broadcasts)."""
    p1, p2 = np.radians(np.asarray(lat1, float)), np.radians(np.asarray(lat2, float))
    dlat = p2 - p1
    dlon = np.radians(np.asarray(lon2, float) - np.asarray(lon1, float))
    a = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
