"""A trainee's server is a hardened container with the limits of the trainee profile."""

from __future__ import annotations

import pytest
import requests
from ungp_hub.spawner.docker import UngpDockerSpawner
from ungp_hub.testing.client import HubUser, run_cell
from ungp_hub.testing.containers import container_of
from ungp_hub.testing.wait import wait_for

TRAINEE_LIMITS = {"cpu": 0.5, "memory": "768M", "pids": 256}


def roster(*rows: str) -> str:
    return "username,role,course\n" + "\n".join(rows) + "\n"


@pytest.fixture
def hub_with_two_trainees(hub_factory, unique):
    hub = hub_factory({"profiles": {"trainee": TRAINEE_LIMITS}})
    names = [f"t-{unique}-a", f"t-{unique}-b"]
    passwords = hub.add_people(roster(*(f"{name},trainee,demo" for name in names)))
    users = []
    for name in names:
        user = HubUser(hub.url, name)
        assert user.login(passwords[name]).status_code == 302, "roster password must log in"
        users.append(user)
    return hub, users


def test_trainee_container_limits_mounts_and_hardening(hub_with_two_trainees, docker_client):
    hub, (trainee, _) = hub_with_two_trainees
    assert trainee.start_server().status_code in (201, 202)
    trainee.wait_ready()
    attrs = container_of(docker_client, trainee.name, stopped=True).attrs
    host = attrs["HostConfig"]
    assert host["Memory"] == 768 * 1024**2
    assert host["CpuQuota"] / host["CpuPeriod"] == pytest.approx(0.5)
    assert host["PidsLimit"] == 256
    assert host["Privileged"] is False
    assert host["CapDrop"] == ["ALL"] and not host.get("CapAdd")
    assert "no-new-privileges" in host["SecurityOpt"]
    assert attrs["Config"]["User"] == "1000"
    mounts = {mount["Destination"]: mount for mount in attrs["Mounts"]}
    assert mounts["/home/jovyan"]["Type"] == "volume"
    assert mounts["/home/jovyan"]["Name"] == f"ungp-home-{UngpDockerSpawner._escape(trainee.name)}"
    assert mounts["/srv/data"]["RW"] is False
    assert not any("docker.sock" in (m.get("Source") or "") for m in attrs["Mounts"])
    assert attrs["Config"]["Labels"]["org.ungp.profile"] == "trainee"
    assert list(attrs["NetworkSettings"]["Networks"]) == ["ungp-test-users"]
    # Trainees do not grade: their servers skip the formgrader (start-up time in a burst).
    env = dict(item.split("=", 1) for item in attrs["Config"]["Env"])
    assert "nbgrader.server_extensions.formgrader" in env["UNGP_SERVER_EXTENSIONS_OFF"]

    token = trainee.new_token()
    out = run_cell(
        hub.url,
        trainee.name,
        token,
        "import os, subprocess\n"
        "print('uid', os.getuid())\n"
        "try:\n    open('/srv/data/x', 'w')\nexcept OSError as e:\n    print('data', e.errno)\n"
        "print('sock', os.path.exists('/var/run/docker.sock'))\n"
        "print('caps', open('/proc/self/status').read().split('CapEff:')[1].split()[0])\n"
        "print(5 * 4)\n",
    )
    assert "uid 1000" in out
    assert "data 30" in out  # EROFS: the data mount is read-only
    assert "sock False" in out
    assert "caps 0000000000000000" in out
    assert "20" in out.split()
    server = f"{hub.url}/user/{trainee.name}"
    auth = {"Authorization": f"token {token}"}
    assert requests.get(f"{server}/formgrader", headers=auth, timeout=30).status_code == 404
    assert requests.get(f"{server}/lab", headers=auth, timeout=30).status_code == 200


def test_home_volume_survives_restart_and_containers_are_isolated(
    hub_with_two_trainees, docker_client
):
    hub, (first, second) = hub_with_two_trainees
    for user in (first, second):
        user.start_server()
    for user in (first, second):
        user.wait_ready()
    token = first.new_token()
    run_cell(hub.url, first.name, token, "open('/home/jovyan/kept.txt', 'w').write('still here')")

    # Another trainee's container cannot open a connection to the first one's server.
    first_ip = container_of(docker_client, first.name, stopped=True).attrs["NetworkSettings"][
        "Networks"
    ]["ungp-test-users"]["IPAddress"]
    probe = (
        "import socket\ns = socket.socket(); s.settimeout(3)\n"
        f"print('reach', s.connect_ex(('{first_ip}', 8888)) == 0)\n"
    )
    assert "reach False" in run_cell(hub.url, second.name, second.new_token(), probe)
    # ...while the hub host (the proxy) can.
    assert "reach True" in run_cell(
        hub.url, first.name, token, probe.replace(first_ip, first_ip)
    ), "control: the server port is open from inside its own container"

    # Stop and start again: the home volume (and the file) is still there.
    assert first.stop_server().status_code in (202, 204)
    wait_for(lambda: not first.server_model(), 60, "the server to stop")
    first.start_server()
    first.wait_ready()
    out = run_cell(hub.url, first.name, first.new_token(), "print(open('kept.txt').read())")
    assert "still here" in out


def test_hub_restart_keeps_running_servers(hub_with_two_trainees, docker_client):
    hub, (trainee, _) = hub_with_two_trainees
    trainee.start_server()
    trainee.wait_ready()
    before = container_of(docker_client, trainee.name, stopped=True).id
    hub.stop()
    assert container_of(docker_client, trainee.name, stopped=True).status == "running"
    hub.start()
    assert container_of(docker_client, trainee.name, stopped=True).id == before
    assert trainee.server_model().get("ready")
    out = run_cell(hub.url, trainee.name, trainee.new_token(), "print(6 * 7)")
    assert "42" in out
