"""Earth observation domain: Sentinel-2-like time series over fields with crop types.

A rectangle of farmland at 10 m resolution is split into fields, each sown with a crop whose
greenness follows a crop-specific seasonal curve (double logistic NDVI). Each acquisition date
gives a GeoTIFF with five reflectance bands and a Scene Classification (SCL) band marking
clouds and their shadows; the same data aggregated per field and date is a Parquet table, the
input of field-level classification. A labelled sample of fields is the training and
reference data; the full field map and the crop areas are the planted truth.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pyarrow as pa
import shapely

from ..context import BuildContext
from ..metadata import Variable
from . import Domain

DOMAIN = Domain(
    name="eo",
    title="Earth observation for crop statistics",
    task_team="UN Task Team on Earth Observation Data",
    description=(
        "Sentinel-2-like multi-band images with a cloud mask band over fields with crop "
        "types, a per-field time series table and a labelled sample; truths: field map and "
        "crop areas."
    ),
    version="1.0",
)

SIZES = {
    "small": {"pixels": 100, "dates": 18, "step": 10, "max_field": 20},
    "medium": {"pixels": 300, "dates": 24, "step": 8, "max_field": 40},
    "large": {"pixels": 600, "dates": 36, "step": 5, "max_field": 50},
}
CRS = "EPSG:32634"  # UTM 34N
ORIGIN = (500_000.0, 5_000_000.0)  # north-west corner, metres
PIXEL_M = 10.0
FIRST_DATE = np.datetime64("2024-03-01")
BANDS = ("B02", "B03", "B04", "B08", "B11")
BAND_INFO = {
    "B02": "blue, 490 nm",
    "B03": "green, 560 nm",
    "B04": "red, 665 nm",
    "B08": "near infrared, 842 nm",
    "B11": "short-wave infrared, 1610 nm",
}
SOIL = np.array([0.08, 0.11, 0.14, 0.22, 0.30])
VEGETATION = np.array([0.03, 0.07, 0.03, 0.45, 0.18])
# crop: (share, start of season doy, end of season doy, peak NDVI, base NDVI)
CROPS = {
    "wheat": (0.25, 75, 175, 0.82, 0.25),
    "maize": (0.25, 140, 255, 0.85, 0.15),
    "soybean": (0.15, 155, 265, 0.78, 0.15),
    "sunflower": (0.15, 125, 225, 0.75, 0.15),
    "grassland": (0.12, 60, 300, 0.62, 0.4),
    "fallow": (0.08, 100, 200, 0.3, 0.15),
}
LABEL_SHARE = 0.3
SAMPLE_FOOTNOTE = "field_id 0 marks the 10 m margins (tracks, hedges) between fields."


def partition(rng: np.random.Generator, size: int, max_field: int) -> list[tuple[int, ...]]:
    """Split a size x size raster into rectangles (row0, row1, col0, col1), exclusive ends."""
    out: list[tuple[int, ...]] = []
    todo = [(0, size, 0, size)]
    while todo:
        r0, r1, c0, c1 = todo.pop()
        h, w = r1 - r0, c1 - c0
        if max(h, w) <= max_field:
            out.append((r0, r1, c0, c1))
            continue
        cut = rng.uniform(0.35, 0.65)
        if h >= w:
            m = r0 + int(round(h * cut))
            todo += [(r0, m, c0, c1), (m, r1, c0, c1)]
        else:
            m = c0 + int(round(w * cut))
            todo += [(r0, r1, c0, m), (r0, r1, m, c1)]
    return sorted(out)


def ndvi_curve(doy: np.ndarray, sos: float, eos: float, peak: float, base: float) -> np.ndarray:
    """Double logistic seasonal NDVI: green-up around sos, senescence around eos."""
    up = 1 / (1 + np.exp(-(doy - sos) / 8.0))
    down = 1 / (1 + np.exp(-(doy - eos) / 10.0))
    return base + (peak - base) * (up - down)


class Farmland:
    def __init__(self, ctx: BuildContext) -> None:
        size = ctx.pick(SIZES)
        self.size = size
        rng = ctx.rng("fields")
        n = size["pixels"]
        self.boxes = partition(rng, n, size["max_field"])
        self.field_map = np.zeros((n, n), dtype=np.int64)
        names = list(CROPS)
        shares = np.array([CROPS[c][0] for c in names])
        self.crop = rng.choice(names, len(self.boxes), p=shares / shares.sum())
        self.sos_shift = rng.normal(0, 6, len(self.boxes))
        self.peak_shift = rng.normal(0, 0.04, len(self.boxes))
        for i, (r0, r1, c0, c1) in enumerate(self.boxes, start=1):
            self.field_map[r0 : r1 - 1, c0 : c1 - 1] = i  # last row/column: margin
        self.texture = rng.normal(0, 0.03, (n, n))
        self.dates = FIRST_DATE + np.arange(size["dates"]) * np.timedelta64(size["step"], "D")

    def ndvi(self, date: np.datetime64, rng: np.random.Generator) -> np.ndarray:
        doy = float((date - date.astype("datetime64[Y]")).astype(int) + 1)
        per_field = np.array([0.18])  # margins: sparse vegetation
        values = [
            ndvi_curve(
                np.array(doy), CROPS[c][1] + s, CROPS[c][2] + s, CROPS[c][3] + p, CROPS[c][4]
            )
            for c, s, p in zip(self.crop, self.sos_shift, self.peak_shift, strict=True)
        ]
        per_field = np.concatenate([per_field, np.array(values, dtype=float)])
        noise = rng.normal(0, 0.02, self.field_map.shape)
        return np.clip(per_field[self.field_map] + self.texture + noise, 0.05, 0.95)


def clouds(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Cloud probability field (0-1) and shadow mask for one date: random Gaussian blobs."""
    cover = rng.choice([0, 0, 0, 1, 2, 4], p=[0.3, 0.15, 0.15, 0.2, 0.12, 0.08])
    yy, xx = np.mgrid[0:n, 0:n]
    field = np.zeros((n, n))
    for _ in range(int(cover) * 2):
        cy, cx = rng.uniform(-0.1, 1.1, 2) * n
        r = rng.uniform(0.08, 0.25) * n
        field += np.exp(-0.5 * ((yy - cy) ** 2 + (xx - cx) ** 2) / r**2)
    prob = np.clip(field, 0, 1)
    dy, dx = int(0.06 * n) + 1, int(0.04 * n) + 1
    shadow = np.zeros((n, n), dtype=bool)
    shadow[dy:, dx:] = prob[:-dy, :-dx] > 0.5
    return prob, shadow & (prob < 0.3)


