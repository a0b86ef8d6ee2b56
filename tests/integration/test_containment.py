"""Network containment, probed from inside a real trainee container and a real Dask worker.

Every packet of these tests goes to loopback, to this machine on a test network's gateway
address, or to the tests' own containers: the "LAN" is a container of ours reached through a
veth pair routed by the host, as an office LAN is. The cloud metadata rule is read from the
kernel's rule set, never probed.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import textwrap

import docker
import docker.errors
import pytest
import yaml
from integration_fixtures import TEST_SESSION
from ungp_hub.containment import iptables
from ungp_hub.containment.rules import LINK_LOCAL, bridge_tag, make_plan
from ungp_hub.dask.containers import LABEL
from ungp_hub.dask.networks import free_subnet, used_subnets
from ungp_hub.dask.plan import gateway_id
from ungp_hub.spawner.network import bridge_interface
from ungp_hub.testing.client import HubUser, run_cell
from ungp_hub.testing.containers import container_of
from ungp_hub.testing.hub import free_port_block
from ungp_hub.testing.wait import wait_for

LAN_PORT = 8080
# Connects to each (host, port) with a short timeout: "open", or why not. A dropped packet
# times out; nothing here waits on an address outside the test's own.
PROBE = """
import errno, json, socket
def probe(targets):
    found = {}
    for name, host, port in targets:
        s = socket.socket(); s.settimeout(3)
        try:
            code = s.connect_ex((host, port))
            found[name] = "open" if code == 0 else errno.errorcode.get(code, str(code))
        except OSError as error:
            found[name] = type(error).__name__
        finally:
            s.close()
    return found
