"""Privacy domain (restricted): a synthetic census sample with quasi-identifiers and weights.

The whole domain is `restricted`: it is the data a disclosure-control lesson protects, so the
hub mounts it only for the groups the site settings allow. A full synthetic census is
simulated and a 10% household sample released with weights, as a census microdata file is.
Truth: the population frequency of every combination of the key variables, so the estimated
risk (sample frequencies and sums of weights) can be compared with the real one.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from ..context import BuildContext
from ..metadata import Variable
from . import Domain

DOMAIN = Domain(
    name="privacy",
    title="Census microdata (restricted)",
    task_team="UN Task Team on Privacy-Enhancing Technologies",
    description=(
        "A synthetic 10% census sample of households and persons with quasi-identifiers and "
        "survey weights, for statistical disclosure control and differential privacy lessons."
    ),
    version="1.0",
)

HOUSEHOLDS = {"small": 8_000, "medium": 300_000, "large": 1_000_000}
SAMPLE_FRACTION = 0.1
REGIONS = ("North", "South", "East", "West", "Capital", "Islands")
REGION_SHARE = (0.2, 0.22, 0.18, 0.17, 0.2, 0.03)
SIZE_P = (0.15, 0.2, 0.18, 0.18, 0.12, 0.08, 0.05, 0.025, 0.015)  # 1..9 persons
OCCUPATIONS = (
    "0 Armed forces",
    "1 Managers",
    "2 Professionals",
    "3 Technicians",
    "4 Clerical support",
    "5 Service and sales",
    "6 Agricultural",
    "7 Craft",
    "8 Plant and machine operators",
    "9 Elementary occupations",
)
OCC_P = (0.004, 0.04, 0.1, 0.09, 0.07, 0.2, 0.17, 0.12, 0.08, 0.126)
OCCUPATION_LABELS = np.array([*OCCUPATIONS, "not employed"])
EDUCATION = ("none", "primary", "lower secondary", "upper secondary", "tertiary")
KEYS = ("region", "sex", "age_group", "household_size", "occupation")
CENSUS_DAY = "2024-07-01"
TIME = {"start": CENSUS_DAY, "end": CENSUS_DAY, "resolution": "census day"}
SPACE = {"description": "a fictional country with six regions", "bbox": None}


def _strings(values) -> pa.Array:
    return pa.array([str(v) for v in values], pa.string())


def _census(ctx: BuildContext) -> dict[str, np.ndarray]:
    rng = ctx.rng("census")
    h = ctx.pick(HOUSEHOLDS)
    region = rng.choice(len(REGIONS), h, p=REGION_SHARE)
    urban = rng.random(h) < np.where(region == 4, 0.95, 0.45)
    size = 1 + rng.choice(len(SIZE_P), h, p=SIZE_P)
    tenure = rng.choice(["owner", "tenant", "rent-free"], h, p=[0.62, 0.3, 0.08])
    dwelling = np.where(
        urban,
        rng.choice(["house", "apartment", "informal"], h, p=[0.45, 0.45, 0.1]),
        rng.choice(["house", "apartment", "informal"], h, p=[0.85, 0.05, 0.1]),
    )
    hh = np.repeat(np.arange(h), size)
    member = np.arange(len(hh)) - np.repeat(np.cumsum(size) - size, size)
    n = len(hh)
    head_age = rng.integers(20, 86, h)
    age = np.empty(n, dtype=np.int64)
    first = member == 0
    age[first] = head_age
    spouse = (member == 1) & (rng.random(n) < 0.75)
    base = head_age[hh]
    age[spouse] = np.clip(base[spouse] + rng.integers(-6, 5, spouse.sum()), 18, 99)
    child = ~first & ~spouse
    age[child] = np.clip(base[child] - 18 - rng.integers(0, 22, child.sum()), 0, 99)
    elder = child & (rng.random(n) < 0.08)
    age[elder] = np.clip(base[elder] + 20 + rng.integers(0, 15, elder.sum()), 0, 104)
    relationship = np.where(
        first, "head", np.where(spouse, "spouse", np.where(elder, "parent", "child"))
    )
    sex = np.where(first, rng.choice(["M", "F"], n, p=[0.7, 0.3]), rng.choice(["M", "F"], n))
    sex = np.where(spouse, np.where(sex[np.maximum(np.arange(n) - 1, 0)] == "M", "F", "M"), sex)
    edu_level = np.clip(rng.binomial(4, np.where(urban[hh], 0.6, 0.42)), 0, 4)
    edu_level = np.where(age < 15, np.minimum(edu_level, (age >= 6) * 1), edu_level)
    working_age = (age >= 15) & (age < 65)
    employed = working_age & (rng.random(n) < 0.68)
    occ = rng.choice(len(OCCUPATIONS), n, p=OCC_P)
    occ = np.where((edu_level == 4) & (rng.random(n) < 0.6), rng.choice([1, 2, 3], n), occ)
    occupation = np.where(employed, occ, len(OCCUPATIONS))  # code; last = not employed
    activity = np.where(
        employed,
        "employed",
        np.where(working_age & (rng.random(n) < 0.12), "unemployed", "inactive"),
    )
    mean_income = np.array([900, 2600, 2100, 1500, 1000, 700, 450, 800, 850, 500], float)
    income = np.where(employed, np.round(mean_income[occ] * rng.lognormal(0, 0.5, n), -1), 0.0)
    marital = np.where(
        age < 16,
        "never married",
        np.where(
            spouse | (first & (size[hh] > 1) & (rng.random(n) < 0.75)),
            "married",
            rng.choice(["never married", "widowed", "divorced"], n, p=[0.6, 0.25, 0.15]),
        ),
    )
    citizenship = np.where(rng.random(h) < 0.02, "foreign", "national")[hh]
    return {
        "h": h,
        "region": region,
        "urban": urban,
        "size": size,
        "tenure": tenure,
        "dwelling": dwelling,
        "hh": hh,
        "age": age,
        "sex": sex,
        "relationship": relationship,
        "education": np.array(EDUCATION)[edu_level],
        "occupation": occupation,
        "activity": activity,
        "income": income,
        "marital": marital,
        "citizenship": citizenship,
    }


def _sample(ctx: BuildContext, c: dict) -> tuple[np.ndarray, np.ndarray]:
    """A stratified household sample by region; returns chosen household flags and weights."""
    rng = ctx.rng("sample")
    chosen = np.zeros(c["h"], dtype=bool)
    weight = np.zeros(c["h"])
    for r in range(len(REGIONS)):
        idx = np.flatnonzero(c["region"] == r)
        k = max(1, int(round(SAMPLE_FRACTION * len(idx))))
        pick = rng.choice(idx, size=k, replace=False)
        chosen[pick] = True
        weight[pick] = len(idx) / k
    return chosen, weight


def age_group(age: np.ndarray) -> np.ndarray:
    """Five-year groups "00-04" ... "80-84" and "85+", the usual census key."""
    low = np.minimum(age // 5 * 5, 85)
    start = np.char.zfill(low.astype(str), 2)
    label = np.char.add(np.char.add(start, "-"), np.char.zfill((low + 4).astype(str), 2))
    return np.where(low >= 85, "85+", label)


def build(ctx: BuildContext) -> None:
    ctx.report("simulating the census")
    c = _census(ctx)
    chosen, weight = _sample(ctx, c)
    prov = ctx.generated_provenance()
    common = {
        "temporal_coverage": TIME,
        "spatial_coverage": SPACE,
        "provenance": prov,
        "access": "restricted",
        "licence": "restricted: training use on the hub only",
    }
    hid = np.array([f"HH{i + 1:07d}" for i in range(c["h"])])
    regions = np.array(REGIONS)
    hs = np.flatnonzero(chosen)
    ctx.entry(
        "privacy_census_households",
        title="Census sample: households",
        description="Households of a 10% census sample with region, urban/rural, size, "
        "dwelling, tenure and the sampling weight.",
        format="parquet",
        method_notes="Synthetic census; households sampled at 10% within each region (strata), "
        "weight = households in the region / sampled households. Quasi-identifiers: region, "
        "urban, household_size, dwelling_type.",
        variables=[
            Variable("household_id", "1", "household identifier", "string"),
            Variable("region", "1", "region of residence", "string"),
            Variable("urban", "1", "urban area", "bool"),
            Variable("household_size", "persons", "household members", "int64"),
            Variable("dwelling_type", "1", "house, apartment or informal", "string"),
            Variable("tenure", "1", "owner, tenant or rent-free", "string"),
            Variable("weight", "households", "sampling weight", "float64"),
        ],
        **common,
    ).write_parquet(
        "households.parquet",
        pa.table(
            {
                "household_id": pa.array(hid[hs], pa.string()),
                "region": pa.array(regions[c["region"][hs]], pa.string()),
                "urban": pa.array(c["urban"][hs], pa.bool_()),
                "household_size": pa.array(c["size"][hs].astype(np.int64), pa.int64()),
                "dwelling_type": _strings(c["dwelling"][hs]),
                "tenure": _strings(c["tenure"][hs]),
                "weight": pa.array(weight[hs], pa.float64()),
            }
        ),
    )
    hh = c["hh"]
    ps = np.flatnonzero(chosen[hh])
    pid = np.char.add(
        hid[hh[ps]],
        np.char.add(
            "-",
            np.char.zfill(
                (np.arange(len(hh)) - np.repeat(np.cumsum(c["size"]) - c["size"], c["size"]))[
                    ps
                ].astype(str),
                2,
            ),
        ),
    )
    ctx.entry(
        "privacy_census_persons",
        title="Census sample: persons",
        description="Persons of the sampled households with demographic, education and labour "
        "variables, monthly income and the household's weight.",
        format="parquet",
        method_notes="Quasi-identifiers (keys) an intruder may know: region, sex, age, "
        "household_size, occupation (ISCO-08 major group), citizenship, marital_status. Rare "
        "combinations (foreign citizens, armed forces, the oldest ages) make sample uniques. "
        "Income is synthetic (lognormal by occupation), for perturbation and DP-mean lessons.",
        variables=[
            Variable("person_id", "1", "household id and member number", "string"),
            Variable("household_id", "1", "household", "string"),
            Variable("region", "1", "region of residence", "string"),
            Variable("urban", "1", "urban area", "bool"),
            Variable("household_size", "persons", "household members", "int64"),
            Variable("relationship", "1", "to the head: head, spouse, child, parent", "string"),
            Variable("sex", "1", "M or F", "string"),
            Variable("age", "years", "age in completed years", "int64"),
            Variable("marital_status", "1", "marital status", "string"),
            Variable("education", "1", "highest level completed (ISCED-like)", "string"),
            Variable("activity_status", "1", "employed, unemployed or inactive", "string"),
            Variable("occupation", "1", "ISCO-08 major group or not employed", "string"),
            Variable("citizenship", "1", "national or foreign", "string"),
            Variable("income", "currency units per month", "monthly earnings", "float64"),
            Variable("weight", "persons", "sampling weight (of the household)", "float64"),
        ],
        **common,
    ).write_parquet(
        "persons.parquet",
        pa.table(
            {
                "person_id": pa.array(pid, pa.string()),
                "household_id": pa.array(hid[hh[ps]], pa.string()),
                "region": pa.array(regions[c["region"][hh[ps]]], pa.string()),
                "urban": pa.array(c["urban"][hh[ps]], pa.bool_()),
                "household_size": pa.array(c["size"][hh[ps]].astype(np.int64), pa.int64()),
                "relationship": _strings(c["relationship"][ps]),
                "sex": _strings(c["sex"][ps]),
                "age": pa.array(c["age"][ps], pa.int64()),
                "marital_status": _strings(c["marital"][ps]),
                "education": _strings(c["education"][ps]),
                "activity_status": _strings(c["activity"][ps]),
                "occupation": _strings(OCCUPATION_LABELS[c["occupation"][ps]]),
                "citizenship": _strings(c["citizenship"][ps]),
                "income": pa.array(c["income"][ps], pa.float64()),
                "weight": pa.array(weight[hh[ps]], pa.float64()),
            }
        ),
    )
    _key_truth(ctx, c, common)


def _key_truth(ctx: BuildContext, c: dict, common: dict) -> None:
    hh = c["hh"]
    # one integer per key combination (mixed radix), counted without building strings
    radix = (len(REGIONS), 2, 18, len(SIZE_P), len(OCCUPATION_LABELS))
    parts_in = (
        c["region"][hh],
        (c["sex"] == "F").astype(np.int64),
        np.minimum(c["age"] // 5, 17),
        c["size"][hh] - 1,
        c["occupation"],
    )
    code = np.zeros(len(hh), dtype=np.int64)
    for values, base in zip(parts_in, radix, strict=True):
        code = code * base + values
    keys, counts = np.unique(code, return_counts=True)
    decoded = []
    for base in reversed(radix):
        keys, rest = np.divmod(keys, base)
        decoded.append(rest)
    region, sex, age5, size, occ = reversed(decoded)
    ages = age_group(age5 * 5)
    ctx.entry(
        "privacy_key_population_truth",
        title="Planted truth: population frequency of each key combination",
        description="For every combination of region, sex, five-year age group, household "
        "size and occupation present in the census, the number of persons (F_k).",
        format="parquet",
        role="truth",
        truth_of=["privacy_census_persons"],
        method_notes="Counted on the whole synthetic census, not the sample: compare with the "
        "sample frequency f_k and the weighted estimate of F_k used by risk measures.",
        variables=[
            Variable("region", "1", "region", "string"),
            Variable("sex", "1", "M or F", "string"),
            Variable("age_group", "years", "00-04 ... 80-84, 85+", "string"),
            Variable("household_size", "persons", "household members", "int64"),
            Variable("occupation", "1", "ISCO-08 major group or not employed", "string"),
            Variable("population", "persons", "persons with this combination (F_k)", "int64"),
        ],
        **common,
    ).write_parquet(
        "key_population.parquet",
        pa.table(
            {
                "region": _strings(np.array(REGIONS)[region]),
                "sex": _strings(np.where(sex == 1, "F", "M")),
                "age_group": _strings(ages),
                "household_size": pa.array(size + 1, pa.int64()),
                "occupation": _strings(OCCUPATION_LABELS[occ]),
                "population": pa.array(counts.astype(np.int64), pa.int64()),
            }
        ),
    )
