"""The `make up` demo, started the way `make up` starts it, for tests that follow the docs.

`make up` runs `ungp hub run --settings settings/demo.yaml` from the checkout. The fixture does
the same from a scratch copy of the checkout (every top-level entry a symlink, except
`settings/`, whose demo.yaml differs only in its port), so the demo's state folder
(`settings/../state`) and every file a documented command writes land in a temporary folder,
never in the real checkout, and the demo never takes port 8000 (the developer's own demo).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
import yaml
from testpolicy import REPO_ROOT
from ungp_hub.state import StateDir
from ungp_hub.testing.client import HubUser
from ungp_hub.testing.hub import free_port_block
from ungp_hub.testing.wait import CannotHappen, wait_for

ROLE_USERS = {"trainee": "trainee1", "instructor": "instructor", "analyst": "analyst"}
ROLE_USERS["admin"] = "admin"
NOT_LINKED = {".git", ".venv", "state", "settings", "test-artifacts", ".pytest_cache"}


@dataclass
class Demo:
    checkout: Path
    settings_file: Path
    url: str
    process: subprocess.Popen
    log_path: Path
    passwords: dict[str, str] = field(default_factory=dict)
    users: dict[str, tuple[HubUser, str]] = field(default_factory=dict)

    @property
    def state_dir(self) -> Path:
        return self.checkout / "state"

    def host_env(self) -> dict[str, str]:
        """A shell on the hub host after `make up`: the checkout's virtualenv first on PATH."""
        bin_dir = Path(sys.executable).parent
        return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}

    def server(self, name: str) -> tuple[str, str]:
        """(server URL, API token) of the user's running server; logs in and starts it once."""
        if name not in self.users:
            user = HubUser(self.url, name)
            response = user.login(self.passwords[name])
            assert response.status_code == 302, f"{name} could not log in ({response.status_code})"
            if not user.server_model().get("ready"):
                user.start_server()
                user.wait_ready(timeout=180)
            self.users[name] = (user, user.new_token())
        user, token = self.users[name]
        return f"{self.url}/user/{name}", token

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def scratch_checkout(target: Path, port: int) -> Path:
    """A checkout to run documented commands in: symlinks to the real one, own settings."""
    target.mkdir(parents=True)
    for entry in REPO_ROOT.iterdir():
        if entry.name not in NOT_LINKED:
            (target / entry.name).symlink_to(entry)
    settings = target / "settings"
    settings.mkdir()
    for entry in (REPO_ROOT / "settings").iterdir():
        if entry.name != "demo.yaml":
            (settings / entry.name).symlink_to(entry)
    demo = yaml.safe_load((REPO_ROOT / "settings" / "demo.yaml").read_text())
    demo["hub"]["bind_url"] = f"http://127.0.0.1:{port}"
    (settings / "demo.yaml").write_text(yaml.safe_dump(demo, sort_keys=False))
    return target


def start_demo(checkout: Path, port: int, images_json: Path, timeout: float = 300) -> Demo:
    """`ungp hub run --settings settings/demo.yaml` in checkout; wait for the demo accounts."""
    state = StateDir(checkout / "state")
    state.ensure()
    # The images the test session built or found (by tag): no second build.
    shutil.copy(images_json, state.path / "images.json")
    log_path = checkout / "make-up.log"
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("UNGP_SETTINGS", None)
    log = open(log_path, "ab")  # noqa: SIM115 - owned by the child process
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ungp_hub.cli.main",
            "hub",
            "run",
            "--settings",
            "settings/demo.yaml",
        ],
        cwd=checkout,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    demo = Demo(
        checkout, checkout / "settings" / "demo.yaml", f"http://127.0.0.1:{port}", process, log_path
    )
    accounts = state.path / "secrets" / "demo-accounts.json"

    def up() -> bool:
        if process.poll() is not None:
            raise CannotHappen(f"`ungp hub run` exited; its log:\n{demo.log()[-4000:]}")
        return accounts.exists() and requests.get(f"{demo.url}/hub/api/", timeout=2).ok

    wait_for(up, timeout, f"the demo hub on port {port} (log: {log_path})", interval=1)
    demo.passwords = json.loads(accounts.read_text())
    return demo


def stop_demo(demo: Demo) -> None:
    """Stop the servers the tests started, then the hub (as Ctrl-C after `make up` would)."""
    for user, _token in demo.users.values():
        try:
            user.stop_server()
            wait_for(lambda u=user: not u.server_model(), 60, f"{user.name}'s server to stop")
        except (AssertionError, requests.RequestException) as error:
            sys.stderr.write(f"\n{user.name}'s server did not stop: {error}\n")
    if demo.process.poll() is None:
        demo.process.send_signal(signal.SIGTERM)
        try:
            demo.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(demo.process.pid, signal.SIGKILL)
            demo.process.wait()


@pytest.fixture(scope="session")
def make_up_demo(images_state, docker_client, tmp_path_factory, request):
    """The `make up` demo hub, once per session; its log is printed if a test failed."""
    taken = {f"ungp-{name}--" for name in ROLE_USERS.values()} & {
        container.name for container in docker_client.containers.list(all=True)
    }
    if taken:
        pytest.fail(
            f"containers {sorted(taken)} exist (another demo's servers, e.g. `make up`); the "
            "demo's servers would take their names: stop them first",
            pytrace=False,
        )
    port = free_port_block()
    checkout = scratch_checkout(tmp_path_factory.mktemp("make-up") / "checkout", port)
    demo = start_demo(checkout, port, images_state / "images.json")
    yield demo
    failures = request.session.testsfailed
    stop_demo(demo)
    if failures:
        sys.stderr.write(f"\n--- `make up` demo log ({demo.log_path}) ---\n{demo.log()[-8000:]}\n")
