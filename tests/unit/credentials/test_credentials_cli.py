"""``cert verify`` through click's CliRunner: output and exit codes 0/1/2."""

from __future__ import annotations

import json

from click.testing import CliRunner
from credential_issuer import make_hub
from ungp_credentials.cli import cert


def _write(tmp_path, name, data):
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_valid_credential_exit_0(tmp_path):
    hub = make_hub(tmp_path)
    args = [
        "verify",
        _write(tmp_path, "badge.json", hub.issue()),
        "--keys",
        _write(tmp_path, "keys.json", hub.key_set()),
        "--status-list",
        _write(tmp_path, "status.json", hub.status_list()),
        "--now",
        "2027-01-01T00:00:00Z",
    ]
    result = CliRunner().invoke(cert, args)
    assert result.exit_code == 0, result.output
    assert ": valid" in result.output
    assert "[ok] status: not revocation" in result.output


def test_revoked_credential_exit_1_with_reason(tmp_path):
    hub = make_hub(tmp_path)
    badge = _write(tmp_path, "badge.json", hub.issue(index=3))
    hub.status_bits.set(3)
    args = [
        "verify",
        badge,
        "--keys",
        _write(tmp_path, "keys.json", hub.key_set()),
        "--status-list",
        _write(tmp_path, "status.json", hub.status_list()),
        "--now",
        "2027-01-01T00:00:00Z",
    ]
    result = CliRunner().invoke(cert, args)
    assert result.exit_code == 1
    assert "INVALID" in result.output and "revoked: bit 3" in result.output


def test_expired_json_output(tmp_path):
    hub = make_hub(tmp_path)
    args = [
        "verify",
        _write(tmp_path, "badge.json", hub.issue()),
        "--keys",
        _write(tmp_path, "keys.json", hub.key_set()),
        "--now",
        "2031-01-01T00:00:00Z",
        "--json",
    ]
    result = CliRunner().invoke(cert, args)
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["valid"] is False
    assert any(c["check"] == "validity" and c["passed"] is False for c in report["checks"])


def test_malformed_credential_file_exit_1(tmp_path):
    hub = make_hub(tmp_path)
    bad = tmp_path / "bad.json"
    bad.write_text("{oops", encoding="utf-8")
    result = CliRunner().invoke(
        cert, ["verify", str(bad), "--keys", _write(tmp_path, "k.json", hub.key_set())]
    )
    assert result.exit_code == 1
    assert "not valid JSON" in result.output


def test_usage_errors_exit_2(tmp_path):
    hub = make_hub(tmp_path)
    badge = _write(tmp_path, "badge.json", hub.issue())
    runner = CliRunner()
    assert runner.invoke(cert, ["verify", badge]).exit_code == 2  # --keys missing
    broken = tmp_path / "keys.json"
    broken.write_text("nope", encoding="utf-8")
    result = runner.invoke(cert, ["verify", badge, "--keys", str(broken)])
    assert result.exit_code == 2 and "cannot read key set" in result.output
    keys = _write(tmp_path, "k.json", hub.key_set())
    result = runner.invoke(cert, ["verify", badge, "--keys", keys, "--now", "yesterday"])
    assert result.exit_code == 2 and "ISO 8601" in result.output
    assert (
        runner.invoke(cert, ["verify", str(tmp_path / "missing.json"), "--keys", keys]).exit_code
        == 2
    )


def test_a_deeply_nested_key_set_or_credential_is_a_usage_error_or_reason(tmp_path):
    hub = make_hub(tmp_path)
    deep = tmp_path / "deep.json"
    deep.write_text('{"a":' * 1_000 + "1" + "}" * 1_000, encoding="utf-8")
    badge = _write(tmp_path, "badge.json", hub.issue())
    keys = _write(tmp_path, "keys.json", hub.key_set())
    refused_keys = CliRunner().invoke(cert, ["verify", badge, "--keys", str(deep)])
    assert refused_keys.exit_code == 2 and "at most 32 levels" in refused_keys.output
    assert not isinstance(refused_keys.exception, RecursionError)
    refused_badge = CliRunner().invoke(cert, ["verify", str(deep), "--keys", keys])
    assert refused_badge.exit_code == 1 and "at most 32 levels" in refused_badge.output
