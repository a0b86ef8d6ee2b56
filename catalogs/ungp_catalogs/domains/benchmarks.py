"""Official benchmarks: the published figures a big-data estimate is validated against.

Both series are derived from the planted truths of the other domains plus the noise of an
official collection, so a trainee's AIS-based trade estimate or scanner-based index should
land near them, but not exactly on them - as with real published statistics.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from ..context import BuildContext
from ..metadata import Variable
from ..retail.scanner import CLASSES
from . import Domain

DOMAIN = Domain(
    name="benchmarks",
    title="Official benchmarks",
    task_team="UN Committee of Experts on Big Data and Data Science for Official Statistics",
    description="Published-style monthly merchandise trade by port and an official CPI series, "
    "consistent with the AIS and scanner-data simulations.",
    version="1.0",
    requires=("ais", "scanner"),
)

# Indicative unit values (USD per tonne) of what each ship class carries.
UNIT_VALUE_USD_T = {
    "container": 3500.0,
    "general cargo": 1800.0,
    "tanker": 600.0,
    "bulk carrier": 120.0,
}


def build(ctx: BuildContext) -> None:
    _trade(ctx)
    _cpi(ctx)


def _trade(ctx: BuildContext) -> None:
    ctx.report("aggregating trade")
    calls = ctx.read_entry("ais_port_calls_truth")
    pay = ctx.read_entry("ais_payload_truth")
    vessels = ctx.read_entry("ais_vessels")
    ports = ctx.read_entry("ais_ports")
    df = calls.merge(pay[["call_id", "unloaded_t", "loaded_t"]], on="call_id")
    df = df.merge(vessels[["mmsi", "ship_class"]], on="mmsi").merge(
        ports[["locode", "country"]], on="locode"
    )
    df["unit_value"] = df["ship_class"].map(UNIT_VALUE_USD_T)
    imports = df.assign(
        flow="import", tonnes=df["unloaded_t"], month=df["arrival"].dt.tz_convert(None)
    )
    exports = df.assign(
        flow="export", tonnes=df["loaded_t"], month=df["departure"].dt.tz_convert(None)
    )
    both = pd.concat([imports, exports], ignore_index=True)
    both["month"] = both["month"].dt.to_period("M").dt.to_timestamp()
    both["value"] = both["tonnes"] * both["unit_value"]
    agg = (
        both.groupby(["month", "country", "locode", "flow"], sort=True)[["tonnes", "value"]]
        .sum()
        .reset_index()
    )
    agg = agg[agg["tonnes"] > 0].reset_index(drop=True)
    rng = ctx.rng("trade-noise")
    tonnes = np.round(agg["tonnes"].to_numpy() * rng.lognormal(0, 0.04, len(agg)))
    value = np.round(agg["value"].to_numpy() * rng.lognormal(0, 0.06, len(agg)), -3)
    months = agg["month"].to_numpy().astype("datetime64[D]")
    ctx.entry(
        "benchmark_trade_monthly",
        title="Official monthly merchandise trade by port (sea)",
        description="Imports and exports by month, reporting country and port of lading/unlading.",
        format="parquet",
        role="benchmark",
        truth_of=["ais_pings"],
        method_notes=(
            "Built from the planted AIS payloads: imports = cargo discharged (month of arrival), "
            "exports = cargo loaded (month of departure), summed by port; values use indicative "
            "unit values per ship class (container 3500, general cargo 1800, tanker 600, bulk "
            "120 USD/t). Collection noise: multiplicative lognormal, sd 4% on tonnes and 6% on "
            "values; tonnes rounded to 1 t, values to 1000 USD. Covers the simulated fleet only "
            "and the months the AIS window touches (first and last months are partial)."
        ),
        temporal_coverage={
            "start": str(months.min()),
            "end": str(months.max()),
            "resolution": "month",
        },
        spatial_coverage={"description": "ports of ais_ports", "bbox": [-180, -90, 180, 90]},
        variables=[
            Variable("month", "date", "first day of the reference month", "date32"),
            Variable("country", "1", "reporting country, ISO 3166-1 alpha-2", "string"),
            Variable("locode", "1", "port UN/LOCODE", "string"),
            Variable("flow", "1", "import or export", "string"),
            Variable("quantity_t", "t", "net mass", "float64"),
            Variable("value_usd", "USD", "statistical value", "float64"),
        ],
    ).write_parquet(
        "trade.parquet",
        pa.table(
            {
                "month": pa.array(months, pa.date32()),
                "country": pa.array(agg["country"].tolist(), pa.string()),
                "locode": pa.array(agg["locode"].tolist(), pa.string()),
                "flow": pa.array(agg["flow"].tolist(), pa.string()),
                "quantity_t": pa.array(tonnes, pa.float64()),
                "value_usd": pa.array(value, pa.float64()),
            }
        ),
    )


def _cpi(ctx: BuildContext) -> None:
    ctx.report("computing CPI")
    level = ctx.read_entry("scanner_price_level_truth")
    level["month"] = pd.to_datetime(level["week_start"]).dt.to_period("M").dt.to_timestamp()
    monthly = level.groupby(["coicop", "month"], sort=True)["price_level"].mean().unstack("month")
    codes = [c[0] for c in CLASSES]
    monthly = monthly.loc[codes]
    rng = ctx.rng("cpi")
    raw = rng.integers(50, 300, len(codes)).astype(float)
    weights = np.round(raw / raw.sum() * 1000).astype(int)
    weights[-1] += 1000 - weights.sum()
    values = monthly.to_numpy()
    noisy = values * rng.lognormal(0, 0.002, values.shape)
    index = 100 * noisy / noisy[:, :1]
    total = (weights[:, None] * index).sum(axis=0) / 1000
    all_index = np.vstack([index, total[None, :]])
    labels = [c[1] for c in CLASSES] + ["All items (scanner-data classes)"]
    code_col = codes + ["00"]
    w_col = list(weights) + [1000]
    months = monthly.columns.to_numpy().astype("datetime64[D]")
    n_m = len(months)
    ctx.entry(
        "benchmark_cpi_monthly",
        title="Official CPI for the scanner-data classes (monthly)",
        description="Published-style consumer price index by ECOICOP subclass and in total.",
        format="parquet",
        role="benchmark",
        truth_of=["scanner_transactions"],
        method_notes=(
            "Built from the planted latent price levels of the scanner data: monthly mean of the "
            "weekly level per subclass times sampling noise (lognormal, sd 0.2%), rebased to the "
            "first month = 100 and rounded to 1 decimal as published. The total is a fixed-"
            "weight (per mille, column weight) arithmetic mean of the subclass indices."
        ),
        temporal_coverage={
            "start": str(months[0]),
            "end": str(months[-1]),
            "resolution": "month",
        },
        spatial_coverage={"description": "the fictitious country of the scanner data"},
        variables=[
            Variable("month", "date", "first day of the month", "date32"),
            Variable("coicop", "1", "ECOICOP 5-digit subclass, 00 = total", "string"),
            Variable("label", "1", "subclass name", "string"),
            Variable("weight", "per mille", "expenditure weight", "int64"),
            Variable("index", "1", "index, first month = 100", "float64"),
        ],
    ).write_parquet(
        "cpi.parquet",
        pa.table(
            {
                "month": pa.array(np.tile(months, len(code_col)), pa.date32()),
                "coicop": pa.array(np.repeat(code_col, n_m).tolist(), pa.string()),
                "label": pa.array(np.repeat(labels, n_m).tolist(), pa.string()),
                "weight": pa.array(np.repeat(w_col, n_m), pa.int64()),
                "index": pa.array(np.round(all_index.ravel(), 1), pa.float64()),
            }
        ),
    )
