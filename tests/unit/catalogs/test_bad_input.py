"""Damaged data and catalogues fail loudly, naming what is wrong and where."""

from __future__ import annotations

from pathlib import Path

import intake
import pytest
import ungp_catalogs
from click.testing import CliRunner
from ungp_catalogs.catalog_files import find_entry, load_entries
from ungp_catalogs.cli import catalog
from ungp_catalogs.errors import (
    CatalogNotFound,
    ChecksumMismatch,
    MalformedCatalog,
    MissingDataFile,
    UnknownEntry,
)
from ungp_catalogs.validate import validate_catalog


def _first_file(data: Path, entry: str) -> Path:
    e = find_entry(data, entry)
    return e.catalog_dir / e.files[0]["path"]


def _flip_byte(path: Path) -> None:
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    path.write_bytes(bytes(raw))


def test_intact_build_validates(data_dir: Path):
    report = validate_catalog(data_dir)
    assert report.ok and report.files > 20 and report.bytes > 0
    result = CliRunner().invoke(catalog, ["validate", "--data", str(data_dir)])
    assert result.exit_code == 0, result.output


def test_flipped_byte_is_named_by_validate_and_blocks_reading(damaged_copy: Path):
    target = _first_file(damaged_copy, "ais_pings")
    _flip_byte(target)
    report = validate_catalog(damaged_copy)
    assert [(p.entry, p.file, p.kind) for p in report.problems] == [
        ("ais_pings", str(target), "sha256")
    ]
    result = CliRunner().invoke(catalog, ["validate", "--data", str(damaged_copy)])
    assert result.exit_code == 1
    assert "ais_pings" in result.output and target.name in result.output

    cat = intake.open_catalog(str(damaged_copy / "catalog.yaml"))
    with pytest.raises(ChecksumMismatch) as info:
        cat.ais.ais_pings.read()
    assert "ais_pings" in str(info.value) and str(target) in str(info.value)
    with pytest.raises(ChecksumMismatch):
        ungp_catalogs.read_entry("ais_pings", damaged_copy)
    # other entries still read
    assert len(cat.ais.ais_ports.read()) > 30


def test_damaged_partition_blocks_only_that_partition(damaged_copy: Path):
    target = _first_file(damaged_copy, "ais_pings")
    _flip_byte(target)
    source = intake.open_catalog(str(damaged_copy / "catalog.yaml")).ais.ais_pings
    assert len(source.read_partition(1)) > 0
    with pytest.raises(ChecksumMismatch):
        source.read_partition(0)


def test_missing_file_is_reported(damaged_copy: Path):
    target = _first_file(damaged_copy, "scanner_products")
    target.unlink()
    report = validate_catalog(damaged_copy)
    assert [(p.entry, p.kind) for p in report.problems] == [("scanner_products", "missing")]
    assert str(target) in report.problems[0].message
    with pytest.raises(MissingDataFile) as info:
        ungp_catalogs.read_entry("scanner_products", damaged_copy)
    assert "scanner_products" in str(info.value) and str(target) in str(info.value)


def test_truncated_file_is_a_size_problem(damaged_copy: Path):
    target = _first_file(damaged_copy, "ais_vessels")
    target.write_bytes(target.read_bytes()[:-10])
    problems = validate_catalog(damaged_copy).problems
    assert [(p.entry, p.kind) for p in problems] == [("ais_vessels", "size")]


def test_row_count_disagreeing_with_the_catalogue_is_reported(damaged_copy: Path):
    path = damaged_copy / "ais" / "catalog.yaml"
    entry = find_entry(damaged_copy, "ais_vessels")
    rows = entry.files[0]["rows"]
    text = path.read_text()
    old = f"rows: {rows}\n        sha256: {entry.files[0]['sha256']}"
    assert old in text
    path.write_text(text.replace(old, old.replace(f"rows: {rows}", f"rows: {rows + 1}")))
    problems = validate_catalog(damaged_copy).problems
    assert [(p.entry, p.kind) for p in problems] == [("ais_vessels", "rows")]


def test_malformed_yaml_names_file_and_line(damaged_copy: Path):
    path = damaged_copy / "scanner" / "catalog.yaml"
    lines = path.read_text().splitlines()
    lines.insert(20, "    broken: [unclosed")
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(MalformedCatalog) as info:
        load_entries(damaged_copy)
    assert info.value.path == str(path)
    assert info.value.line is not None and 20 <= info.value.line <= 23
    assert f"line {info.value.line}" in str(info.value)
    result = CliRunner().invoke(catalog, ["list", "--data", str(damaged_copy)])
    assert result.exit_code == 1
    assert str(path) in result.output.replace("\n", "") and "line" in result.output
    with pytest.raises(MalformedCatalog):
        ungp_catalogs.open_catalog(damaged_copy / "catalog.yaml")


def test_entry_without_checksums_is_malformed(damaged_copy: Path):
    path = damaged_copy / "ais" / "catalog.yaml"
    text = path.read_text().replace("sha256:", "sha_256:", 1)
    path.write_text(text)
    with pytest.raises(MalformedCatalog) as info:
        load_entries(damaged_copy)
    assert "ais_ports" in str(info.value) and info.value.line is not None


def test_unknown_entry_suggests_close_names(data_dir: Path):
    with pytest.raises(UnknownEntry) as info:
        find_entry(data_dir, "ais_ping")
    assert "ais_pings" in info.value.suggestions
    result = CliRunner().invoke(catalog, ["show", "ais_ping", "--data", str(data_dir)])
    assert result.exit_code == 1 and "ais_pings" in result.output


def test_missing_catalogue_says_how_to_build_one(tmp_path: Path):
    with pytest.raises(CatalogNotFound) as info:
        load_entries(tmp_path)
    assert "ungp catalog build" in str(info.value)
    result = CliRunner().invoke(catalog, ["validate", "--data", str(tmp_path)])
    assert result.exit_code == 1


def test_open_catalog_uses_env_var(data_dir: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("UNGP_CATALOG", str(data_dir / "catalog.yaml"))
    cat = ungp_catalogs.open_catalog()
    assert "ais" in list(cat)
    monkeypatch.delenv("UNGP_CATALOG")
    assert ungp_catalogs.catalog_location() == Path("/srv/data/catalog.yaml")
