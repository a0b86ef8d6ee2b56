"""Confusion matrix and sample accuracies on a matrix small enough to check by hand."""

from __future__ import annotations

import numpy as np
import pytest
from ungp_methods.eo import (
    EODataError,
    accuracy_assessment,
    cohen_kappa,
    confusion_matrix,
    producers_accuracy,
    users_accuracy,
)

MAPPED = ["wheat"] * 5 + ["maize"] * 5
REFERENCE = [
    "wheat",
    "wheat",
    "wheat",
    "wheat",
    "maize",
    "maize",
    "maize",
    "maize",
    "wheat",
    "maize",
]


def test_rows_are_map_classes_and_columns_reference_classes():
    m = confusion_matrix(MAPPED, REFERENCE, classes=["wheat", "maize", "rice"])
    assert m.index.name == "map" and m.columns.name == "reference"
    assert m.loc["wheat"].tolist() == [4, 1, 0]
    assert m.loc["maize"].tolist() == [1, 4, 0]
    assert m.loc["rice"].sum() == 0


def test_accuracies_by_hand():
    m = confusion_matrix(MAPPED, REFERENCE)
    report = accuracy_assessment(m)
    assert report.overall == pytest.approx(8 / 10)
    assert report.users["wheat"] == pytest.approx(4 / 5)
    assert report.producers["maize"] == pytest.approx(4 / 5)
    # p_o = 0.8, p_e = 0.5 * 0.5 + 0.5 * 0.5 = 0.5, kappa = 0.3 / 0.5.
    assert report.kappa == pytest.approx(0.6)


def test_users_and_producers_differ_on_an_unbalanced_matrix():
    m = np.array([[50, 10], [0, 40]])  # rows map, columns reference
    assert users_accuracy(m).tolist() == pytest.approx([50 / 60, 1.0])
    assert producers_accuracy(m).tolist() == pytest.approx([1.0, 40 / 50])
    po, pe = 0.9, (60 * 50 + 40 * 50) / 100**2
    assert cohen_kappa(m) == pytest.approx((po - pe) / (1 - pe))


def test_label_outside_classes_is_an_error():
    with pytest.raises(EODataError, match="not in classes"):
        confusion_matrix(["a", "b"], ["a", "c"], classes=["a", "b"])


def test_non_square_matrix_is_an_error():
    with pytest.raises(EODataError, match="square"):
        accuracy_assessment(np.ones((2, 3)))