"""


def roster(*names: str) -> str:
    return "username,role,course\n" + "".join(f"{name},trainee,demo\n" for name in names)


def run(*command: str) -> None:
    subprocess.run(command, check=True, capture_output=True, text=True)


@pytest.fixture
def lan(docker_client, user_image, unique):
    """A listener in a container of ours reached only through the host's routing (a veth
    pair, not a Docker bridge), as a machine on the office LAN is."""
    third = 100 + int(unique[:2], 16) % 100
    host_ip, lan_ip = f"10.254.{third}.1", f"10.254.{third}.2"
    listener = (
        f"import socket; s = socket.socket(); s.bind(('0.0.0.0', {LAN_PORT})); s.listen(50)\n"
        "while True: s.accept()[0].close()"
    )
    container = docker_client.containers.run(
        user_image,
        ["python", "-c", listener],
        name=f"ungp-test-lan-{unique}",
        network_mode="none",
        labels={"ungp.test": TEST_SESSION},
        detach=True,
    )
    container.reload()
    pid = str(container.attrs["State"]["Pid"])
    outside, inside = f"ulan{unique}", f"ulanp{unique}"
    run("ip", "link", "add", outside, "type", "veth", "peer", "name", inside)
    try:
        run("ip", "link", "set", inside, "netns", pid)
        run("ip", "addr", "add", f"{host_ip}/30", "dev", outside)
        run("ip", "link", "set", outside, "up")
        netns = ["nsenter", "-t", pid, "-n", "ip"]
        run(*netns, "addr", "add", f"{lan_ip}/30", "dev", inside)
        run(*netns, "link", "set", inside, "up")
        run(*netns, "route", "add", "default", "via", host_ip)
        # The host reaches it: a probe that fails from a container fails for containment.
        wait_for(lambda: _connects(lan_ip, LAN_PORT), 20, "the LAN listener")
        yield lan_ip
    finally:
        subprocess.run(["ip", "link", "del", outside], capture_output=True, check=False)
        container.remove(force=True)


def _connects(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(2)
        return s.connect_ex((host, port)) == 0


@pytest.fixture
def contained_hub(hub_factory, docker_client, unique):
    """A hub on a users' network of its own (the rules of the shared test network would
    apply to other sessions' hubs), with a Dask gateway and two trainees' servers."""
    used = used_subnets(docker_client)
    network = f"ungp-test-contain-{unique}"
    hub = hub_factory(
        {
            "docker": {"network": network, "subnet": free_subnet("172.31.0.0/16", 24, used)},
            "dask": {
                "subnet_pool": free_subnet("10.216.0.0/13", 20, used),
                "limits": {
                    "trainee": {
                        "max_worker_cores": 1,
                        "max_worker_memory": "1G",
                        "default_worker_memory": "512M",
                        "max_workers": 1,
                        "max_clusters": 1,
                    }
                },
            },
            "hub": {"named_server_limit": 1},
            "auth": {"login_throttle": {"failed_logins": 2, "wait_seconds": 600}},
        },
        start=False,
    )
    port = wait_for(
        lambda: (p := free_port_block(2)) and abs(p - hub.port) > 9 and p, 10, "free ports"
    )
    settings = yaml.safe_load(hub.settings_file.read_text())
    settings["dask"].update(port=port, api_port=port + 1)
    hub.settings_file.write_text(yaml.safe_dump(settings))
    gateway = gateway_id(hub.state_dir)
    try:
        hub.start()
        yield hub, network, port
    finally:
        hub.stop()
        selector = {"label": [f"{LABEL}.gateway={gateway}"]}
        for item in docker_client.containers.list(all=True, filters=selector):
            item.remove(force=True)
        for item in docker_client.networks.list(filters=selector):
            item.remove()
        for container in docker_client.containers.list(
            all=True, filters={"label": f"ungp.test={TEST_SESSION}"}
        ):
            if network in (container.attrs["NetworkSettings"].get("Networks") or {}):
                container.remove(force=True)
        try:
            docker_client.networks.get(network).remove()
        except docker.errors.NotFound:
            pass


def test_user_containers_and_dask_workers_reach_the_hub_and_nothing_else(
    contained_hub, lan, docker_client, unique
):
    hub, network, dask_port = contained_hub
    users_net = docker_client.networks.get(network)
    gateway_ip = users_net.attrs["IPAM"]["Config"][0]["Gateway"]
    assert bridge_interface(docker_client, network) == f"{bridge_tag(network)}-users"

    # The rule set, as the kernel holds it: link-local (the metadata address) dropped first.
    plan = make_plan(network, gateway_ip, [1])
    chains = iptables.listing(plan)
    for chain, lines in chains.items():
        drop = f"-A {chain} -d {LINK_LOCAL} -j DROP"
        assert drop in lines, lines
        assert lines.index(drop) < min(
            i for i, line in enumerate(lines) if "RETURN" in line and "ctstate" not in line
        )
        assert lines[-1] == f"-A {chain} -j DROP"

    # A port of this machine that is not the hub's, on the address containers use for it.
    host_listener = socket.socket()
    host_listener.bind((gateway_ip, 0))
    host_listener.listen(50)
    host_port = host_listener.getsockname()[1]

    names = [f"t-{unique}-a", f"t-{unique}-b", f"t-{unique}-c"]
    passwords = hub.add_people(roster(*names))
    trainee, other, guesser = (HubUser(hub.url, name) for name in names)

    # Login throttle: two wrong passwords, then even the right one is refused for a while.
    for _ in range(2):
        assert guesser.login("wrong password").status_code != 302
    assert guesser.login(passwords[guesser.name]).status_code != 302

    for user in (trainee, other):
        assert user.login(passwords[user.name]).status_code == 302
        user.start_server()
    for user in (trainee, other):
        user.wait_ready()
    other_ip = container_of(docker_client, other.name).attrs["NetworkSettings"]["Networks"][
        network
    ]["IPAddress"]

    # Named servers: one of her own. A dash-* server with no dashboard of hers behind it is
    # refused at spawn, and its record uses up her one (it does not raise the limit).
    forged = trainee.api("POST", f"/users/{trainee.name}/servers/dash-forged")
    assert forged.status_code >= 400, forged.text
    refused = trainee.api("POST", f"/users/{trainee.name}/servers/second")
    assert refused.status_code == 400 and "maximum of 1 named servers" in refused.text

    hub_port = hub.port + 2
    targets = [
        ("hub_api", gateway_ip, hub_port),
        ("dask_gateway", gateway_ip, dask_port),
        ("host_other_port", gateway_ip, host_port),
        ("lan", lan, LAN_PORT),
        ("other_users_server", other_ip, 8888),
    ]
    probe_call = f"{PROBE}\nprint(json.dumps(probe({targets!r})))"
    container = container_of(docker_client, trainee.name)
    code, output = container.exec_run(["python", "-c", probe_call])
    from_trainee = json.loads(output.decode().strip().splitlines()[-1])
    assert from_trainee["hub_api"] == "open" and from_trainee["dask_gateway"] == "open"
    closed = ("host_other_port", "lan", "other_users_server")
    assert all(from_trainee[name] != "open" for name in closed), from_trainee

    worker_targets = [t for t in targets if t[0] != "other_users_server"]
    cell = PROBE + textwrap.dedent(
        f"""
        from dask_gateway import Gateway
        gateway = Gateway()
        cluster = gateway.new_cluster()
        cluster.scale(1)
        client = cluster.get_client()
        client.wait_for_workers(1, timeout=150)
        found = {{"workers": list(client.run(probe, {worker_targets!r}).values()),
                  "scheduler": client.run_on_scheduler(probe, {worker_targets!r})}}
        cluster.shutdown()
        print(json.dumps(found))
        """
    )
    output = run_cell(hub.url, trainee.name, trainee.new_token(), cell, timeout=240)
    found = json.loads([line for line in output.splitlines() if line.startswith("{")][-1])
    (from_worker,) = found["workers"]
    for result in (from_worker, found["scheduler"]):
        assert result["dask_gateway"] == "open", result
        assert all(result[name] != "open" for name in ("host_other_port", "lan")), result

    # The same probes succeed without the rules: they test containment, not the targets.
    iptables.remove(plan)
    code, output = container.exec_run(["python", "-c", probe_call])
    uncontained = json.loads(output.decode().strip().splitlines()[-1])
    assert uncontained["host_other_port"] == "open" and uncontained["lan"] == "open"
    host_listener.close()


APPLY_TWICE = """
import json, subprocess, sys
from ungp_hub.containment import iptables
from ungp_hub.containment.rules import make_plan
def rules():
    return subprocess.run(["iptables", "-S"], capture_output=True, text=True).stdout
