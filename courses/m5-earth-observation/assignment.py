"""Module 5's graded assignment: the nbgrader source notebook and the kept wrong submissions.

Loaded by make_notebooks.py with ``nbcells.sibling`` once ``courses/`` is on the path.
"""

from __future__ import annotations

from nbcells import code, md, readonly, solution, tests

ASSIGNMENT = "m5_crop_area"
NOTEBOOK = "crop_area.ipynb"

Q1_SOLUTION = '''
def gap_filled_ndvi(table: pd.DataFrame) -> pd.DataFrame:
    """NDVI per date (rows, sorted) and field (columns), gaps filled linearly in time."""
    ### BEGIN SOLUTION
    values = table.assign(ndvi=(table["B08"] - table["B04"]) / (table["B08"] + table["B04"]))
    wide = values.pivot(index="date", columns="field_id", values="ndvi").sort_index()
    index = wide.index
    wide.index = pd.to_datetime(wide.index)
    wide = wide.interpolate(method="time", limit_direction="both")
    wide.index = index
    return wide
    ### END SOLUTION


ndvi_filled = gap_filled_ndvi(table)
'''

Q2_SOLUTION = '''
def season_features(ndvi_filled: pd.DataFrame) -> pd.DataFrame:
    """Per field (index field_id): ndvi_mean, ndvi_max, ndvi_amplitude, ndvi_time_of_max."""
    ### BEGIN SOLUTION
    return pd.DataFrame(
        {
            "ndvi_mean": ndvi_filled.mean(),
            "ndvi_max": ndvi_filled.max(),
            "ndvi_amplitude": ndvi_filled.max() - ndvi_filled.min(),
            "ndvi_time_of_max": ndvi_filled.idxmax(),
        }
    ).rename_axis("field_id")
    ### END SOLUTION


features = season_features(ndvi_filled)
'''

Q3_SOLUTION = '''
def users_and_overall(sample: pd.DataFrame) -> tuple[pd.Series, float]:
    """User's accuracy per map class and the sample's overall accuracy."""
    ### BEGIN SOLUTION
    correct = sample["map"] == sample["reference"]
    users = correct.groupby(sample["map"]).mean()
    return users, float(correct.mean())
    ### END SOLUTION


users, overall = users_and_overall(sample)
'''

Q4_SOLUTION = '''
def summer_area(sample: pd.DataFrame, map_area: pd.Series) -> float:
    """Error-adjusted area (ha) of the reference class "summer" (Olofsson et al. 2014)."""
    ### BEGIN SOLUTION
    weights = map_area / map_area.sum()
    share_summer = (sample["reference"] == "summer").groupby(sample["map"]).mean()
    return float(map_area.sum() * (weights * share_summer).sum())
    ### END SOLUTION


area_summer = summer_area(sample, map_area)
'''

SETUP = """
import numpy as np
import pandas as pd
from ungp_catalogs import read_entry

table = read_entry("eo_field_timeseries")
fields = read_entry("eo_fields").set_index("field_id")
SUMMER = ["maize", "soybean", "sunflower"]
"""

SAMPLE_SETUP = """
# The map: a field is "summer" when its NDVI exceeds 0.5 on the first July date.
july = ndvi_filled.index[pd.to_datetime(ndvi_filled.index).month == 7][0]
strata = pd.DataFrame(
    {"map": np.where(ndvi_filled.loc[july] > 0.5, "summer", "other"),
     "area_ha": fields.loc[ndvi_filled.columns, "area_ha"].to_numpy()},
    index=ndvi_filled.columns,
)
map_area = strata.groupby("map")["area_ha"].sum()
# The reference sample: 10 fields per map class, labelled by a (simulated) field survey.
_truth = read_entry("eo_field_map_truth").set_index("field_id")["crop_type"]
strata["reference"] = np.where(_truth.loc[strata.index].isin(SUMMER), "summer", "other")
_rng = np.random.default_rng(2014)
sample = pd.concat(
    g.loc[_rng.choice(g.index, size=min(10, len(g)), replace=False)]
    for _, g in strata.groupby("map")
)
sample["map"].value_counts()
"""

HIDDEN_NDVI = """
from ungp_methods.eo import fill_time_series, ndvi

_t = table.assign(ndvi=ndvi(table["B08"], table["B04"]))
_obs = _t.pivot(index="date", columns="field_id", values="ndvi").sort_index()
_ref = pd.DataFrame(fill_time_series(_obs.to_numpy(), pd.to_datetime(_obs.index).to_numpy()),
                    index=_obs.index, columns=_obs.columns)
"""


