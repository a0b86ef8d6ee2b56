"""The `make up` demo, started the way `make up` starts it, for tests that follow the docs.

`make up` runs `ungp hub run --settings settings/demo.yaml` from the checkout. The fixture does
the same from a scratch copy of the checkout: every top-level entry a symlink, except

- `settings/`, whose demo.yaml differs only in its port: the demo's state folder
  (`settings/../state`) and every file a documented command writes land in a temporary folder,
  never in the real checkout, and the demo never takes port 8000 (a developer's own demo);
- `hub/` (copied, 1 MB) and `jupyterhub_config.py`: `ungp` finds the checkout it runs from by
  its own path, so with this copy first on PYTHONPATH, `ungp hub run` and the host commands
  find the scratch checkout, not the real one. The config file is the project's with the lines
  a hub admin may add below it: here container and home-volume names of their own and the
  test session's label, so the demo runs beside a developer's `make up` demo without taking
  its trainees' containers or home folders.
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

import docker
import pytest
import requests
import yaml
from integration_fixtures import TEST_SESSION, remove_containment
from testpolicy import REPO_ROOT
from ungp_hub.state import StateDir
from ungp_hub.testing.client import HubUser
from ungp_hub.testing.hub import free_port_block
from ungp_hub.testing.wait import CannotHappen, wait_for

ROLE_USERS = {
    "trainee": "trainee1",
    # has passed module m0 on the demo: may sit the foundation exam
    "candidate": "trainee3",
    "instructor": "instructor",
    "analyst": "analyst",
    "admin": "admin",
}
NOT_LINKED = {".git", "state", "settings", "hub", "jupyterhub_config.py"}
NOT_LINKED |= {"test-artifacts", ".pytest_cache", ".ruff_cache"}
# The demo's containers and home volumes: ungp-docs<session>-...; removed by these at the end.
# What `make up` runs (Makefile), and the line it prints when the demo is ready.
MAKE_UP = "hub run --settings settings/demo.yaml"
READY_LINE = "Stop it with Ctrl-C."
NAME_PREFIX = f"ungp-docs{TEST_SESSION}"
SITE_LINES = f"""
# Added by tests/demo_fixtures.py: names of their own, so this demo runs beside another.
from dockerspawner.dockerspawner import default_format_volume_name as _volume_name

