"""Module 5's lessons: their builders and the code snippets they share.

Loaded by make_notebooks.py with ``nbcells.sibling`` once ``courses/`` is on the path.
"""

from __future__ import annotations

from nbcells import code, md, opening

DOMAIN = "eo"
IMPORTS = ["import numpy as np", "import pandas as pd"]
PARAMETERS = """
summer_crops = ["maize", "soybean", "sunflower"]  # the class whose area we estimate
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
        *opening(DOMAIN, IMPORTS, PARAMETERS),
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
        *opening(DOMAIN, IMPORTS, PARAMETERS),
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
