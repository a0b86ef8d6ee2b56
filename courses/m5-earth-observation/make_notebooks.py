"""Build module 5's notebooks: lessons, the nbgrader source notebook and kept submissions.

Run ``python courses/m5-earth-observation/make_notebooks.py`` after editing; commit the .ipynb
files it writes (a test checks they match this script).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from nbcells import (  # noqa: E402
    code,
    main,
    md,
    parameters,
    readonly,
    solution,
    tests,
)

PARAMETERS = """
scale = "small"  # data scale the lesson was written for: small | medium | large
catalog_path = None  # None: $UNGP_CATALOG, else /srv/data/catalog.yaml
summer_crops = ["maize", "soybean", "sunflower"]  # the class whose area we estimate
"""

OPEN = """
import numpy as np
import pandas as pd
from ungp_catalogs import open_catalog, read_entry

cat = open_catalog(catalog_path)
data_scale = cat.eo.metadata["scale"]
if data_scale != scale:
    print(f"Note: this catalogue holds {data_scale!r} data; the lesson was written for {scale!r}.")
"""

FIELD_NDVI = """
from ungp_methods.eo import fill_time_series, ndvi

table = read_entry("eo_field_timeseries", catalog_path)
table["ndvi"] = ndvi(table["B08"], table["B04"])
observed = table.pivot(index="date", columns="field_id", values="ndvi")
dates = pd.to_datetime(observed.index)
filled = pd.DataFrame(
    fill_time_series(observed.to_numpy(), dates.to_numpy()),
    index=observed.index,
    columns=observed.columns,
)
print(f"{observed.shape[1]} fields x {len(dates)} dates; {observed.isna().mean().mean():.0%} "
      "of the field-dates are cloudy (NaN) before gap filling")
