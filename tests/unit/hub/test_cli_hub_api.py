"""Host commands against the wrong hub, or none: a plain message, nothing created.

The hub here is a real HTTP server on 127.0.0.1 that refuses every token (HTTP 403), as a
running hub does for a token from another state folder.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from ungp_hub.accounts.hub_api import HubAPI, HubRequestFailed
from ungp_hub.cli import options
from ungp_hub.cli.main import main
from ungp_hub.settings import load_settings


class Refusing(BaseHTTPRequestHandler):
    status = 403

    def _answer(self) -> None:
        body = json.dumps({"status": self.status, "message": "Forbidden"}).encode()
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_DELETE = _answer

    def log_message(self, *args) -> None:  # noqa: ANN002
        pass


@pytest.fixture
def refusing_hub():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Refusing)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def site(tmp_path: Path, bind_url: str, token: bool = True, state: bool = True) -> Path:
    state_dir = tmp_path / "state"
    if state:
        (state_dir / "secrets").mkdir(parents=True)
        if token:
            (state_dir / "secrets" / "cli-api-token").write_text("not-the-running-hubs\n")
    settings = tmp_path / "site.yaml"
    settings.write_text(yaml.safe_dump({"hub": {"bind_url": bind_url, "state_dir": "state"}}))
    return settings


def run(*args: str):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def test_a_refused_token_names_the_settings_and_state_folder(tmp_path, refusing_hub):
    settings = site(tmp_path, refusing_hub)
    roster = tmp_path / "roster.csv"
    roster.write_text("username,role\nana,trainee\n")
    for args in (["course", "create", "demo"], ["users", "import", str(roster)]):
        result = run(*args, "--settings", str(settings))
        assert result.exit_code == 1, result.output
        message = result.stderr
        assert f"the hub at {refusing_hub}/hub/api refused the token from " in message
        assert str(tmp_path / "state" / "secrets" / "cli-api-token") in message
        assert f"(state folder of {settings})" in message
        assert "HTTP 403" in message and "--settings settings/demo.yaml" in message
    assert not (tmp_path / "state" / "courses").exists(), "nothing is made for a refused hub"
    assert not roster.with_suffix(".slips.pdf").exists()


@pytest.mark.parametrize("token", [False, True])
def test_a_missing_state_folder_or_token_is_never_created(tmp_path, refusing_hub, token):
    settings = site(tmp_path, refusing_hub, token=False, state=token)
    result = run("course", "create", "demo", "--settings", str(settings))
    assert result.exit_code == 1
    assert str(settings) in result.stderr
    if token:  # the state folder exists, the hub never started with it
        assert "no hub token at" in result.stderr
        assert sorted(p.name for p in (tmp_path / "state").rglob("*")) == ["secrets"]
    else:
        assert "does not exist: no hub has run with these settings" in result.stderr
        assert not (tmp_path / "state").exists()


def test_other_refusals_are_messages_too(tmp_path, refusing_hub):
    Refusing.status = 500
    try:
        api = HubAPI.from_settings(load_settings(site(tmp_path, refusing_hub), environ={}))
        with pytest.raises(HubRequestFailed, match=r"HTTP 500 to GET /hub/api/users: Forbidden"):
            api.user_names()
    finally:
        Refusing.status = 403


def checkout(tmp_path: Path, monkeypatch) -> Path:
    """A fake checkout with settings/demo.yaml; no /etc/ungp-hub, no $UNGP_SETTINGS."""
    root = tmp_path / "checkout"
    (root / "settings").mkdir(parents=True)
    (root / "pyproject.toml").write_text("")
    (root / "settings" / "demo.yaml").write_text("hub:\n  state_dir: ../state\n  demo: true\n")
    monkeypatch.setattr(options, "project_root", lambda: root)
    monkeypatch.setattr(options, "DEFAULT_SETTINGS", tmp_path / "etc" / "settings.yaml")
    monkeypatch.delenv("UNGP_SETTINGS", raising=False)
    return root


def test_the_demo_settings_are_found_once_make_up_made_their_state(tmp_path, monkeypatch):
    root = checkout(tmp_path, monkeypatch)
    assert options.settings_path(None) is None, "no state folder yet: defaults, as before"
    (root / "state").mkdir()
    assert options.settings_path(None) == root / "settings" / "demo.yaml"
    result = run("settings", "validate")
    assert result.exit_code == 0
    assert result.stderr == f"settings: {root / 'settings' / 'demo.yaml'}\n"

    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "settings.yaml").write_text("")
    assert options.settings_path(None) == tmp_path / "etc" / "settings.yaml"
    monkeypatch.setenv("UNGP_SETTINGS", str(tmp_path / "env.yaml"))
    assert options.settings_path(None) == tmp_path / "env.yaml"
    assert options.settings_path("given.yaml") == Path("given.yaml")
