"""Error-adjusted area estimation against the worked example of Olofsson et al. (2014).

Published numbers (Remote Sens. Environ. 148, section 5, tables 8-10): a 30 m change map of
10 million pixels (900,000 ha) with four strata and a stratified sample of 640 units. The
paper reports values rounded to the shown precision, so each check allows for that rounding.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from ungp_methods.eo import EODataError, confusion_matrix, stratified_area_estimate

CLASSES = ["Deforestation", "Forest gain", "Stable forest", "Stable non-forest"]
# Table 8: sample counts, rows map class (stratum), columns reference class.
SAMPLE = pd.DataFrame(
    [[66, 0, 5, 4], [0, 55, 8, 12], [1, 0, 153, 11], [2, 1, 9, 313]],
    index=CLASSES,
    columns=CLASSES,
)
MAP_PIXELS = dict(zip(CLASSES, [200_000, 150_000, 3_200_000, 6_450_000], strict=True))
HECTARES_PER_PIXEL = 0.09  # 30 m x 30 m


@pytest.fixture(scope="module")
def estimate():
    return stratified_area_estimate(SAMPLE, MAP_PIXELS, pixel_area=HECTARES_PER_PIXEL)


def test_error_matrix_of_area_proportions_matches_table_9(estimate):
    published = np.array(
        [
            [0.0176, 0.0000, 0.0013, 0.0011],
            [0.0000, 0.0110, 0.0016, 0.0024],
            [0.0019, 0.0000, 0.2967, 0.0213],
            [0.0040, 0.0020, 0.0179, 0.6212],
        ]
    )
    np.testing.assert_allclose(estimate.error_matrix.to_numpy(), published, atol=0.00005 + 1e-12)
    assert estimate.error_matrix.to_numpy().sum() == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("cls", "area_ha", "margin_ha"),
    [
        ("Deforestation", 21_158, 6_158),
        ("Forest gain", 11_686, 3_756),
        ("Stable forest", 285_770, 15_510),
        ("Stable non-forest", 581_386, 16_282),
    ],
)
def test_areas_and_95_percent_intervals_match_the_paper(estimate, cls, area_ha, margin_ha):
    assert estimate.area[cls] == pytest.approx(area_ha, abs=0.5)
    # The paper rounds the standard error before multiplying by 1.96, hence 1 ha tolerance.
    assert estimate.margin[cls] == pytest.approx(margin_ha, abs=1.0)
    assert estimate.ci_low[cls] == pytest.approx(area_ha - margin_ha, abs=1.5)


def test_accuracies_match_the_paper(estimate):
    assert estimate.overall_accuracy == pytest.approx(0.95, abs=0.005)
    assert 1.96 * estimate.overall_accuracy_se == pytest.approx(0.02, abs=0.005)
    users = [0.88, 0.73, 0.93, 0.96]
    users_margin = [0.07, 0.10, 0.04, 0.02]
    producers = [0.75, 0.85, 0.93, 0.96]
    np.testing.assert_allclose(estimate.users_accuracy, users, atol=0.005)
    np.testing.assert_allclose(1.96 * estimate.users_accuracy_se, users_margin, atol=0.005)
    np.testing.assert_allclose(estimate.producers_accuracy, producers, atol=0.005)
    # Producer's accuracy margins: the paper prints +/-0.21 and +/-0.03 for deforestation and
    # stable forest, which eq. 7 reproduces; its 0.23 and 0.01 for the other two classes are
    # not reproduced by eq. 7 (0.25 and 0.02), as other implementations also note.
    margins = 1.96 * estimate.producers_accuracy_se
    assert margins["Deforestation"] == pytest.approx(0.21, abs=0.005)
    assert margins["Stable forest"] == pytest.approx(0.03, abs=0.005)


def test_estimated_areas_add_up_to_the_mapped_total(estimate):
    assert estimate.area.sum() == pytest.approx(900_000)
    assert estimate.map_area.sum() == pytest.approx(900_000)


def test_a_perfect_map_keeps_the_mapped_areas_with_zero_error():
    sample = pd.DataFrame([[30, 0], [0, 40]], index=["crop", "other"], columns=["crop", "other"])
    est = stratified_area_estimate(sample, {"crop": 100, "other": 300})
    assert est.area.tolist() == pytest.approx([100, 300])
    assert est.area_se.tolist() == pytest.approx([0, 0])


def test_sample_built_from_labels_gives_the_same_estimate():
    mapped, reference = [], []
    for i, row in enumerate(CLASSES):
        for j, col in enumerate(CLASSES):
            mapped += [row] * int(SAMPLE.iloc[i, j])
            reference += [col] * int(SAMPLE.iloc[i, j])
    matrix = confusion_matrix(mapped, reference, classes=CLASSES)
    est = stratified_area_estimate(matrix, MAP_PIXELS)
    assert est.area["Deforestation"] == pytest.approx(21_158 / HECTARES_PER_PIXEL, rel=1e-4)


def test_a_stratum_with_one_sample_unit_is_refused():
    sample = pd.DataFrame([[1, 0], [3, 40]], index=["a", "b"], columns=["a", "b"])
    with pytest.raises(EODataError, match="fewer than 2"):
        stratified_area_estimate(sample, {"a": 10, "b": 90})


def test_a_mapped_class_without_area_is_refused():
    with pytest.raises(EODataError, match="no mapped area"):
        stratified_area_estimate(SAMPLE, {"Deforestation": 5})