"""


def lesson_time_series() -> list:
    return [
        md("""
        # Lesson 5.1 — From Sentinel-2 scenes to clean NDVI time series

        **You will learn** to turn multi-band scenes into surface reflectance, to mask clouds
        and shadows with the Scene Classification band, to compute vegetation indices, and to
        fill the gaps clouds leave in a time series.

        Sentinel-2 Level-2A products store surface reflectance times 10000 in each band, and a
        Scene Classification Layer (SCL) that labels clouds (8, 9), thin cirrus (10) and cloud
        shadows (3) (ESA, Sentinel-2 L2A Product Specification). Crop statistics use the
        *seasonal curve* of greenness, so every cloudy date is a gap to fill.
        """),
        parameters(PARAMETERS),
        code(OPEN),
        code("""
        scenes = read_entry("eo_s2_scenes", catalog_path)  # DataArray (time, band, y, x)
        print(dict(scenes.sizes), list(scenes["band"].values))
        """),
        md("""
        ## Reflectance, mask and NDVI

        NDVI = (NIR - red) / (NIR + red) (Rouse et al. 1974; Tucker 1979): green leaves absorb
        red light and reflect near infrared, so NDVI is high over dense vegetation.
        """),
        code("""
        from ungp_methods.eo import SCL_INVALID, apply_mask, mask_from_classes, ndvi, reflectance

        red = reflectance(scenes.sel(band="B04").values)
        nir = reflectance(scenes.sel(band="B08").values)
        cloudy = mask_from_classes(scenes.sel(band="SCL").values)
        ndvi_stack = apply_mask(ndvi(nir, red), cloudy)
        share = cloudy.mean(axis=(1, 2))
        print(f"masked SCL classes: {sorted(SCL_INVALID)}")
        print(f"cloudy share per date: min {share.min():.0%}, max {share.max():.0%}")
        """),
        code("""
        import matplotlib.pyplot as plt

        worst = int(share.argmax())
        fig, axes = plt.subplots(1, 2, figsize=(9, 4))
        axes[0].imshow(np.nanmean(ndvi_stack, axis=0), vmin=0, vmax=0.9, cmap="YlGn")
        axes[0].set_title("mean NDVI over the season")
        axes[1].imshow(ndvi_stack[worst], vmin=0, vmax=0.9, cmap="YlGn")
        axes[1].set_title(f"{str(scenes['time'].values[worst])[:10]}: clouds masked");
        """),
        md("""
        ## Per-field series

        A crop statistics system works per field: the catalogue's `eo_field_timeseries`
        averages the clear pixels of each field (NaN when less than half of it is clear).
        Gaps are filled by linear interpolation in time, following the real dates, and the
        ends are held at the nearest clear value (`fill_time_series`; a Savitzky-Golay filter,
        Savitzky and Golay 1964, can smooth the result).
        """),
        code(FIELD_NDVI),
        code("""
        truth = read_entry("eo_field_map_truth", catalog_path).set_index("field_id")
        example = {crop: truth.index[truth["crop_type"] == crop][0]
                   for crop in truth["crop_type"].unique()}
        ax = filled[list(example.values())].set_axis(list(example), axis=1).plot(
            figsize=(9, 3.5), title="Gap-filled NDVI, one field per crop (from the truth)")
        ax.set_ylabel("NDVI");
        """),
        md("""
        Each crop has its own calendar: wheat greens up in spring and is harvested in early
        summer, maize and soybean peak in July, grassland stays moderately green. This is what
        lesson 5.2 uses to classify fields.

        ### Exercise 1
        Check the per-field table against the scenes: for one date, average the masked NDVI
        of field 1's pixels. (Fields are pixel-aligned rectangles; `eo_fields` gives their
        bounds in metres, and the scene's `x`/`y` coordinates are pixel centres.)
        Why does it differ slightly from the table's NDVI of mean reflectances?
        """),
        code(
            """
            fields = read_entry("eo_fields", catalog_path).set_index("field_id")
            x0, y0, x1, y1 = fields.loc[1, "geometry"].bounds
            xs, ys = scenes["x"].values, scenes["y"].values
            inside = np.ix_((ys > y0) & (ys < y1), (xs > x0) & (xs < x1))
            t = int(np.argmin(share))  # the clearest date
            pixel_mean = np.nanmean(ndvi_stack[t][inside])
            print(f"mean of pixel NDVI {pixel_mean:.4f}; NDVI of mean reflectance "
                  f"{observed.iloc[t][1]:.4f} (the mean of a ratio is not the ratio of means)")
            """,
            hidden=True,
        ),
        md("""
        ### Exercise 2
        Which field has the longest run of consecutive cloudy dates? Plot its observed and
        gap-filled series.
        """),
        code(
            """
            gaps = observed.isna()
            runs = gaps.apply(lambda g: g.groupby((~g).cumsum()).sum().max())
            field = runs.idxmax()
            print(f"field {field}: {runs.max()} consecutive cloudy dates")
            pd.DataFrame({"observed": observed[field], "filled": filled[field]}).plot(
                style=["o", "-"], figsize=(9, 3));
            """,
            hidden=True,
        ),
        md("""
        ## References
        - ESA (2021), *Sentinel-2 Products Specification Document*, Level-2A SCL.
        - J. W. Rouse et al. (1974), "Monitoring vegetation systems in the Great Plains with
          ERTS", NASA SP-351; C. J. Tucker (1979), *Remote Sensing of Environment* 8(2).
        - A. Savitzky and M. J. E. Golay (1964), *Analytical Chemistry* 36(8), 1627-1639.
        - FAO (2016), *Handbook on Remote Sensing for Agricultural Statistics*, GSARS.
        """),
    ]


def lesson_area() -> list:
    return [
        md("""
        # Lesson 5.2 — Crop maps, accuracy and error-adjusted area estimation

        **You will learn** to compute temporal features per field, to classify fields with a
        simple classifier trained on a labelled sample, to assess a map's accuracy on a
        reference sample, and to estimate crop area without the bias of pixel counting
        (Olofsson et al. 2014).
        """),
        parameters(PARAMETERS),
        code(OPEN),
        code(FIELD_NDVI),
        md("""
        ## Temporal features

        Crops differ less in one image than in their season: when they peak, how high, for how
        long (Defourny et al. 2019). `temporal_features` gives per-field statistics.
        """),
        code("""
        from ungp_methods.eo import temporal_features

        long = filled.stack().rename("ndvi").reset_index()
        features = temporal_features(long, variables=["ndvi"])
        features["ndvi_time_of_max"] = pd.to_datetime(features["ndvi_time_of_max"]).dt.day_of_year
        features.head()
        """),
        md("""
        ## A crop map from a labelled sample

        The ground survey labelled a random sample of fields (`eo_labelled_sample`). A
        *nearest-centroid* classifier assigns each field the crop whose mean (standardised)
        features are closest; it is written with numpy here to keep the image small (in
        practice, random forests are common).
        """),
        code("""
        labels = read_entry("eo_labelled_sample", catalog_path).set_index("field_id")["crop_type"]
        columns = ["ndvi_mean", "ndvi_max", "ndvi_min", "ndvi_amplitude", "ndvi_time_of_max"]
        z = (features[columns] - features[columns].mean()) / features[columns].std()
        centroids = z.loc[labels.index].groupby(labels).mean()
        distance = ((z.to_numpy()[:, None, :] - centroids.to_numpy()[None]) ** 2).sum(axis=2)
        crop_map = pd.Series(centroids.index[distance.argmin(axis=1)], index=z.index)
        truth = read_entry("eo_field_map_truth", catalog_path).set_index("field_id")
        print("crops in the labelled sample:", sorted(labels.unique()))
        print("crops in the truth:          ", sorted(truth["crop_type"].unique()))
        print(f"share of fields mapped right: {(crop_map == truth['crop_type']).mean():.0%}")
        """),
        md("""
        A crop missing from the training sample cannot appear on the map: its fields go to
        the nearest crop. A map is never the truth; official area statistics come from a
        **reference sample** and use the map only to make the estimate more precise.

        ## Accuracy assessment and area of summer crops

        We estimate the area of summer crops (maize, soybean, sunflower). To see the
        estimator at work we use a deliberately cheap map: *NDVI above 0.5 on the first July
        acquisition*. Then we draw a stratified random sample of fields in each map class;
        in this lesson the truth entry plays the surveyor who visits them.
        """),
        code("""
        july = filled.index[pd.to_datetime(filled.index).month == 7][0]
        mapped = np.where(filled.loc[july] > 0.5, "summer", "other")
        fields = read_entry("eo_fields", catalog_path).set_index("field_id")
        strata = pd.DataFrame({"map": mapped, "area_ha": fields.loc[filled.columns, "area_ha"]},
                              index=filled.columns)
        reference = np.where(truth["crop_type"].isin(summer_crops), "summer", "other")
        strata["reference"] = pd.Series(reference, index=truth.index)
        rng = np.random.default_rng(2014)
        sample = pd.concat(
            g.loc[rng.choice(g.index, size=min(10, len(g)), replace=False)]
            for _, g in strata.groupby("map")
        )
        print(sample["map"].value_counts().to_dict(), "sample fields per map class (stratum)")
        """),
        code("""
        from ungp_methods.eo import accuracy_assessment, confusion_matrix, stratified_area_estimate

        matrix = confusion_matrix(sample["map"], sample["reference"], classes=["summer", "other"])
        report = accuracy_assessment(matrix)
        print(matrix, f"\\noverall accuracy (sample, unweighted) {report.overall:.2f}")
        """),
        md("""
        The sample is stratified, so the estimator weights each stratum by its mapped share
        $W_i$: $\\hat p_{ij} = W_i n_{ij} / n_{i\\cdot}$, the area of class $j$ is
        $A \\sum_i \\hat p_{ij}$, with a standard error from the within-stratum proportions
        (Olofsson et al. 2014, eqs. 9-10). Here sample units are fields, not pixels, and the
        mapped "area" of a stratum is its hectares: an approximation that is good when field
        size does not depend on the map error.
        """),
        code("""
        map_area = strata.groupby("map")["area_ha"].sum()
        estimate = stratified_area_estimate(matrix, map_area)
        true_area = truth.loc[truth["crop_type"].isin(summer_crops), "area_ha"].sum()
        crop_truth = read_entry("eo_crop_area_truth", catalog_path).set_index("crop_type")
        assert abs(crop_truth.loc[summer_crops, "area_ha"].sum() - true_area) < 1e-6
        table = estimate.table()[["map_area", "area", "area_se", "ci_low", "ci_high"]]
        print(f"true summer-crop area {true_area:.2f} ha")
        table.round(2)
        """),
        md("""
        ### Exercise 1
        Does the 95% confidence interval of the error-adjusted area cover the true area? By
        how many hectares was the mapped (pixel-counting) area off?
        """),
        code(
            """
            low, high = estimate.ci_low["summer"], estimate.ci_high["summer"]
            print(f"covers the truth: {low <= true_area <= high}; pixel counting off by "
                  f"{map_area['summer'] - true_area:+.2f} ha, estimate off by "
                  f"{estimate.area['summer'] - true_area:+.2f} ha")
            """,
            hidden=True,
        ),
        md("""
        ### Exercise 2
        Redo the estimate with the nearest-centroid map (summer = a summer crop on the map).
        Is the interval narrower? Why? (A sample without a single error gives a standard error
        of 0: a sign that the sample is small, not a proof that the map is perfect.)
        """),
        code(
            """
            better = strata.assign(map=np.where(crop_map.isin(summer_crops), "summer", "other"))
            rng2 = np.random.default_rng(2014)
            sample2 = pd.concat(
                g.loc[rng2.choice(g.index, size=min(10, len(g)), replace=False)]
                for _, g in better.groupby("map")
            )
            m2 = confusion_matrix(sample2["map"], sample2["reference"], classes=["summer", "other"])
            e2 = stratified_area_estimate(m2, better.groupby("map")["area_ha"].sum())
            print(f"interval width: cheap map {2 * estimate.margin['summer']:.2f} ha, "
                  f"classifier map {2 * e2.margin['summer']:.2f} ha")
            """,
            hidden=True,
        ),
        md("""
        ## References
        - P. Olofsson, G. M. Foody, M. Herold, S. V. Stehman, C. E. Woodcock and M. A. Wulder
          (2014), "Good practices for estimating area and assessing accuracy of land change",
          *Remote Sensing of Environment* 148, 42-57.
        - P. Defourny et al. (2019), "Near real-time agriculture monitoring at national scale
          at parcel resolution", *Remote Sensing of Environment* 221, 551-568.
        - FAO (2016), *Handbook on Remote Sensing for Agricultural Statistics*, GSARS, ch. 4-5.
        """),
    ]


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


if __name__ == "__main__":
    main(
        __file__,
        lessons={
            "01-ndvi-time-series.ipynb": lesson_time_series,
            "02-crop-maps-and-area-estimation.ipynb": lesson_area,
        },
        assignment=ASSIGNMENT,
        notebook_name=NOTEBOOK,
        source=assignment,
        wrong={
            "forward_fill": WRONG_FORWARD_FILL,
            "mapped_area": WRONG_MAPPED_AREA,
        },
    )
