"""`ungp catalog ... --settings FILE` uses the hub's data directory; --data still wins."""

from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner
from ungp_catalogs.cli import catalog
from ungp_hub.cli.main import main


def _settings(tmp_path: Path, data_dir: Path) -> Path:
    path = tmp_path / "settings.yaml"
    doc = {"hub": {"state_dir": str(tmp_path / "state")}, "docker": {"data_dir": str(data_dir)}}
    path.write_text(yaml.safe_dump(doc))
    return path


def test_list_reads_the_data_dir_of_the_site_settings(data_dir: Path, tmp_path: Path, monkeypatch):
    monkeypatch.delenv("UNGP_DATA_DIR", raising=False)
    settings = _settings(tmp_path, data_dir)
    result = CliRunner().invoke(catalog, ["list", "--settings", str(settings)])
    assert result.exit_code == 0, result.output
    assert "mobile_events" in result.output
    monkeypatch.setenv("UNGP_SETTINGS", str(settings))
    assert "geo_roads" in CliRunner().invoke(catalog, ["list"]).output
    empty = tmp_path / "empty"
    result = CliRunner().invoke(catalog, ["list", "--data", str(empty)])
    assert result.exit_code == 1


def test_the_ungp_command_has_the_catalog_group(data_dir: Path):
    result = CliRunner().invoke(
        main, ["catalog", "show", "privacy_census_persons", "--data", str(data_dir)]
    )
    assert result.exit_code == 0, result.output
    assert "access: restricted" in result.output
