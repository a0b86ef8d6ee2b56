"""The catalog CLI and the contract a domain generator must keep."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
import yaml
from catalog_support import REPO
from click.testing import CliRunner
from ungp_catalogs.checksum import sha256_file
from ungp_catalogs.cli import catalog
from ungp_catalogs.context import BuildContext
from ungp_catalogs.domains import Domain, build_order, discover
from ungp_catalogs.errors import BuildError
from ungp_catalogs.metadata import Variable

DUMMY = Domain("dummy", "Dummy", "team", "for tests", "1.0", module="tests")


def _ctx(tmp_path: Path, seed: int = 1) -> BuildContext:
    return BuildContext(DUMMY, "small", seed, tmp_path, tmp_path)


def _entry(ctx: BuildContext, **kw):
    args = dict(
        title="t",
        description="d",
        format="parquet",
        method_notes="m",
        temporal_coverage={"start": "2024", "end": "2024"},
        spatial_coverage={"description": "x"},
        variables=[Variable("a", "1", "a column", "int64")],
    )
    args.update(kw)
    return ctx.entry("dummy_entry", **args)


def test_list_and_show(data_dir: Path):
    runner = CliRunner()
    listed = runner.invoke(catalog, ["list", "--data", str(data_dir)])
    assert listed.exit_code == 0 and "ais_pings" in listed.output
    shown = runner.invoke(catalog, ["show", "ais_ports", "--data", str(data_dir)])
    assert shown.exit_code == 0
    doc = yaml.safe_load(shown.output)
    assert doc["entry"] == "ais_ports" and doc["files"][0]["sha256"]


def test_data_dir_defaults_to_env_var(data_dir: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("UNGP_DATA_DIR", str(data_dir))
    result = CliRunner().invoke(catalog, ["list"])
    assert result.exit_code == 0 and "scanner_transactions" in result.output


def test_cli_build_one_domain_with_the_in_repo_reference_copy(tmp_path: Path):
    ref = REPO / "catalogs" / "reference" / "price-indices"
    out = tmp_path / "data"
    result = CliRunner().invoke(
        catalog,
        [
            "build",
            "--scale",
            "small",
            "--out",
            str(out),
            "--domain",
            "scanner",
            "--reference-dir",
            str(ref),
        ],
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["DATA.md", "catalog.yaml", "scanner"]
    copied = out / "scanner" / "scanner_price_indices_reference_input"
    for name in ("large_input_df.csv", "LICENSE", "README.md"):
        assert sha256_file(copied / name) == sha256_file(ref / name)


def test_unknown_scale_and_domain_are_usage_or_build_errors(tmp_path: Path):
    runner = CliRunner()
    assert (
        runner.invoke(catalog, ["build", "--scale", "huge", "--out", str(tmp_path)]).exit_code == 2
    )
    bad = runner.invoke(
        catalog, ["build", "--scale", "small", "--out", str(tmp_path), "--domain", "nope"]
    )
    assert bad.exit_code == 1 and "known domains" in bad.output


def test_requirements_are_built_first():
    available = discover()
    order = build_order(available, ["benchmarks"])
    assert order.index("ais") < order.index("benchmarks")
    assert order.index("scanner") < order.index("benchmarks")


def test_rng_streams_depend_on_seed_and_stream_only(tmp_path: Path):
    a, b = _ctx(tmp_path), _ctx(tmp_path)
    assert np.array_equal(a.rng("x").random(5), b.rng("x").random(5))
    assert not np.array_equal(a.rng("x").random(5), a.rng("y").random(5))
    assert not np.array_equal(a.rng("x").random(5), _ctx(tmp_path, 2).rng("x").random(5))


def test_builder_records_size_rows_and_sha256(tmp_path: Path):
    ctx = _ctx(tmp_path)
    rec = _entry(ctx).write_parquet("a.parquet", pa.table({"a": pa.array([1, 2, 3], pa.int64())}))
    path = tmp_path / rec.path
    assert rec.rows == 3 and rec.bytes == path.stat().st_size and rec.sha256 == sha256_file(path)


def test_builder_rejects_undeclared_columns_and_wrong_types(tmp_path: Path):
    e = _entry(_ctx(tmp_path))
    with pytest.raises(BuildError, match="declared"):
        e.write_parquet("a.parquet", pa.table({"b": [1]}))
    with pytest.raises(BuildError, match="declared int64"):
        e.write_parquet("b.parquet", pa.table({"a": pa.array([1.5])}))


def test_entry_contract_errors(tmp_path: Path):
    ctx = _ctx(tmp_path)
    with pytest.raises(BuildError):
        ctx.entry(
            "Bad-Name",
            title="t",
            description="d",
            format="parquet",
            method_notes="",
            temporal_coverage={},
            spatial_coverage={},
            variables=[],
        )
    with pytest.raises(BuildError, match="format"):
        _entry(ctx, format="xlsx")
    with pytest.raises(BuildError, match="access"):
        _entry(ctx, access="secret")
