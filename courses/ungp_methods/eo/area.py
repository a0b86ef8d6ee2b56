"""Error-adjusted (stratified) estimation of class areas with confidence intervals.

Counting the pixels of a class on a map gives a biased area: omission and commission errors do
not cancel. The good-practice estimator of Olofsson et al. (2014) uses the map as strata and a
reference sample as the truth:

* ``W_i = A_m,i / A`` is the mapped share of stratum (map class) ``i``;
* ``p_ij = W_i n_ij / n_i.`` estimates the share of the area that is mapped ``i`` and is
  really ``j`` (``n_ij`` sample counts, rows map, columns reference);
* the area share of reference class ``j`` is ``p_.j = sum_i p_ij``, with standard error
  ``sqrt(sum_i W_i^2 (n_ij / n_i.)(1 - n_ij / n_i.) / (n_i. - 1))`` (their eq. 10);
* area ``A_j = A p_.j`` with standard error ``A SE(p_.j)`` and a normal confidence interval;
* overall, user's and producer's accuracy and their standard errors follow their eqs. 1-7.

Reference: Olofsson, Foody, Herold, Stehman, Woodcock & Wulder (2014), Good practices for
estimating area and assessing accuracy of land change, Remote Sens. Environ. 148, 42-57
(section 5 and the worked example in its tables 8-10), building on Cochran (1977), Sampling
Techniques, and Olofsson et al. (2013), Remote Sens. Environ. 129, 122-131. The same estimator
is used for crop area in FAO/GEOGLAM practice (FAO 2016, Handbook on remote sensing for
agricultural statistics, GSARS).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd

from .errors import EODataError


@dataclass(frozen=True)
class AreaEstimate:
    """Stratified estimates of area and accuracy; Series are indexed by class.

    Areas are in the unit of ``map_counts x pixel_area`` (pixels when ``pixel_area=1``;
    hectares for 30 m Landsat pixels with ``pixel_area=0.09``).
    """

    error_matrix: pd.DataFrame  # p_ij: estimated area proportions, rows map, columns reference
    map_area: pd.Series
    proportion: pd.Series
    proportion_se: pd.Series
    area: pd.Series
    area_se: pd.Series
    ci_low: pd.Series
    ci_high: pd.Series
    confidence: float
    overall_accuracy: float
    overall_accuracy_se: float
    users_accuracy: pd.Series
    users_accuracy_se: pd.Series
    producers_accuracy: pd.Series
    producers_accuracy_se: pd.Series

    @property
    def margin(self) -> pd.Series:
        """Half-width of the confidence interval of each area (the "+/-" of the paper)."""
        return (self.ci_high - self.area).rename("margin")

    def table(self) -> pd.DataFrame:
        """One row per class: mapped area, estimated area, SE, interval and accuracies."""
        return pd.DataFrame(
            {
                "map_area": self.map_area,
                "area": self.area,
                "area_se": self.area_se,
                "ci_low": self.ci_low,
                "ci_high": self.ci_high,
                "proportion": self.proportion,
                "proportion_se": self.proportion_se,
                "users_accuracy": self.users_accuracy,
                "users_accuracy_se": self.users_accuracy_se,
                "producers_accuracy": self.producers_accuracy,
                "producers_accuracy_se": self.producers_accuracy_se,
            }
        )


def _inputs(
    sample_matrix: pd.DataFrame, map_counts: Mapping | pd.Series
) -> tuple[pd.Index, np.ndarray, np.ndarray]:
    if not isinstance(sample_matrix, pd.DataFrame):
        raise EODataError(
            "sample_matrix must be a DataFrame of sample counts with map classes as rows and "
            "reference classes as columns (see confusion_matrix)."
        )
    classes = pd.Index(sample_matrix.index)
    if set(sample_matrix.columns) != set(classes):
        raise EODataError(
            f"rows {list(classes)} and columns {list(sample_matrix.columns)} of sample_matrix "
            "must be the same classes: every map class is also a reference class."
        )
    counts = sample_matrix.loc[classes, classes].to_numpy(dtype=float)
    mapped = pd.Series(map_counts, dtype=float)
    missing = [c for c in classes if c not in mapped.index]
    if missing:
        raise EODataError(f"map_counts has no mapped area for class(es) {missing}.")
    extra = [c for c in mapped.index if c not in classes and mapped[c] > 0]
    if extra:
        raise EODataError(
            f"map_counts has area for class(es) {extra} with no sample (stratum) in "
            "sample_matrix; every mapped class needs sample units."
        )
    n_i = counts.sum(axis=1)
    thin = [c for c, n in zip(classes, n_i, strict=True) if n < 2]
    if thin:
        raise EODataError(
            f"stratum (map class) {thin} has fewer than 2 sample units; a variance cannot be "
            "estimated. Olofsson et al. (2014) suggest at least 50 units per stratum."
        )
    if (counts < 0).any() or (mapped < 0).any():
        raise EODataError("sample counts and mapped areas must be non-negative.")
    return classes, counts, mapped.loc[classes].to_numpy()


def stratified_area_estimate(
    sample_matrix: pd.DataFrame,
    map_counts: Mapping | pd.Series,
    *,
    pixel_area: float = 1.0,
    confidence: float = 0.95,
) -> AreaEstimate:
    """Error-adjusted area of each class from map pixel counts and a stratified sample.

    ``sample_matrix`` holds the reference sample counts ``n_ij`` (rows: map class = stratum,
    columns: reference class, same labels), e.g. from :func:`confusion_matrix`;
    ``map_counts`` the number of map pixels of each class (the strata sizes). The sample must
    be a stratified random sample with the map classes as strata (simple random or
    systematic samples can be post-stratified the same way). See the module docstring for
    the formulas (Olofsson et al. 2014, eqs. 1-11).
    """
    if not 0 < confidence < 1:
        raise EODataError(f"confidence must be between 0 and 1, got {confidence}.")
    classes, n, map_pixels = _inputs(sample_matrix, map_counts)
    total_area = map_pixels.sum() * pixel_area
    weights = map_pixels / map_pixels.sum()
    n_i = n.sum(axis=1)
    share_in_stratum = n / n_i[:, None]  # n_ij / n_i.
    p = weights[:, None] * share_in_stratum
    proportion = p.sum(axis=0)
    var_prop = (
        (weights[:, None] ** 2) * share_in_stratum * (1 - share_in_stratum) / (n_i[:, None] - 1)
    ).sum(axis=0)
    prop_se = np.sqrt(var_prop)
    z = NormalDist().inv_cdf(0.5 + confidence / 2)

    diag = np.diag(share_in_stratum)  # user's accuracy U_i = n_ii / n_i.
    users_se = np.sqrt(diag * (1 - diag) / (n_i - 1))
    overall = float(np.trace(p))
    overall_se = float(np.sqrt((weights**2 * diag * (1 - diag) / (n_i - 1)).sum()))

    # Producer's accuracy and its variance, Olofsson et al. (2014) eq. 7 (from eq. 6 of
    # Olofsson et al. 2013), written with N_i. = mapped pixels and N^_.j the estimated
    # reference total of class j.
    with np.errstate(invalid="ignore", divide="ignore"):
        producers = np.diag(p) / proportion
        ref_total = (map_pixels[:, None] * share_in_stratum).sum(axis=0)
        producers_var = np.empty(len(classes))
        for j in range(len(classes)):
            own = map_pixels[j] ** 2 * (1 - producers[j]) ** 2 * diag[j] * (1 - diag[j])
            own /= n_i[j] - 1
            others = np.delete(np.arange(len(classes)), j)
            s = share_in_stratum[others, j]
            other = (
                producers[j] ** 2
                * (map_pixels[others] ** 2 * s * (1 - s) / (n_i[others] - 1)).sum()
            )
            producers_var[j] = (own + other) / ref_total[j] ** 2

    def series(values: np.ndarray, name: str) -> pd.Series:
        return pd.Series(values, index=classes, name=name)

    area = proportion * total_area
    area_se = prop_se * total_area
    return AreaEstimate(
        error_matrix=pd.DataFrame(
            p, index=pd.Index(classes, name="map"), columns=pd.Index(classes, name="reference")
        ),
        map_area=series(map_pixels * pixel_area, "map_area"),
        proportion=series(proportion, "proportion"),
        proportion_se=series(prop_se, "proportion_se"),
        area=series(area, "area"),
        area_se=series(area_se, "area_se"),
        ci_low=series(area - z * area_se, "ci_low"),
        ci_high=series(area + z * area_se, "ci_high"),
        confidence=confidence,
        overall_accuracy=overall,
        overall_accuracy_se=overall_se,
        users_accuracy=series(diag, "users_accuracy"),
        users_accuracy_se=series(users_se, "users_accuracy_se"),
        producers_accuracy=series(producers, "producers_accuracy"),
        producers_accuracy_se=series(np.sqrt(producers_var), "producers_accuracy_se"),
    )
