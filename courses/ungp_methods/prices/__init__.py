"""Price indices for scanner and web-scraped data: bilateral and multilateral methods.

Every function reads a long table with one row per period and product (default columns
``month``, ``id``, ``price``, ``quantity``; all renamable) and returns an index equal to 1 in
the first period. The multilateral methods reproduce the reference test set of the
PriceIndexCalc project (Dr. Usman Kayani, MIT licence) to 1e-9.
"""

from .bilateral import (
    BILATERAL_FORMULAS,
    bilateral_index,
    bilateral_matrix,
    bilateral_series,
    carli,
    dutot,
    fisher,
    jevons,
    laspeyres,
    paasche,
    tornqvist,
)
from .gk import ConvergenceError, geary_khamis
from .methods import MULTILATERAL_METHODS, multilateral_index, window_index_function
from .multilateral import ccdi, geks
from .panel import PriceDataError, PricePanel, build_panel
from .splicing import SPLICES, rolling_index
from .tpd import time_product_dummy

__all__ = [
    "BILATERAL_FORMULAS",
    "MULTILATERAL_METHODS",
    "SPLICES",
    "ConvergenceError",
    "PriceDataError",
    "PricePanel",
    "bilateral_index",
    "bilateral_matrix",
    "bilateral_series",
    "build_panel",
    "carli",
    "ccdi",
    "dutot",
    "fisher",
    "geary_khamis",
    "geks",
    "jevons",
    "laspeyres",
    "multilateral_index",
    "paasche",
    "rolling_index",
    "time_product_dummy",
    "tornqvist",
    "window_index_function",
]
