"""update_certification (service, roles, state made at install) and the admin CLI, offline."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner
from traitlets.config import Config
from ungp_hub.certification.exams import ExamGrade
from ungp_hub.certification.issuing import Certifier
from ungp_hub.cli.main import main
from ungp_hub.configure.certification import update_certification
from ungp_hub.settings import load_settings, site_settings_file

from .conftest import NOW


def _settings(tmp_path: Path, **certification) -> Path:
    path = tmp_path / "settings.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "hub": {
                    "bind_url": "http://127.0.0.1:8800",
                    "state_dir": str(tmp_path / "state"),
                    "admin_users": ["boss"],
                },
                "certification": {"public_url": "https://hub.example.org", **certification},
            }
        )
    )
    return path


def service_settings(service: dict):
    """The settings the service reads, by the runner's rule, from the environment it gets."""
    environ = service["environment"]
    return load_settings(site_settings_file(environ=environ), environ=environ)


def test_update_certification_adds_the_service_and_makes_keys_and_secret(tmp_path):
    c = Config()
    update_certification(c, load_settings(_settings(tmp_path), environ={}))
    (service,) = [s for s in c.JupyterHub.services if s["name"] == "certification"]
    assert service["url"] == "http://127.0.0.1:8807"
    assert service["command"][1:] == ["-m", "ungp_hub.certification"]
    # The service reads the same site file as the hub: grading, admins, names, sandbox limits.
    assert service["environment"]["UNGP_SETTINGS"] == str(_settings(tmp_path).resolve())
    seen = service_settings(service)
    assert seen.get("certification.grading") == "sandbox"
    assert seen.get("hub.admin_users") == ["boss"]
    assert seen.get("certification.public_name") == "consent"
    root = tmp_path / "state" / "certification"
    assert (root / "keys" / "issuer-keys.json").exists()
    assert (root / "exam-secret").stat().st_mode & 0o777 == 0o600
    assert (root / "status" / "1.json").exists()
    user_role = next(r for r in c.JupyterHub.load_roles if r["name"] == "user")
    assert "access:services!service=certification" in user_role["scopes"]
    assert "certification" in c.Spawner.environment["UNGP_CERTIFICATION_URL"]


def test_disabled_certification_adds_nothing(tmp_path):
    c = Config()
    update_certification(c, load_settings(_settings(tmp_path, enabled=False), environ={}))
    assert "services" not in c.JupyterHub
    assert not (tmp_path / "state" / "certification").exists()


def test_cli_lists_revokes_and_offline_verify_reports_revoked(tmp_path, programme):
    settings = _settings(tmp_path)
    runner = CliRunner()
    refused = runner.invoke(main, ["cert", "list", "--settings", str(settings)])
    assert refused.exit_code == 1 and "no hub has run with these settings" in refused.stderr
    assert not (tmp_path / "state").exists(), "no keys are made for a hub that is not there"
    (tmp_path / "state").mkdir()
    assert runner.invoke(main, ["cert", "list", "--settings", str(settings)]).exit_code == 0
    certifier = Certifier(
        tmp_path / "state" / "certification",
        "https://hub.example.org",
        "UN Global Platform training hub",
    )
    issued = certifier.issue(
        "alice",
        "Alice",
        programme.track("cpi"),
        ExamGrade("x3-scanner-cpi", "alice", 8, 10, ()),
        "cd" * 32,
        now=NOW,
    )
    credential = tmp_path / "alice.json"
    credential.write_text(issued.document)
    found = runner.invoke(main, ["cert", "search", "ali", "--json", "--settings", str(settings)])
    assert json.loads(found.output)[0]["id"] == issued.id

    exported = tmp_path / "export"
    assert (
        runner.invoke(
            main, ["cert", "export", str(exported), "--settings", str(settings)]
        ).exit_code
        == 0
    )
    verify = [
        "cert",
        "verify",
        str(credential),
        "--keys",
        str(exported / "issuer.json"),
        "--status-list",
        str(exported / "status.json"),
    ]
    assert runner.invoke(main, verify).exit_code == 0

    no_reason = runner.invoke(main, ["cert", "revoke", issued.id, "--settings", str(settings)])
    assert no_reason.exit_code == 2
    done = runner.invoke(
        main, ["cert", "revoke", issued.id, "--reason", "copied exam", "--settings", str(settings)]
    )
    assert done.exit_code == 0 and "revoked" in done.output
    again = runner.invoke(
        main, ["cert", "revoke", issued.id, "--reason", "x", "--settings", str(settings)]
    )
    assert again.exit_code == 1 and "already revoked" in again.output
    runner.invoke(main, ["cert", "export", str(exported), "--settings", str(settings)])
    result = runner.invoke(main, verify)
    assert result.exit_code == 1 and "revoked: bit" in result.output
    listed = runner.invoke(main, ["cert", "list", "--settings", str(settings)])
    assert "REVOKED" in listed.output and "copied exam" in listed.output


def test_without_a_tracks_file_the_service_is_off_not_the_hub(tmp_path, monkeypatch):
    from ungp_hub.configure import certification

    monkeypatch.setattr(certification, "default_tracks_file", lambda: tmp_path / "none.yaml")
    c = Config()
    update_certification(c, load_settings(_settings(tmp_path), environ={}))
    assert "services" not in c.JupyterHub


def test_a_bad_tracks_file_stops_the_start_naming_the_key(tmp_path):
    bad = tmp_path / "tracks.yaml"
    bad.write_text("modules: {}\ntracks: {cpi: {title: x}}\n")
    import pytest
    from ungp_hub.certification.errors import TracksError

    with pytest.raises(TracksError, match="tracks.cpi: 'level' is a required property"):
        update_certification(
            Config(), load_settings(_settings(tmp_path, tracks_file=str(bad)), environ={})
        )


def test_host_grading_is_flagged_as_test_only(tmp_path, caplog):
    c = Config()
    with caplog.at_level("WARNING", logger="ungp_hub"):
        update_certification(c, load_settings(_settings(tmp_path, grading="host"), environ={}))
    (service,) = [s for s in c.JupyterHub.services if s["name"] == "certification"]
    assert service_settings(service).get("certification.grading") == "host"
    assert "for tests only" in caplog.text