subprocess.run(["iptables", "-N", "DOCKER-USER"], check=True)
plan = make_plan("ungp-users", "172.30.0.1", [8002, 8005], extra_interfaces=["br-0123456789ab"])
iptables.apply(plan)
first = rules()
iptables.apply(plan)
again = rules()
moved = make_plan("ungp-users", "172.30.0.1", [8002])
iptables.apply(moved)
after_move = rules()
iptables.remove(moved)
print(json.dumps({"first": first, "again": again, "moved": after_move, "removed": rules()}))
"""


def test_rules_are_applied_idempotently_and_removed_in_a_private_network_namespace():
    """The real iptables, in a network namespace of this test only (the host's rules and
    other sessions' hubs are untouched)."""
    result = subprocess.run(
        ["unshare", "--net", sys.executable, "-c", APPLY_TWICE],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    tag = bridge_tag("ungp-users").upper()
    assert found["first"] == found["again"]  # applying twice changes nothing
    first = found["first"].splitlines()
    assert f"-A INPUT -i {bridge_tag('ungp-users')}-+ -j {tag}-IN" in first
    assert f"-A DOCKER-USER -i br-0123456789ab -j {tag}-FWD" in first
    assert f"-A {tag}-IN -d {LINK_LOCAL} -j DROP" in first
    moved = found["moved"].splitlines()
    assert not any("br-0123456789ab" in line for line in moved)  # stale jumps go
    assert not any("8005" in line for line in moved)
    assert tag not in found["removed"]