def build(ctx: BuildContext) -> None:
    ctx.report("drawing fields")
    land = Farmland(ctx)
    n = land.size["pixels"]
    x0, y0 = ORIGIN
    bbox = [x0, y0 - n * PIXEL_M, x0 + n * PIXEL_M, y0]
    space = {
        "description": f"a fictional farming area, {n * PIXEL_M / 1000:.1f} km square, {CRS}",
        "bbox": bbox,
        "crs": CRS,
    }
    time = {
        "start": str(land.dates[0]),
        "end": str(land.dates[-1]),
        "resolution": f"{land.size['step']} days",
    }
    common = {
        "temporal_coverage": time,
        "spatial_coverage": space,
        "provenance": ctx.generated_provenance(crs=CRS),
    }
    ctx.report("rendering scenes")
    _scenes(ctx, land, common)
    _vectors(ctx, land, common)


def _scenes(ctx: BuildContext, land: Farmland, common: dict) -> None:
    rng = ctx.rng("scenes")
    n = land.size["pixels"]
    scenes = ctx.entry(
        "eo_s2_scenes",
        title="Sentinel-2-like L2A scenes (5 bands + SCL), one GeoTIFF per date",
        description="Surface reflectance x 10000 in B02, B03, B04, B08, B11 and the Scene "
        "Classification band SCL, 10 m pixels, one file per acquisition date.",
        format="geotiff",
        read_options={"time_from_filename": r"S2_(\d{4}-\d{2}-\d{2})\.tif"},
        method_notes="Reflectance = linear mix of a soil and a vegetation spectrum with the "
        "vegetation fraction from a crop-specific double-logistic NDVI curve (per-field "
        "shifts, pixel texture and noise). Clouds: Gaussian blobs, bright in all bands, SCL 9 "
        "(high probability), 8 (medium), 10 (thin cirrus, lightly brightened); shadows offset "
        "to the south-east, darkened, SCL 3; clear pixels SCL 4 (vegetation, NDVI > 0.4) or "
        "5 (not vegetated). DN = reflectance x 10000, offset 0 (pass offset=0 to "
        "ungp_methods.eo.reflectance). " + SAMPLE_FOOTNOTE,
        variables=[Variable(b, "reflectance x 10000", BAND_INFO[b], "uint16") for b in BANDS]
        + [Variable("SCL", "class", "Sentinel-2 L2A scene classification", "uint16")],
        **common,
    )
    field_ids = land.field_map.ravel()
    nf = len(land.boxes)
    pixels = np.bincount(field_ids, minlength=nf + 1)[1:]
    rows: dict[str, list] = {k: [] for k in ("field_id", "date", *BANDS, "clear_fraction")}
    for date in land.dates:
        ndvi = land.ndvi(date, rng)
        fc = np.clip((ndvi - 0.15) / (0.9 - 0.15), 0, 1)
        refl = fc[None] * VEGETATION[:, None, None] + (1 - fc[None]) * SOIL[:, None, None]
        prob, shadow = clouds(rng, n)
        cloud = prob > 0.3
        bright = np.array([0.42, 0.42, 0.44, 0.48, 0.35])[:, None, None]
        refl = np.where(cloud[None], prob[None] * bright + (1 - prob[None]) * refl, refl)
        refl = np.where(shadow[None], refl * 0.45, refl)
        refl = refl * rng.normal(1, 0.01, refl.shape)
        scl = np.where(ndvi > 0.4, 4, 5)
        scl = np.where(shadow, 3, scl)
        scl = np.where(cloud, 10, scl)
        scl = np.where(prob > 0.5, 8, scl)
        scl = np.where(prob > 0.8, 9, scl)
        dn = np.clip(np.round(refl * 10000), 1, 65535).astype(np.uint16)
        stack = np.concatenate([dn, scl[None].astype(np.uint16)])
        scenes.write_geotiff(
            f"S2_{date}.tif",
            stack,
            crs=CRS,
            transform=(ORIGIN[0], PIXEL_M, 0.0, ORIGIN[1], 0.0, -PIXEL_M),
            nodata=0,
        )
        clear = ~np.isin(scl, [3, 8, 9, 10]).ravel()
        good = np.bincount(field_ids, weights=clear, minlength=nf + 1)[1:]
        frac = good / pixels
        rows["field_id"].append(np.arange(1, nf + 1))
        rows["date"].append(np.repeat(date, nf))
        rows["clear_fraction"].append(np.round(frac, 4))
        for b, band in zip(BANDS, dn, strict=True):
            total = np.bincount(field_ids, weights=band.ravel() * clear, minlength=nf + 1)[1:]
            mean = np.where(frac >= 0.5, total / np.maximum(good, 1) / 10000, np.nan)
            rows[b].append(np.round(mean, 5))
    cat = {k: np.concatenate(v) for k, v in rows.items()}
    ctx.entry(
        "eo_field_timeseries",
        title="Per-field time series of mean reflectance",
        description="For every field and date: mean reflectance of the clear pixels per band and "
        "the clear fraction; NaN where less than half of the field is clear.",
        format="parquet",
        method_notes="Aggregated from eo_s2_scenes: pixels of SCL 3, 8, 9, 10 are masked; "
        "reflectance = DN / 10000. The input of ungp_methods.eo.temporal_features.",
        variables=[
            Variable("field_id", "1", "field (see eo_fields)", "int64"),
            Variable("date", "date", "acquisition date", "date32"),
        ]
        + [Variable(b, "1", f"mean surface reflectance, {BAND_INFO[b]}", "float64") for b in BANDS]
        + [Variable("clear_fraction", "1", "share of the field's pixels not masked", "float64")],
        **common,
    ).write_parquet(
        "field_timeseries.parquet",
        pa.table(
            {
                "field_id": pa.array(cat["field_id"], pa.int64()),
                "date": pa.array(cat["date"], pa.date32()),
                **{b: pa.array(cat[b], pa.float64()) for b in BANDS},
                "clear_fraction": pa.array(cat["clear_fraction"], pa.float64()),
            }
        ),
    )


