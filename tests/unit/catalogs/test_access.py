"""Access levels: a restricted domain is hidden when its directory is not mounted."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow as pa
import pytest
import ungp_catalogs
from ungp_catalogs import build as build_module
from ungp_catalogs.catalog_files import load_entries
from ungp_catalogs.context import BuildContext
from ungp_catalogs.domains import Domain, DomainGenerator, discover
from ungp_catalogs.errors import BuildError, CatalogNotFound
from ungp_catalogs.metadata import Variable
from ungp_catalogs.validate import validate_catalog


def _secret_domain(access_levels: tuple[str, ...]) -> DomainGenerator:
    domain = Domain("secret", "Secret", "team", "restricted test data", "1.0", module="tests")

    def build(ctx: BuildContext) -> None:
        for i, access in enumerate(access_levels):
            ctx.entry(
                f"secret_{i}",
                title="t",
                description="d",
                format="parquet",
                method_notes="m",
                temporal_coverage={"start": "2024", "end": "2024"},
                spatial_coverage={"description": "nowhere"},
                variables=[Variable("x", "1", "x", "int64")],
                access=access,
            ).write_parquet("x.parquet", pa.table({"x": pa.array([1, 2], pa.int64())}))

    return DomainGenerator(domain, build)


def _with_secret(monkeypatch: pytest.MonkeyPatch, levels: tuple[str, ...]) -> None:
    real = discover()
    monkeypatch.setattr(
        build_module, "discover", lambda: {**real, "secret": _secret_domain(levels)}
    )


def test_unmounted_restricted_domain_is_skipped_for_readers(tmp_path: Path, monkeypatch):
    _with_secret(monkeypatch, ("restricted", "restricted"))
    data = tmp_path / "data"
    build_module.build_catalog(data, domains=["scanner", "secret"])
    assert {"secret_0", "scanner_products"} <= set(load_entries(data))
    shutil.rmtree(data / "secret")  # what a trainee's container sees: not mounted
    names = set(load_entries(data))
    assert "scanner_products" in names and "secret_0" not in names
    assert len(ungp_catalogs.read_entry("scanner_products", data)) > 0
    cat = ungp_catalogs.open_catalog(data)
    assert "secret" not in list(cat) and "scanner" in list(cat)
    assert len(cat.scanner.scanner_products.read()) > 0
    with pytest.raises(CatalogNotFound):  # the hub host validates everything
        validate_catalog(data)


def test_a_domain_cannot_mix_access_levels(tmp_path: Path, monkeypatch):
    _with_secret(monkeypatch, ("open", "restricted"))
    with pytest.raises(BuildError, match="mixes open and restricted"):
        build_module.build_catalog(tmp_path / "data", domains=["secret"])
    assert not (tmp_path / "data" / "secret").exists()
    assert not list((tmp_path / "data").glob(".staging-*"))
