"""Items of the Earth observation exam: candidate-specific pixels, samples and map counts.

``generate(item_id, rng)`` gets a generator seeded from HMAC(exam secret, exam, candidate,
attempt, item), so reflectances, cloud flags, reference samples and map counts differ
between candidates; ``reference`` computes the answer on the server at grading time with the
trusted ``ungp_methods.eo`` (NDVI with a cloud mask, accuracy, Olofsson et al. 2014 area).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from ungp_hub.certification import exam_source

PIXEL_COLUMNS = ("pixel", "red", "nir", "cloud")
SAMPLE_COLUMNS = ("unit", "map", "reference")
CLASSES = ("crop", "grassland", "other")


def _sample(rng: np.random.Generator, per_stratum: tuple[int, int]) -> list[list[Any]]:
    """A stratified sample: per map class, reference labels mostly agreeing with the map."""
    rows = []
    for mapped in CLASSES:
        agree = float(rng.uniform(0.6, 0.92))
        for _ in range(int(rng.integers(*per_stratum))):
            others = [c for c in CLASSES if c != mapped]
            truth = mapped if rng.random() < agree else str(rng.choice(others))
            rows.append([f"S{len(rows) + 1:03d}", mapped, truth])
    return rows


def generate(item_id: str, rng: np.random.Generator) -> dict[str, Any]:
    """The item's parameters (JSON-serialisable); the same rng state gives the same item."""
    if item_id == "q1":
        pixels = int(rng.integers(30, 60))
        red = rng.uniform(0.02, 0.12, pixels)
        nir = rng.uniform(0.2, 0.5, pixels)
        cloud = rng.random(pixels) < rng.uniform(0.1, 0.35)
        red[cloud], nir[cloud] = (
            rng.uniform(0.3, 0.6, int(cloud.sum())),
            rng.uniform(0.3, 0.6, int(cloud.sum())),
        )
        return {
            "rows": [
                [f"P{i:03d}", round(float(red[i]), 4), round(float(nir[i]), 4), int(cloud[i])]
                for i in range(pixels)
            ]
        }
    if item_id == "q2":
        return {"rows": _sample(rng, (15, 40))}
    if item_id == "q3":
        counts = {c: int(rng.integers(20_000, 400_000)) for c in CLASSES}
        return {"rows": _sample(rng, (25, 60)), "map_pixels": counts, "pixel_ha": 0.01}
    raise KeyError(f"no item {item_id!r} in this exam")


def statement(item_id: str, params: dict[str, Any]) -> str:
    """The question as the candidate reads it (Markdown)."""
    if item_id == "q1":
        return (
            "**Question 1 (3 points).** `tables['q1']` holds the Sentinel-2 surface "
            "reflectance of one field's pixels (`red` = B4, `nir` = B8) and a cloud flag "
            "(`cloud` = 1 for a cloudy pixel). Compute the field's **mean NDVI over its "
            "cloud-free pixels**. Store it in `q1`."
        )
    if item_id == "q2":
        return (
            "**Question 2 (3 points).** `tables['q2']` holds a reference sample: for each "
            "sample unit the class on the crop map (`map`) and the class seen by an "
            "interpreter (`reference`). Compute the map's **overall accuracy in %** "
            "(sample units whose map class equals the reference class). Store it in `q2`."
        )
    if item_id == "q3":
        return (
            "**Question 3 (4 points).** `tables['q3']` is a **stratified** reference sample "
            "(strata = map classes) and `q3_map_pixels` gives the number of map pixels of each "
            f"class; a pixel is `q3_pixel_ha` = {params['pixel_ha']} ha. Estimate the "
            "**error-adjusted area of `crop` in hectares** (Olofsson et al. 2014: "
            "p_ij = W_i n_ij / n_i. with W_i the mapped share of class i; area of class j = "
            "total area x sum_i p_ij). Store it in `q3`."
        )
    raise KeyError(item_id)


def reference(item_id: str, params: dict[str, Any]) -> float:
    """The correct answer, computed with the trusted methods library."""
    from ungp_methods.eo import (
        confusion_matrix,
        ndvi,
        overall_accuracy,
        stratified_area_estimate,
    )

    if item_id == "q1":
        pixels = exam_source.frame(params, PIXEL_COLUMNS)
        values = ndvi(pixels["nir"], pixels["red"], mask=pixels["cloud"] == 1)
        return float(np.nanmean(values))
    if item_id == "q2":
        sample = exam_source.frame(params, SAMPLE_COLUMNS)
        return 100.0 * overall_accuracy(confusion_matrix(sample["map"], sample["reference"]))
    if item_id == "q3":
        sample = exam_source.frame(params, SAMPLE_COLUMNS)
        matrix = confusion_matrix(sample["map"], sample["reference"], classes=list(CLASSES))
        estimate = stratified_area_estimate(
            matrix, params["map_pixels"], pixel_area=params["pixel_ha"]
        )
        return float(estimate.area["crop"])
    raise KeyError(item_id)


def setup_code(params: dict[str, dict[str, Any]]) -> str:
    """The locked first code cell: the candidate's tables and the question parameters."""
    columns = {"q1": PIXEL_COLUMNS, "q2": SAMPLE_COLUMNS, "q3": SAMPLE_COLUMNS}
    return exam_source.data_cell(params, columns, scalars=("map_pixels", "pixel_ha"))
