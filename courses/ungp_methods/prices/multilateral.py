"""GEKS: make any time-reversible bilateral index transitive over a window of periods.

GEKS (Gini, Elteto-Koves, Szulc) compares period t with the first period through every
other period s of the window and takes the geometric mean of these indirect comparisons:

    P(0, t) = prod_s [ P(s, t) / P(s, 0) ] ** (1 / T)

The result does not depend on the order of the periods and does not drift. With the
Törnqvist index as the bilateral core it is the CCDI index (Caves, Christensen and Diewert
1982; Inklaar and Diewert 2016), the form used by the ABS and ONS; ``"ccdi"`` is accepted as
a synonym of ``"geks_tornqvist"``. Each bilateral comparison uses the products matched in
its two periods (see :mod:`.bilateral`), so products entering or leaving within the window
still contribute to the comparisons where they are present.
"""

from __future__ import annotations

import numpy as np

from .bilateral import bilateral_matrix
from .panel import PriceDataError, PricePanel


def geks(panel: PricePanel, bilateral: str = "tornqvist") -> np.ndarray:
    """GEKS index for every period of ``panel``, 1 at its first period."""
    matrix = bilateral_matrix(panel, bilateral)
    if not np.all(np.isfinite(matrix)):
        s, t = np.argwhere(~np.isfinite(matrix))[0]
        raise PriceDataError(
            f"periods {panel.periods[s]!r} and {panel.periods[t]!r} have no product in "
            "common, so GEKS cannot compare them; use a shorter window or a broader group."
        )
    logs = np.log(matrix)
    return np.exp(np.mean(logs - logs[:, [0]], axis=0))


def ccdi(panel: PricePanel) -> np.ndarray:
    """Caves-Christensen-Diewert-Inklaar index, i.e. GEKS with the Törnqvist core."""
    return geks(panel, "tornqvist")