c.UngpDockerSpawner.name_template = "{NAME_PREFIX}-{{username}}--{{servername}}"
c.UngpDockerSpawner.extra_create_kwargs = {{"labels": {{"ungp.test": "{TEST_SESSION}"}}}}
c.UngpDockerSpawner.format_volume_name = lambda template, spawner: _volume_name(
    template.replace("ungp-home-", "{NAME_PREFIX}-home-"), spawner
)
"""


@dataclass
class Demo:
    checkout: Path
    settings_file: Path
    url: str
    process: subprocess.Popen
    log_path: Path
    docker_client: docker.DockerClient | None = None
    passwords: dict[str, str] = field(default_factory=dict)
    users: dict[str, tuple[HubUser, str]] = field(default_factory=dict)

    @property
    def state_dir(self) -> Path:
        return self.checkout / "state"

    def host_env(self) -> dict[str, str]:
        """A shell on the hub host after `make up`: the checkout's virtualenv first on PATH,
        `ungp` from the scratch checkout, no settings in the environment."""
        return checkout_env(self.checkout)

    def server(self, name: str) -> tuple[str, str]:
        """(server URL, API token) of the user's running server; logs in once, and starts the
        server again if an earlier test (the docs' commands) stopped it."""
        if name in self.users and not self.users[name][0].server_model().get("ready"):
            user = self.users[name][0]
            user.start_server()
            user.wait_ready(timeout=180)
        if name not in self.users:
            user = HubUser(self.url, name)
            response = user.login(self.passwords[name])
            assert response.status_code == 302, f"{name} could not log in ({response.status_code})"
            if not user.server_model().get("ready"):
                user.start_server()
                user.wait_ready(timeout=180)
            if self.docker_client is not None:
                # Its own name, or it would have taken a developer's demo server of that name.
                self.docker_client.containers.get(f"{NAME_PREFIX}-{name}--")
            self.users[name] = (user, user.new_token())
        user, token = self.users[name]
        return f"{self.url}/user/{name}", token

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


DEMO_NETWORK = {"UNGP_DOCKER__NETWORK": "ungp-test-demo", "UNGP_DOCKER__SUBNET": "172.30.97.0/24"}


def checkout_env(checkout: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "UNGP_SETTINGS"}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    paths = [str(checkout / "hub"), *filter(None, env.get("PYTHONPATH", "").split(os.pathsep))]
    env["PYTHONPATH"] = os.pathsep.join(paths)
    # A users' network of its own: the hub contains the containers of its network to its own
    # ports, so a developer's demo on ungp-users would lose its hub while this one runs.
    env.update(DEMO_NETWORK)
    return env


def scratch_checkout(target: Path, port: int) -> Path:
    """A checkout to run documented commands in: symlinks to the real one, own settings."""
    target.mkdir(parents=True)
    for entry in REPO_ROOT.iterdir():
        if entry.name not in NOT_LINKED:
            (target / entry.name).symlink_to(entry)
    shutil.copytree(REPO_ROOT / "hub", target / "hub", ignore=shutil.ignore_patterns("__pycache__"))
    config = (REPO_ROOT / "jupyterhub_config.py").read_text()
    (target / "jupyterhub_config.py").write_text(config + SITE_LINES)
    settings = target / "settings"
    settings.mkdir()
    for entry in (REPO_ROOT / "settings").iterdir():
        if entry.name != "demo.yaml":
            (settings / entry.name).symlink_to(entry)
    demo = yaml.safe_load((REPO_ROOT / "settings" / "demo.yaml").read_text())
    demo["hub"]["bind_url"] = f"http://127.0.0.1:{port}"
    (settings / "demo.yaml").write_text(yaml.safe_dump(demo, sort_keys=False))
    return target


def start_demo(checkout: Path, port: int, images_json: Path, timeout: float = 420) -> Demo:
    """`ungp hub run --settings settings/demo.yaml` in checkout; wait until it says the demo
    is ready (images, data, accounts, course, dashboard, exam: minutes on a first run)."""
    state = StateDir(checkout / "state")
    state.ensure()
    # The images the test session built or found (by tag): no second build.
    shutil.copy(images_json, state.path / "images.json")
    log_path = checkout / "make-up.log"
    env = checkout_env(checkout)
    log = open(log_path, "ab")  # noqa: SIM115 - owned by the child process
    process = subprocess.Popen(
        [sys.executable, "-m", "ungp_hub.cli.main", *MAKE_UP.split()],
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
        # `ungp hub run` prints this last, once the demo's content is made and the hub is up.
        return READY_LINE in demo.log() and requests.get(f"{demo.url}/hub/api/", timeout=2).ok

    try:
        wait_for(up, timeout, f"the demo hub on port {port} (log: {log_path})", interval=1)
    except AssertionError:
        stop_demo(demo)
        raise
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
    remove_containment(DEMO_NETWORK["UNGP_DOCKER__NETWORK"])


@pytest.fixture(scope="session")
def make_up_demo(images_state, docker_client, tmp_path_factory, request):
    """The `make up` demo hub, once per session; its log is printed if a test failed."""
    port = free_port_block()
    checkout = scratch_checkout(tmp_path_factory.mktemp("make-up") / "checkout", port)
    try:
        demo = start_demo(checkout, port, images_state / "images.json")
    except AssertionError:
        remove_demo_containers(docker_client, dump_logs=True)
        raise
    demo.docker_client = docker_client
    yield demo
    failures = request.session.testsfailed
    stop_demo(demo)
    if failures:
        sys.stderr.write(f"\n--- `make up` demo log ({demo.log_path}) ---\n{demo.log()[-8000:]}\n")
    remove_demo_containers(docker_client, dump_logs=bool(failures))


def remove_demo_containers(client: docker.DockerClient, dump_logs: bool) -> None:
    """The containers (servers, dashboards, clusters) and home volumes this demo made."""
    for container in client.containers.list(all=True, filters={"name": NAME_PREFIX}):
        if dump_logs:
            logs = container.logs(tail=60).decode(errors="replace")
            sys.stderr.write(f"\n--- container {container.name} ---\n{logs}\n")
        container.remove(force=True, v=True)
    for volume in client.volumes.list(filters={"name": NAME_PREFIX}):
        volume.remove(force=True)