def _vectors(ctx: BuildContext, land: Farmland, common: dict) -> None:
    x0, y0 = ORIGIN
    polys = [
        shapely.box(
            x0 + c0 * PIXEL_M, y0 - (r1 - 1) * PIXEL_M, x0 + (c1 - 1) * PIXEL_M, y0 - r0 * PIXEL_M
        )
        for r0, r1, c0, c1 in land.boxes
    ]
    frame = gpd.GeoDataFrame(geometry=polys, crs=CRS)
    ids = np.arange(1, len(polys) + 1)
    area = np.round(shapely.area(np.array(polys)) / 1e4, 4)
    field_vars = [
        Variable("field_id", "1", "field identifier", "int64"),
        Variable("area_ha", "ha", "field area", "float64"),
    ]
    geom = Variable("geometry", CRS, "field polygon, WKB", "binary")
    ctx.entry(
        "eo_fields",
        title="Field boundaries (no crop type)",
        description="Polygons of every field, as a cadastre or parcel register would give.",
        format="geoparquet",
        method_notes="Fields are pixel-aligned rectangles from a recursive split of the area; "
        + SAMPLE_FOOTNOTE,
        variables=[*field_vars, geom],
        **common,
    ).write_geoparquet(
        "fields.parquet",
        frame,
        {"field_id": pa.array(ids, pa.int64()), "area_ha": pa.array(area, pa.float64())},
    )
    rng = ctx.rng("labels")
    k = max(len(CROPS), int(round(LABEL_SHARE * len(ids))))
    sample = np.sort(rng.choice(ids, size=min(k, len(ids)), replace=False))
    ctx.entry(
        "eo_labelled_sample",
        title="Labelled sample of fields (ground survey)",
        description="Crop type observed on a simple random sample of fields.",
        format="parquet",
        method_notes=f"Simple random sample without replacement of {LABEL_SHARE:.0%} of the "
        "fields (inclusion probability n/N for area estimation); labels are exact.",
        variables=[
            Variable("field_id", "1", "field", "int64"),
            Variable("crop_type", "1", f"one of {', '.join(CROPS)}", "string"),
        ],
        **common,
    ).write_parquet(
        "labelled_sample.parquet",
        pa.table(
            {
                "field_id": pa.array(sample, pa.int64()),
                "crop_type": pa.array(land.crop[sample - 1].tolist(), pa.string()),
            }
        ),
    )
    ctx.entry(
        "eo_field_map_truth",
        title="Planted truth: crop type of every field",
        description="The full field map: each field's polygon, area and crop type.",
        format="geoparquet",
        role="truth",
        truth_of=["eo_s2_scenes", "eo_field_timeseries", "eo_fields"],
        method_notes="The crop each field was simulated with.",
        variables=[*field_vars, Variable("crop_type", "1", "simulated crop", "string"), geom],
        **common,
    ).write_geoparquet(
        "field_map.parquet",
        frame,
        {
            "field_id": pa.array(ids, pa.int64()),
            "area_ha": pa.array(area, pa.float64()),
            "crop_type": pa.array(land.crop.tolist(), pa.string()),
        },
    )
    names = list(CROPS)
    ctx.entry(
        "eo_crop_area_truth",
        title="Planted truth: crop areas",
        description="Number of fields and total area per crop type.",
        format="parquet",
        role="truth",
        truth_of=["eo_s2_scenes", "eo_field_timeseries"],
        method_notes="Sum of field areas (margins excluded) by simulated crop: what an "
        "area estimator (e.g. Olofsson et al. 2014) should recover.",
        variables=[
            Variable("crop_type", "1", "crop", "string"),
            Variable("fields", "1", "number of fields", "int64"),
            Variable("area_ha", "ha", "total area", "float64"),
        ],
        **common,
    ).write_parquet(
        "crop_areas.parquet",
        pa.table(
            {
                "crop_type": pa.array(names, pa.string()),
                "fields": pa.array([int((land.crop == c).sum()) for c in names], pa.int64()),
                "area_ha": pa.array(
                    [round(float(area[land.crop == c].sum()), 4) for c in names], pa.float64()
                ),
            }
        ),
    )
