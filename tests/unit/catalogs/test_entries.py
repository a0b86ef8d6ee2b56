"""Folder-driven: every entry of the small build opens through Intake, reads, and matches
its metadata (columns, types, row counts, completeness of the trust metadata)."""

from __future__ import annotations

from pathlib import Path

import intake
import pyarrow as pa
import pyarrow.parquet as pq
from ungp_catalogs.context import arrow_type_matches

REQUIRED = (
    "title",
    "domain",
    "task_team",
    "role",
    "access",
    "version",
    "licence",
    "provenance",
    "method_notes",
    "temporal_coverage",
    "spatial_coverage",
    "format",
    "variables",
    "rows",
    "bytes",
    "files",
)


def test_entry_opens_through_intake_and_reads(data_dir: Path, entries: dict, entry_name: str):
    entry = entries[entry_name]
    cat = intake.open_catalog(str(data_dir / "catalog.yaml"))
    source = cat[entry.domain][entry_name]
    data = source.read()
    md = entry.metadata
    assert md["rows"] is not None and md["rows"] > 0
    assert len(data) == md["rows"]
    if md["format"] in ("parquet", "csv"):
        assert list(data.columns) == [v["name"] for v in md["variables"]]


def test_parquet_schema_matches_declared_variables(entries: dict, entry_name: str):
    entry = entries[entry_name]
    if entry.metadata["format"] != "parquet":
        return
    for record in entry.files:
        schema = pq.read_schema(entry.catalog_dir / record["path"])
        assert schema.names == [v["name"] for v in entry.metadata["variables"]]
        for field, var in zip(schema, entry.metadata["variables"], strict=True):
            assert arrow_type_matches(field.type, var["dtype"], pa), (field, var)
        assert (
            pq.ParquetFile(entry.catalog_dir / record["path"]).metadata.num_rows == record["rows"]
        )


def test_metadata_is_complete(entries: dict, entry_name: str):
    md = entries[entry_name].metadata
    missing = [k for k in REQUIRED if md.get(k) in (None, "", [], {})]
    assert not missing, f"{entry_name} lacks {missing}"
    assert entries[entry_name].description.strip()
    assert md["access"] in ("open", "restricted")
    assert md["role"] in ("data", "truth", "benchmark", "reference")
    prov = md["provenance"]
    if prov["kind"] == "generated":
        assert prov["generator"].startswith("ungp_catalogs.domains.")
        assert prov["generator_version"] and isinstance(prov["seed"], int)
    else:
        assert prov["source"] and prov["licence"] and prov["retrieved"]
        assert md.get("attribution")
    assert {"start", "end"} <= set(md["temporal_coverage"])
    assert md["spatial_coverage"].get("description")
    for var in md["variables"]:
        assert var["name"] and var["unit"] and var["description"], var
    for f in md["files"]:
        assert len(f["sha256"]) == 64 and f["bytes"] > 0
    assert md["bytes"] == sum(f["bytes"] for f in md["files"])
    if md["role"] == "truth":
        assert md.get("truth_of") and all(t in entries for t in md["truth_of"])


def test_required_entries_exist(entries: dict):
    for name in (
        "ais_ports",
        "ais_vessels",
        "ais_pings",
        "ais_nmea_sample",
        "ais_port_calls_truth",
        "ais_payload_truth",
        "scanner_transactions",
        "scanner_relaunch_truth",
        "scanner_price_indices_reference_input",
        "scanner_price_indices_reference_expected",
        "benchmark_trade_monthly",
        "benchmark_cpi_monthly",
    ):
        assert name in entries


def test_root_catalogue_lists_each_domain_catalogue(data_dir: Path, entries: dict):
    cat = intake.open_catalog(str(data_dir / "catalog.yaml"))
    assert sorted(cat) == sorted({e.domain for e in entries.values()})
    for domain in cat:
        assert (data_dir / domain / "catalog.yaml").is_file()
