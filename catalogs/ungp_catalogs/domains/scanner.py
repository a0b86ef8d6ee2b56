"""Scanner data domain: simulated weekly retail sales plus the published price-index test set."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa

from ..context import BuildContext
from ..errors import BuildError
from ..metadata import Variable
from ..retail.scanner import CLASSES, ScannerSize, simulate
from . import Domain

DOMAIN = Domain(
    name="scanner",
    title="Scanner data",
    task_team="UN Task Team on Scanner Data",
    description=(
        "Weekly retail transactions by store and GTIN with COICOP classes, product churn, "
        "relaunches and promotions; planted truths; and a published multilateral index test set."
    ),
    version="1.0",
)

SIZES = {
    "small": ScannerSize(stores=5, products_per_class=40, weeks=78),
    "medium": ScannerSize(stores=20, products_per_class=150, weeks=104),
    "large": ScannerSize(stores=40, products_per_class=200, weeks=156),
}
REFERENCE_RETRIEVED = "2026-11-21"
REFERENCE_ATTRIBUTION = (
    "Test data of the PriceIndexCalc project by Dr. Usman Kayani, MIT licence "
    "(Copyright (c) 2022 Dr. Usman Kayani); kept unchanged with its LICENSE and README."
)


def _coverage(weeks: np.ndarray) -> dict[str, str]:
    return {"start": str(weeks[0]), "end": str(weeks[-1] + 6), "resolution": "week"}


SPACE = {"description": "a fictitious national retail chain (stores S001...)", "bbox": None}


def _strings(values: np.ndarray) -> pa.Array:
    return pa.array(values.tolist(), pa.string())


def _stores(idx: np.ndarray) -> pa.Array:
    return _strings(np.char.add("S", np.char.zfill((idx + 1).astype(str), 3)))


def build(ctx: BuildContext) -> None:
    ctx.report("simulating sales")
    data = simulate(ctx.pick(SIZES), ctx.rng("sales"))
    weeks = data.weeks
    cover = _coverage(weeks)
    prov = ctx.generated_provenance()

    e = ctx.entry(
        "scanner_transactions",
        title="Weekly scanner transactions by store and GTIN",
        description="Quantity sold and turnover per store, GTIN and week, partitioned by year.",
        format="parquet",
        method_notes=(
            "Simulated: per COICOP class a latent price level (random walk with drift); "
            "products enter and exit; 12% of long-lived products are relaunched under a new GTIN "
            "with a hidden price increase or a smaller package; about 3% of store-weeks are "
            "promotions (15-35% off for one or two weeks) with quantity spikes; Poisson demand "
            "with constant elasticity. Rows only where something sold. Unit value = "
            "turnover / quantity."
        ),
        temporal_coverage=cover,
        spatial_coverage=SPACE,
        variables=[
            Variable("week_start", "date", "Monday the sales week starts", "date32"),
            Variable("store_id", "1", "store identifier", "string"),
            Variable("gtin", "1", "GTIN-13 of the item sold (valid check digit)", "string"),
            Variable("coicop", "1", "ECOICOP 5-digit subclass", "string"),
            Variable("quantity", "items", "units sold in the week", "int32"),
            Variable("turnover", "EUR", "sales value including VAT", "float64"),
        ],
        provenance=prov,
    )
    s = data.sales
    years = weeks[s["week"]].astype("datetime64[Y]").astype(int) + 1970
    for year in np.unique(years):
        sel = years == year
        e.write_parquet(
            f"year={year}/part-0.parquet",
            pa.table(
                {
                    "week_start": pa.array(weeks[s["week"][sel]], pa.date32()),
                    "store_id": _stores(s["store"][sel]),
                    "gtin": _strings(s["gtin"][sel]),
                    "coicop": _strings(s["coicop"][sel]),
                    "quantity": pa.array(s["quantity"][sel], pa.int32()),
                    "turnover": pa.array(s["turnover"][sel], pa.float64()),
                }
            ),
        )

    it = data.items
    ctx.entry(
        "scanner_products",
        title="Product master (GTIN descriptions)",
        description="One row per GTIN: description, COICOP subclass, package size.",
        format="parquet",
        method_notes="Simulated product master; relaunched products appear under both GTINs.",
        temporal_coverage=cover,
        spatial_coverage=SPACE,
        variables=[
            Variable("gtin", "1", "GTIN-13", "string"),
            Variable("description", "1", "brand, product and package", "string"),
            Variable("coicop", "1", "ECOICOP 5-digit subclass", "string"),
            Variable("package_size", "g or ml", "net content (see package_unit)", "int64"),
            Variable("package_unit", "1", "g or ml", "string"),
        ],
        provenance=prov,
    ).write_parquet(
        "products.parquet",
        pa.table(
            {
                "gtin": _strings(it["gtin"]),
                "description": _strings(it["description"]),
                "coicop": _strings(it["coicop"]),
                "package_size": pa.array(it["package_size"], pa.int64()),
                "package_unit": _strings(it["package_unit"]),
            }
        ),
    )

    r = data.relaunches
    ctx.entry(
        "scanner_relaunch_truth",
        title="Planted truth: relaunches (old GTIN -> new GTIN)",
        description="Which GTIN replaced which for the same product, and the hidden price change.",
        format="parquet",
        role="truth",
        truth_of=["scanner_transactions", "scanner_products"],
        method_notes="price_factor > 1: same package, higher price; 1.0: package shrunk by 10%.",
        temporal_coverage=cover,
        spatial_coverage=SPACE,
        variables=[
            Variable("old_gtin", "1", "GTIN sold before the relaunch", "string"),
            Variable("new_gtin", "1", "GTIN sold from the relaunch week", "string"),
            Variable("relaunch_week", "date", "first week of the new GTIN", "date32"),
            Variable("old_package_size", "g or ml", "package before", "int64"),
            Variable("new_package_size", "g or ml", "package after", "int64"),
            Variable("price_factor", "1", "regular price new / old at equal level", "float64"),
        ],
        provenance=prov,
    ).write_parquet(
        "relaunches.parquet",
        pa.table(
            {
                "old_gtin": _strings(r["old_gtin"]),
                "new_gtin": _strings(r["new_gtin"]),
                "relaunch_week": pa.array(r["relaunch_week"], pa.date32()),
                "old_package_size": pa.array(r["old_package_size"], pa.int64()),
                "new_package_size": pa.array(r["new_package_size"], pa.int64()),
                "price_factor": pa.array(r["price_factor"], pa.float64()),
            }
        ),
    )

    p = data.promotions
    ctx.entry(
        "scanner_promotion_truth",
        title="Planted truth: promotions",
        description="Store-GTIN-weeks on promotion and the discount applied.",
        format="parquet",
        role="truth",
        truth_of=["scanner_transactions"],
        method_notes="sold=false: the promotion ran but nothing sold, so no transaction row.",
        temporal_coverage=cover,
        spatial_coverage=SPACE,
        variables=[
            Variable("week_start", "date", "promotion week", "date32"),
            Variable("store_id", "1", "store", "string"),
            Variable("gtin", "1", "GTIN", "string"),
            Variable("discount", "1", "fraction off the regular price", "float64"),
            Variable("sold", "1", "whether a transaction row exists", "bool"),
        ],
        provenance=prov,
    ).write_parquet(
        "promotions.parquet",
        pa.table(
            {
                "week_start": pa.array(weeks[p["week"]], pa.date32()),
                "store_id": _stores(p["store"]),
                "gtin": _strings(p["gtin"]),
                "discount": pa.array(p["discount"], pa.float64()),
                "sold": pa.array(p["sold"], pa.bool_()),
            }
        ),
    )

    n_c, n_w = data.level.shape
    ctx.entry(
        "scanner_price_level_truth",
        title="Planted truth: latent price level per COICOP subclass",
        description="The weekly price level each class's prices were drawn around (week 1 = 1).",
        format="parquet",
        role="truth",
        truth_of=["scanner_transactions"],
        method_notes="What an ideal index recovers, up to drift, relaunches and promotions.",
        temporal_coverage=cover,
        spatial_coverage=SPACE,
        variables=[
            Variable("week_start", "date", "week", "date32"),
            Variable("coicop", "1", "ECOICOP 5-digit subclass", "string"),
            Variable("price_level", "1", "latent level, 1.0 in the first week", "float64"),
        ],
        provenance=prov,
    ).write_parquet(
        "price_level.parquet",
        pa.table(
            {
                "week_start": pa.array(np.tile(weeks, n_c), pa.date32()),
                "coicop": pa.array(np.repeat([c[0] for c in CLASSES], n_w).tolist(), pa.string()),
                "price_level": pa.array(data.level.ravel(), pa.float64()),
            }
        ),
    )
    _reference_entries(ctx)


def _reference_entries(ctx: BuildContext) -> None:
    ref = ctx.reference_dir
    if ref is None or not (Path(ref) / "large_input_df.csv").is_file():
        raise BuildError(
            f"price-index reference set not found in {ref}; pass --reference-dir pointing at "
            "a folder with large_input_df.csv, LICENSE and README.md"
        )
    ref = Path(ref)
    common = {
        "licence": "MIT",
        "role": "reference",
        "attribution": REFERENCE_ATTRIBUTION,
        "provenance": {
            "kind": "external",
            "source": "PriceIndexCalc test data (Dr. Usman Kayani)",
            "licence": "MIT",
            "retrieved": REFERENCE_RETRIEVED,
            "copied_from": "shared/data/price-indices (also catalogs/reference/price-indices)",
        },
        "temporal_coverage": {"start": "2017-01-01", "end": "2018-07-01", "resolution": "month"},
        "spatial_coverage": {"description": "not geographic (anonymous product groups)"},
        "version": "1.0",
    }
    e = ctx.entry(
        "scanner_price_indices_reference_input",
        title="Multilateral price index test set: input panel",
        description="Unbalanced scanner-data panel (3 groups, 19 months) with entering and "
        "exiting products, the input of the reference index values.",
        format="csv",
        method_notes="Published test data, unchanged. See README.md in the entry folder.",
        variables=[
            Variable("month", "date", "first day of the month", "string"),
            Variable("price", "currency units", "unit price", "float64"),
            Variable("quantity", "items", "quantity sold", "float64"),
            Variable("group", "1", "product group", "string"),
            Variable("id", "1", "product identifier", "string"),
        ],
        **common,
    )
    e.copy_file(ref / "large_input_df.csv")
    e.copy_file(ref / "LICENSE", kind="document")
    e.copy_file(ref / "README.md", kind="document")

    outputs = sorted(ref.glob("large_output_*.csv"))
    e = ctx.entry(
        "scanner_price_indices_reference_expected",
        title="Multilateral price index test set: expected index values",
        description="Expected GEKS (Törnqvist, Fisher, Jevons), Geary-Khamis and TPD indices, "
        "full window and 13-month windows spliced by movement, WISP, HASP, mean and FBEW.",
        format="csv",
        read_options={"columns_from_filename": {"method_extension": r"large_output_(.*)\.csv"}},
        method_notes="Published test data, unchanged; one file per method and splice "
        "(method_extension, e.g. geks_fisher_wisp, is taken from the file name). Splicing "
        "conventions are in README.md.",
        variables=[
            Variable("group", "1", "product group", "string"),
            Variable("month", "date", "month", "string"),
            Variable("index_value", "1", "index, first month = 1", "float64"),
            Variable("method_extension", "1", "method and splice from the file name", "string"),
        ],
        **common,
    )
    for path in outputs:
        e.copy_file(path, f"outputs/{path.name}")
    e.copy_file(ref / "LICENSE", kind="document")
    e.copy_file(ref / "README.md", kind="document")
