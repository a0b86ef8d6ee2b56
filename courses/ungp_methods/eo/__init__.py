"""Earth observation for crop statistics: indices, cloud masks, gap-filling, features,
accuracy assessment and error-adjusted area estimation (Olofsson et al. 2014).

Arrays are numpy arrays with time on axis 0 where there is a time axis; masked or cloudy
observations are NaN throughout. Tables are pandas DataFrames.
"""

from .accuracy import (
    AccuracyReport,
    accuracy_assessment,
    cohen_kappa,
    confusion_matrix,
    overall_accuracy,
    producers_accuracy,
    users_accuracy,
)
from .area import AreaEstimate, stratified_area_estimate
from .errors import EODataError
from .features import FEATURES, temporal_features
from .gapfill import fill_time_series, interpolate_gaps, savitzky_golay
from .indices import evi, ndvi, ndwi, ndwi_mcfeeters, normalized_difference, reflectance, savi
from .masking import LANDSAT_QA_BITS, SCL_INVALID, apply_mask, mask_from_bits, mask_from_classes

__all__ = [
    "FEATURES",
    "LANDSAT_QA_BITS",
    "SCL_INVALID",
    "AccuracyReport",
    "AreaEstimate",
    "EODataError",
    "accuracy_assessment",
    "apply_mask",
    "cohen_kappa",
    "confusion_matrix",
    "evi",
    "fill_time_series",
    "interpolate_gaps",
    "mask_from_bits",
    "mask_from_classes",
    "ndvi",
    "ndwi",
    "ndwi_mcfeeters",
    "normalized_difference",
    "overall_accuracy",
    "producers_accuracy",
    "reflectance",
    "savi",
    "savitzky_golay",
    "stratified_area_estimate",
    "temporal_features",
    "users_accuracy",
]