def assignment() -> list:
    return [
        readonly(
            "intro",
            """
        # Assignment 5 — The area of summer crops from Sentinel-2 and a field sample

        From the catalogue's per-field Sentinel-2 series you will build gap-filled NDVI
        curves and season features, assess a simple summer-crop map on a reference sample
        and estimate the summer-crop area with the stratified estimator of Olofsson et al.
        (2014).

        Complete each cell marked `YOUR CODE HERE` with your own pandas/numpy code (not
        `ungp_methods`). Visible tests check the shape of your results; hidden tests, run at
        grading, compare your numbers with the trusted library `ungp_methods.eo` on the same
        data. **Restart the kernel and run all cells before you submit.**
        """,
        ),
        code(SETUP),
        readonly(
            "q1-text",
            """
        ## Question 1 (3 points) — gap-filled NDVI
        Write `gap_filled_ndvi(table)`: NDVI = (B08 - B04) / (B08 + B04) per field and date,
        as a table with one row per `date` (sorted, the table's date values as index) and
        one column per `field_id`. Fill the NaN (cloudy) values by **linear interpolation in
        time** (following the actual dates) and hold the first/last clear value at the ends.
        """,
        ),
        solution("q1-answer", Q1_SOLUTION),
        tests(
            "q1-visible",
            1,
            """
        assert ndvi_filled.shape == (table["date"].nunique(), table["field_id"].nunique())
        assert not ndvi_filled.isna().any().any()
        assert ndvi_filled.index.is_monotonic_increasing
        assert ndvi_filled.stack().between(-1, 1).all()
        """,
        ),
        tests(
            "q1-hidden",
            2,
            "# Hidden tests compare with ungp_methods.eo.fill_time_series.",
            HIDDEN_NDVI
            + """
np.testing.assert_allclose(ndvi_filled.loc[_ref.index, _ref.columns].to_numpy(),
                           _ref.to_numpy(), atol=1e-9)
""",
        ),
        readonly(
            "q2-text",
            """
        ## Question 2 (2 points) — season features
        Write `season_features(ndvi_filled)`: one row per field (index `field_id`) with
        `ndvi_mean`, `ndvi_max`, `ndvi_amplitude` (max - min) and `ndvi_time_of_max` (the
        date of the first maximum).
        """,
        ),
        solution("q2-answer", Q2_SOLUTION),
        tests(
            "q2-visible",
            1,
            """
        assert {"ndvi_mean", "ndvi_max", "ndvi_amplitude", "ndvi_time_of_max"} <= set(features)
        assert len(features) == ndvi_filled.shape[1]
        assert (features["ndvi_max"] >= features["ndvi_mean"]).all()
        """,
        ),
        tests(
            "q2-hidden",
            1,
            "# Hidden tests compare with ungp_methods.eo.temporal_features.",
            HIDDEN_NDVI
            + """
from ungp_methods.eo import temporal_features

_f = temporal_features(_ref.stack().rename("ndvi").reset_index(), variables=["ndvi"])
for _c in ["ndvi_mean", "ndvi_max", "ndvi_amplitude"]:
    np.testing.assert_allclose(features.loc[_f.index, _c], _f[_c], atol=1e-9)
assert (pd.Series(features.loc[_f.index, "ndvi_time_of_max"]).astype(str).to_numpy()
        == _f["ndvi_time_of_max"].astype(str).to_numpy()).all()
""",
        ),
        md("""
        ## The map and the reference sample
        The next cell (given) builds a cheap summer-crop map from your NDVI and draws a
        stratified random sample of 10 fields per map class, whose true class (`reference`)
        a field survey recorded.
        """),
        code(SAMPLE_SETUP),
        readonly(
            "q3-text",
            """
        ## Question 3 (2 points) — accuracy on the reference sample
        Write `users_and_overall(sample)`: the **user's accuracy** of each map class (share of
        the sample units mapped as that class whose reference agrees; a Series indexed by map
        class) and the sample's **overall accuracy** (share of agreeing units, unweighted).
        """,
        ),
        solution("q3-answer", Q3_SOLUTION),
        tests(
            "q3-visible",
            1,
            """
        assert set(users.index) == {"summer", "other"}
        assert users.between(0, 1).all() and 0 <= overall <= 1
        """,
        ),
        tests(
            "q3-hidden",
            1,
            "# Hidden tests compare with ungp_methods.eo.accuracy_assessment.",
            """
from ungp_methods.eo import accuracy_assessment, confusion_matrix

_m = confusion_matrix(sample["map"], sample["reference"], classes=["summer", "other"])
_rep = accuracy_assessment(_m)
assert abs(overall - _rep.overall) < 1e-9
np.testing.assert_allclose(users.loc[_rep.users.index], _rep.users, atol=1e-9)
""",
        ),
        readonly(
            "q4-text",
            """
        ## Question 4 (3 points) — error-adjusted area
        Write `summer_area(sample, map_area)`: the stratified (error-adjusted) estimate of the
        area of the reference class "summer", $A \\sum_i W_i \\, n_{i,summer} / n_{i\\cdot}$,
        where $W_i$ is the mapped share of map class $i$ (`map_area` in ha) and $A$ the total
        area (Olofsson et al. 2014, eq. 9). Do **not** just report the mapped area.
        """,
        ),
        solution("q4-answer", Q4_SOLUTION),
        tests(
            "q4-visible",
            1,
            """
        assert 0 < area_summer < map_area.sum()
        """,
        ),
        tests(
            "q4-hidden",
            2,
            "# Hidden tests compare with ungp_methods.eo.stratified_area_estimate.",
            """
from ungp_methods.eo import confusion_matrix, stratified_area_estimate

_m = confusion_matrix(sample["map"], sample["reference"], classes=["summer", "other"])
_est = stratified_area_estimate(_m, map_area)
assert abs(area_summer - _est.area["summer"]) < 1e-6
""",
        ),
    ]


def _strip(text: str) -> str:
    return text.replace("    ### BEGIN SOLUTION\n", "").replace("    ### END SOLUTION\n", "")


# A trainee who fills cloudy dates with the last clear value (forward fill) instead of
# interpolating; the features, the map and the sample all follow.
WRONG_FORWARD_FILL = {
    "q1-answer": _strip(
        Q1_SOLUTION.replace(
            'wide = wide.interpolate(method="time", limit_direction="both")',
            "wide = wide.ffill().bfill()",
        )
    ),
}

# A trainee who reports the mapped (pixel-counting) area of the "summer" class.
WRONG_MAPPED_AREA = {
    "q4-answer": """
    def summer_area(sample: pd.DataFrame, map_area: pd.Series) -> float:
        \"\"\"Error-adjusted area (ha) of the reference class "summer" (Olofsson et al. 2014).\"\"\"
        return float(map_area["summer"])


    area_summer = summer_area(sample, map_area)
    """,
}
