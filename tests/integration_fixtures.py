"""Fixtures for tests against a real Docker engine and a real hub (integration and browser)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import docker
import docker.errors
import pytest
import yaml
from testpolicy import REPO_ROOT, require
from ungp_hub.containment import iptables
from ungp_hub.containment.rules import make_plan
from ungp_hub.engine import docker_client_or_none
from ungp_hub.images.base import ensure_base_image
from ungp_hub.images.user import read_built_images
from ungp_hub.state import StateDir
from ungp_hub.testing.hub import RunningHub, free_port_block, write_settings

TEST_CONFIG = Path(__file__).parent / "integration" / "jupyterhub_test_config.py"
TEST_NETWORK = {"network": "ungp-test-users", "subnet": "172.30.99.0/24"}
# Containers are labelled ungp.test=<this session>, so clean-up never touches the containers
# of another test session running at the same time on the machine.
TEST_SESSION = os.environ.setdefault("UNGP_TEST_SESSION", uuid.uuid4().hex[:12])


@pytest.fixture(scope="session")
def docker_client() -> docker.DockerClient:
    client = docker_client_or_none()
    require(client is not None, "a Docker engine (run `make test` as root, or start dockerd)")
    yield client
    _remove_test_volumes()


@pytest.fixture(scope="session")
def images_state(docker_client, tmp_path_factory) -> Path:
    """A state dir whose images.json names the user image (built or reused by tag)."""
    state = tmp_path_factory.mktemp("images-state")
    settings = write_settings(state, 8000)
    wheelhouse = REPO_ROOT / "build" / "wheelhouse"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ungp_hub.cli.main",
            "images",
            "build",
            "--settings",
            str(settings),
            "--wheelhouse",
            str(wheelhouse),
        ],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert result.returncode == 0, f"ungp images build failed:\n{result.stdout}\n{result.stderr}"
    assert read_built_images(state)["user"].startswith("ungp/user:")
    return state


@pytest.fixture(scope="session")
def user_image(images_state) -> str:
    return read_built_images(images_state)["user"]


@pytest.fixture
def hub_factory(tmp_path, images_state, docker_client, request):
    """Start hubs with given settings overrides; dump logs on failure; clean up after."""
    hubs: list[RunningHub] = []

    def start(overrides: dict | None = None, start: bool = True) -> RunningHub:
        state = tmp_path / f"state{len(hubs)}"
        StateDir(state).ensure()
        (state / "images.json").write_text((images_state / "images.json").read_text())
        port = free_port_block()
        merged = {"docker": dict(TEST_NETWORK)}
        for section, values in (overrides or {}).items():
            merged.setdefault(section, {}).update(values)
        settings = write_settings(state, port, merged)
        hub = RunningHub(state, settings, TEST_CONFIG, port)
        hubs.append(hub)
        return hub.start() if start else hub

    yield start
    failed = any(
        getattr(getattr(request.node, f"rep_{when}", None), "failed", False)
        for when in ("setup", "call")
    )
    for hub in hubs:
        if failed:
            sys.stderr.write(f"\n--- hub log ({hub.log_path}) ---\n{hub.log()[-8000:]}\n")
        hub.stop()
    _remove_test_containers(docker_client, dump_logs=failed)
    # From the file as written: a test may have written settings the hub refused.
    written = [yaml.safe_load(hub.settings_file.read_text()) or {} for hub in hubs]
    for network in {(data.get("docker") or {}).get("network") for data in written} - {None}:
        remove_containment(network)


def remove_containment(network: str) -> None:
    """Take away the containment rules a test hub made for its users' network (a hub keeps
    them when it stops, for its running servers): the next hub on the network, maybe of an
    older checkout, starts from none."""
    iptables.remove(make_plan(network, "127.0.0.1", [1]))


def _remove_test_containers(client: docker.DockerClient, dump_logs: bool) -> None:
    for container in client.containers.list(
        all=True, filters={"label": f"ungp.test={TEST_SESSION}"}
    ):
        if dump_logs:
            logs = container.logs(tail=80).decode(errors="replace")
            sys.stderr.write(f"\n--- container {container.name} ---\n{logs}\n")
        try:
            container.remove(force=True, v=True)
        except docker.errors.APIError:
            pass


@pytest.fixture(scope="session")
def kit(images_state, docker_client, tmp_path_factory) -> dict:
    """The offline USB kit, built once per session (minutes: a 2 GB image is compressed);
    shared by the kit's own test and the Ansible kit-mode test."""
    require(shutil.which("zstd") is not None, "zstd (apt-get install zstd)")
    require(shutil.which("debootstrap") is not None, "debootstrap (apt-get install debootstrap)")
    ensure_base_image(docker_client, "bookworm")
    out = tmp_path_factory.mktemp("usb") / "kit"
    started = time.monotonic()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ungp_hub.cli.main",
            "usb",
            "build",
            str(out),
            "--settings",
            str(images_state / "settings.yaml"),
            "--no-progress",
            "--data-scale",
            "small",
            "--wheelhouse",
            str(REPO_ROOT / "build" / "wheelhouse"),
        ],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert result.returncode == 0, f"ungp usb build failed:\n{result.stdout}\n{result.stderr}"
    # What the organiser hands the installer by another route than the kit.
    fingerprint = result.stdout.split("(give it to the installer): ")[1].splitlines()[0]
    yield {
        "path": out,
        "seconds": time.monotonic() - started,
        "report": result.stdout,
        "fingerprint": fingerprint,
    }
    shutil.rmtree(out, ignore_errors=True)


@pytest.fixture
def unique() -> str:
    """A short suffix that keeps user names (and so container names) apart between tests."""
    return uuid.uuid4().hex[:6]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def _remove_test_volumes() -> None:
    client = docker_client_or_none()
    if client is None:
        return
    _remove_test_containers(client, dump_logs=False)
    for volume in client.volumes.list(filters={"name": "ungp-home-t-"}):
        # Test trainees are t-<unique>...: a developer's demo (ungp-home-trainee1) stays.
        if not volume.name.startswith("ungp-home-t-"):
            continue
        try:
            volume.remove(force=True)
        except docker.errors.APIError:
            pass
