"""Thematic accuracy of a classified map from a reference sample.

Convention (Olofsson et al. 2014, Congalton & Green 2019): the confusion (error) matrix has
*map* classes in rows and *reference* classes in columns; user's accuracy is read along a row
(how often a pixel labelled c on the map is really c: 1 - commission error) and producer's
accuracy down a column (how much of the real c the map found: 1 - omission error).

These are the plain sample estimates, correct for a simple random or systematic sample. For a
stratified sample (the recommended design, with strata = map classes) use
:func:`ungp_methods.eo.area.stratified_area_estimate`, which weights the sample by the mapped
area of each stratum.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from .errors import EODataError


def confusion_matrix(
    mapped: ArrayLike, reference: ArrayLike, classes: Sequence | None = None
) -> pd.DataFrame:
    """Count sample units by (map class, reference class): rows map, columns reference.

    ``classes`` fixes the order and includes classes with no sample unit (a zero row and
    column); by default the sorted union of labels is used. Units labelled outside
    ``classes`` are an error, as silently dropping them would inflate the accuracy.
    """
    m = pd.Series(np.asarray(mapped), name="map")
    r = pd.Series(np.asarray(reference), name="reference")
    if len(m) != len(r):
        raise EODataError(
            f"mapped has {len(m)} labels but reference has {len(r)}; give one map label and "
            "one reference label per sample unit."
        )
    if m.isna().any() or r.isna().any():
        raise EODataError("labels contain missing values; drop unusable sample units first.")
    labels = list(classes) if classes is not None else sorted(set(m) | set(r))
    unknown = (set(m) | set(r)) - set(labels)
    if unknown:
        raise EODataError(f"labels {sorted(map(str, unknown))} are not in classes={labels}.")
    index = pd.Index(labels, name="map")
    columns = pd.Index(labels, name="reference")
    counts = pd.crosstab(m, r).reindex(index=index, columns=columns, fill_value=0)
    return counts.astype(np.int64)


def _square(matrix: pd.DataFrame | ArrayLike) -> np.ndarray:
    values = np.asarray(matrix, dtype=float)
    if values.ndim != 2 or values.shape[0] != values.shape[1]:
        raise EODataError(f"a confusion matrix must be square, got shape {values.shape}.")
    if isinstance(matrix, pd.DataFrame) and list(matrix.index) != list(matrix.columns):
        raise EODataError(
            "the matrix rows (map classes) and columns (reference classes) must list the "
            "same classes in the same order; reorder with matrix.loc[classes, classes]."
        )
    if (values < 0).any() or values.sum() == 0:
        raise EODataError("a confusion matrix holds non-negative counts with a positive total.")
    return values


def _labels(matrix: pd.DataFrame | ArrayLike, n: int) -> pd.Index:
    return matrix.index if isinstance(matrix, pd.DataFrame) else pd.RangeIndex(n)


def overall_accuracy(matrix: pd.DataFrame | ArrayLike) -> float:
    """Share of sample units whose map class equals the reference class (trace / total)."""
    m = _square(matrix)
    return float(np.trace(m) / m.sum())


def users_accuracy(matrix: pd.DataFrame | ArrayLike) -> pd.Series:
    """Per map class: correct / row total (1 - commission error); NaN for an empty row."""
    m = _square(matrix)
    with np.errstate(invalid="ignore", divide="ignore"):
        values = np.diag(m) / m.sum(axis=1)
    return pd.Series(values, index=_labels(matrix, len(m)), name="users_accuracy")


def producers_accuracy(matrix: pd.DataFrame | ArrayLike) -> pd.Series:
    """Per reference class: correct / column total (1 - omission error); NaN if no unit."""
    m = _square(matrix)
    with np.errstate(invalid="ignore", divide="ignore"):
        values = np.diag(m) / m.sum(axis=0)
    return pd.Series(values, index=_labels(matrix, len(m)), name="producers_accuracy")


def cohen_kappa(matrix: pd.DataFrame | ArrayLike) -> float:
    """Cohen's kappa, (p_o - p_e) / (1 - p_e), agreement beyond chance.

    Reported because many legacy assessments use it; Olofsson et al. (2014) and Pontius &
    Millones (2011, Death to Kappa, Int. J. Remote Sens. 32) advise against it, as it adds
    nothing to overall accuracy and its "chance" baseline is not meaningful for maps.
    Reference: Cohen (1960), Educ. Psychol. Meas. 20.
    """
    m = _square(matrix)
    total = m.sum()
    observed = np.trace(m) / total
    expected = float((m.sum(axis=1) * m.sum(axis=0)).sum() / total**2)
    if expected == 1.0:
        return float("nan")
    return float((observed - expected) / (1.0 - expected))


@dataclass(frozen=True)
class AccuracyReport:
    """Accuracy measures of one confusion matrix (rows map, columns reference)."""

    matrix: pd.DataFrame
    overall: float
    users: pd.Series
    producers: pd.Series
    kappa: float

    def table(self) -> pd.DataFrame:
        """User's and producer's accuracy per class, side by side."""
        return pd.DataFrame({"users_accuracy": self.users, "producers_accuracy": self.producers})


def accuracy_assessment(matrix: pd.DataFrame | ArrayLike) -> AccuracyReport:
    """Overall, user's and producer's accuracy and kappa of a sample confusion matrix."""
    m = _square(matrix)
    labels = _labels(matrix, len(m))
    frame = pd.DataFrame(
        m,
        index=pd.Index(labels, name="map"),
        columns=pd.Index(labels, name="reference"),
    )
    return AccuracyReport(
        matrix=frame,
        overall=overall_accuracy(frame),
        users=users_accuracy(frame),
        producers=producers_accuracy(frame),
        kappa=cohen_kappa(frame),
    )
