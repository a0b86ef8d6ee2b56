"""Items of the privacy exam: a candidate-specific microdata sample per item.

``generate(item_id, rng)`` gets a generator seeded from HMAC(exam secret, exam, candidate,
attempt, item), so records, key variables, weights and k differ between candidates;
``reference`` computes the answer on the server at grading time with the trusted
``ungp_methods.privacy`` (k-anonymity, sdcMicro's individual risk, key frequencies).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from ungp_hub.certification import exam_source

COLUMNS = ("record", "age_group", "sex", "region", "occupation", "weight")
AGE_GROUPS = ("15-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+")
REGIONS = ("North", "South", "East", "West", "Centre", "Coast")
OCCUPATIONS = ("farmer", "clerk", "teacher", "nurse", "driver", "engineer")
KEYS_3 = ["age_group", "sex", "region"]
KEYS_4 = [*KEYS_3, "occupation"]


def _microdata(rng: np.random.Generator) -> list[list[Any]]:
    """Survey records with skewed categories, so that some key cells are small."""
    regions = REGIONS[: int(rng.integers(3, 7))]
    age_p = rng.dirichlet(np.full(len(AGE_GROUPS), 2.0))
    occ_p = rng.dirichlet(np.full(len(OCCUPATIONS), 1.5))
    rows = []
    for i in range(int(rng.integers(80, 160))):
        rows.append(
            [
                f"R{i + 1:04d}",
                str(rng.choice(AGE_GROUPS, p=age_p)),
                str(rng.choice(["F", "M"])),
                str(rng.choice(regions)),
                str(rng.choice(OCCUPATIONS, p=occ_p)),
                round(float(rng.uniform(20, 250)), 1),
            ]
        )
    return rows


def generate(item_id: str, rng: np.random.Generator) -> dict[str, Any]:
    """The item's parameters (JSON-serialisable); the same rng state gives the same item."""
    if item_id == "q1":
        return {"rows": _microdata(rng), "k": int(rng.choice([2, 3, 5]))}
    if item_id in ("q2", "q3"):
        return {"rows": _microdata(rng)}
    raise KeyError(f"no item {item_id!r} in this exam")


def statement(item_id: str, params: dict[str, Any]) -> str:
    """The question as the candidate reads it (Markdown)."""
    if item_id == "q1":
        return (
            "**Question 1 (3 points).** `tables['q1']` is a survey sample. With the key "
            "variables `age_group`, `sex` and `region`, how many **records violate "
            f"{params['k']}-anonymity** (`q1_k`): their key combination is shared by fewer "
            f"than {params['k']} records of the sample? Store the count in `q1`."
        )
    if item_id == "q2":
        return (
            "**Question 2 (4 points).** `tables['q2']` is a survey sample with weights. With "
            "the key variables `age_group`, `sex` and `region`, compute every record's "
            "**individual risk** as sdcMicro does (Benedetti-Franconi, approximate method): "
            "with fk the sample frequency of its key combination, Fk the sum of the weights "
            "there and p = fk / Fk, the risk is p/(1-p) log(1/p) when fk = 1, "
            "p/(1-p) - (p/(1-p))² log(1/p) when fk = 2, p / (fk - (1 - p)) when fk >= 3, and "
            "1/fk when fk = Fk. Store the **expected number of re-identifications** (the sum "
            "of the individual risks) in `q2`."
        )
    if item_id == "q3":
        return (
            "**Question 3 (3 points).** `tables['q3']` is a survey sample. With the four key "
            "variables `age_group`, `sex`, `region` and `occupation`, how many records are "
            "**sample uniques** (no other record shares their key combination)? Store the "
            "count in `q3`."
        )
    raise KeyError(item_id)


def reference(item_id: str, params: dict[str, Any]) -> float:
    """The correct answer, computed with the trusted methods library."""
    from ungp_methods.privacy import individual_risk, k_anonymity_violations, key_frequencies

    data = exam_source.frame(params, COLUMNS)
    if item_id == "q1":
        return float(k_anonymity_violations(data, KEYS_3, k=params["k"]).sum())
    if item_id == "q2":
        freq = key_frequencies(data, KEYS_3, weight="weight")
        return float(individual_risk(freq["fk"], freq["Fk"]).sum())
    if item_id == "q3":
        return float((key_frequencies(data, KEYS_4)["fk"] == 1).sum())
    raise KeyError(item_id)


def setup_code(params: dict[str, dict[str, Any]]) -> str:
    """The locked first code cell: the candidate's tables and the question parameters."""
    return exam_source.data_cell(params, dict.fromkeys(params, COLUMNS), scalars=("k",))
