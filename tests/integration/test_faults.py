"""Faults a hub admin or a trainee will meet, each with a clear message."""

from __future__ import annotations

import os
import signal
import subprocess

import pytest
import requests
from ungp_hub.engine import docker_client_or_none, ensure_engine, process_alive
from ungp_hub.testing.client import HubUser, run_cell, spawn_progress
from ungp_hub.testing.wait import wait_for


def one_trainee(hub, name: str) -> HubUser:
    passwords = hub.add_people(f"username,role\n{name},trainee\n")
    user = HubUser(hub.url, name)
    assert user.login(passwords[name]).status_code == 302
    return user


def test_unknown_settings_key_stops_the_hub_naming_the_key(hub_factory):
    hub = hub_factory({"hub": {"bind_url_typo": "x"}}, start=False)
    with pytest.raises(AssertionError, match="exited during start-up"):
        hub.start(timeout=60)
    assert hub.process.returncode != 0
    assert "unknown setting 'hub.bind_url_typo'" in hub.log()
    assert "did you mean 'bind_url'" in hub.log()


def test_missing_image_names_the_build_command(hub_factory, unique):
    hub = hub_factory({"profiles": {"trainee": {"image": "ungp/user:not-built"}}})
    user = one_trainee(hub, f"t-{unique}-img")
    user.start_server()
    events = spawn_progress(user)
    assert events[-1].get("failed"), events
    assert "ungp images build" in events[-1]["message"]
    assert "ungp/user:not-built" in events[-1]["message"]
    assert "Image ungp/user:not-built is missing" in hub.log()


def test_server_killed_for_memory_tells_the_trainee_the_limit(hub_factory, unique):
    hub = hub_factory({"profiles": {"trainee": {"memory": "400M"}}})
    user = one_trainee(hub, f"t-{unique}-oom")
    user.start_server()
    user.wait_ready()
    hog = (
        "import os\n"
        "server = os.getppid()\n"  # the kernel's parent: the Jupyter server
        "open(f'/proc/{server}/oom_score_adj', 'w').write('1000')\n"
        "chunks = []\n"
        "for _ in range(64):\n"
        "    chunks.append(bytearray(32 * 1024 * 1024))\n"
    )
    with pytest.raises(Exception):  # noqa: B017 - the server dies under the cell
        run_cell(hub.url, user.name, user.new_token(), hog, timeout=60)
    wait_for(lambda: not user.server_model(), 60, "the hub to notice the server stopped")
    home = user.session.get(f"{hub.url}/hub/home", timeout=30).text
    assert "ran out of memory" in home
    assert "400 MiB" in home
    page = user.session.get(f"{hub.url}/hub/user/{user.name}/", timeout=30)
    assert "ran out of memory" in page.text and "400 MiB" in page.text


def _dockerd_pid() -> int | None:
    found = subprocess.run(["pidof", "dockerd"], capture_output=True, text=True).stdout.split()
    return int(found[0]) if found else None


@pytest.mark.engine_outage
def test_engine_down_gives_a_clear_message_and_recovers(hub_factory, unique, tmp_path):
    hub = hub_factory()
    user = one_trainee(hub, f"t-{unique}-eng")
    pid = _dockerd_pid()
    assert pid, "dockerd must be running as a process this test can stop"
    os.kill(pid, signal.SIGTERM)
    try:
        wait_for(lambda: docker_client_or_none(timeout=2) is None, 60, "dockerd to stop")
        wait_for(lambda: not process_alive(pid), 60, "dockerd to exit")
        user.start_server()
        events = spawn_progress(user)
        assert events[-1].get("failed"), events
        assert "container engine is not answering" in events[-1]["message"]
        assert requests.get(f"{hub.url}/hub/api/", timeout=5).ok, "the hub itself keeps running"
    finally:
        available, what = ensure_engine(tmp_path)
        assert available, what
    user.start_server()
    user.wait_ready()
    assert "42" in run_cell(hub.url, user.name, user.new_token(), "print(6 * 7)")
