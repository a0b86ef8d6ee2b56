"""ansible/site.yml in online mode, end to end, on a Debian 12 server that has a network.

No public registry is reachable here, so the session's hub and user images are put once into
a local registry (ungp_hub.testing.registry: Debian's docker-registry on a dedicated, labelled
network; layers uploaded uncompressed, as `docker push` would spend minutes gzipping them).
The server target (ungp_hub.testing.target, systemd as PID 1) boots on that network: it installs
docker.io and nftables from Debian's mirror (through NAT), pulls both images from
``<registry>:5000`` and builds the catalogue data itself. A probe container on the same
network plays "outside" for the firewall. The tests run in order and share the server.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from ansible_runs import playbook, write_inventory
from testpolicy import REPO_ROOT, require
from ungp_hub.images.base import base_image_name
from ungp_hub.images.errors import ImageBuildError
from ungp_hub.images.user import read_built_images
from ungp_hub.testing.registry import LocalRegistry, remove_labelled
from ungp_hub.testing.target import CATALOGUE_CELL as CELL
from ungp_hub.testing.target import LOGIN_AND_RUN, ROSTER, STATE, BareDebian, built_image, run
from ungp_hub.usb.hub_image import build_hub_image

pytestmark = [pytest.mark.integration, pytest.mark.slow]

CA = f"{STATE}/tls/ca.crt"
# "Outside": a LAN neighbour with python3 (connects, HTTPS) and iproute2 (a route to the
# server's internal addresses through the server, as any host on its segment can add).
PROBE_DOCKERFILE = """
FROM {base}
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \\
      --no-install-recommends python3 iproute2 iputils-ping && rm -rf /var/lib/apt/lists/*
"""
# Runs in the probe: each HOST:PORT is open, refused or dropped (no answer: a firewall).
CONNECT = """
import socket, sys
from concurrent.futures import ThreadPoolExecutor
def reach(target):
    host, port = target.rsplit(":", 1)
    try:
        socket.create_connection((host, int(port)), timeout=3).close()
        return target, "open"
    except ConnectionRefusedError:
        return target, "refused"
    except OSError:
        return target, "dropped"
with ThreadPoolExecutor(32) as pool:
    for target, state in pool.map(reach, sys.argv[1:]):
        print(target, state)
"""
# Runs in the probe: GET the hub's API by the server's name, trusting only the local CA.
HTTPS = """
import ssl, sys, urllib.request
context = ssl.create_default_context(cadata=sys.stdin.read())
print(urllib.request.urlopen(sys.argv[1], context=context, timeout=10).status)
"""
TIMES: dict[str, float] = {}


def timed(name: str, started: float) -> None:
    TIMES[name] = TIMES.get(name, 0) + time.monotonic() - started


def probe(site: dict, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    command = ["docker", "exec", *(["-i"] if stdin else []), site["probe"], *args]
    return subprocess.run(command, input=stdin, capture_output=True, text=True, timeout=120)


def hub_image(client, images_state: Path) -> str:
    """The session's hub image, as `ungp usb build` makes it. Its tag hashes the sources, not
    the wheels, so an existing image is found without asking PyPI about ~100 wheels (a minute);
    only a missing one is built, downloading what the wheelhouse lacks."""
    wheels = REPO_ROOT / "build" / "wheelhouse"
    try:
        return build_hub_image(client, REPO_ROOT, images_state, wheels, offline=True)
    except ImageBuildError:
        return build_hub_image(client, REPO_ROOT, images_state, wheels)


@pytest.fixture(scope="module")
def site(images_state, docker_client, tmp_path_factory):
    """A registry holding the session's images, a server target and a probe on one network,
    and the server's inventory for ungp_source: online."""
    require((Path(sys.executable).parent / "ansible-playbook").exists(), "ansible (pip)")
    require(shutil.which("docker") is not None, "the docker CLI")
    label = f"ungp.test=ansible-online-{uuid.uuid4().hex[:8]}"
    work = tmp_path_factory.mktemp("ansible-online")
    machine = BareDebian(work, label=label)
    machine.name = machine.name.replace("ungp-usb-target", "ungp-ansible-online")
    registry = LocalRegistry(label=label)
    try:
        started = time.monotonic()
        images = {
            "hub": hub_image(docker_client, images_state),
            "user": read_built_images(images_state)["user"],
        }
        timed("hub image", started)
        started = time.monotonic()
        registry.start()
        timed("registry up", started)
        for role, tag in images.items():
            TIMES[f"push {role}"] = registry.push(tag)
        started = time.monotonic()
        machine.boot_server(network=registry.network)
        probe_name = f"{machine.name}-probe"
        started_probe = run(
            [
                "docker",
                "run",
                "-d",
                "--name",
                probe_name,
                "--label",
                label,
                "--network",
                registry.network,
                "--cap-add",
                "NET_ADMIN",
                built_image(
                    PROBE_DOCKERFILE.format(base=base_image_name("bookworm")), "ungp/test-probe"
                ),
                "sleep",
                "infinity",
            ],
        )
        assert started_probe.returncode == 0, started_probe.stderr
        timed("boot", started)
        # The registry speaks plain HTTP, so the server's engine lists it as insecure: a real
        # site puts TLS on its registry (or installs from the kit).
        inventory = write_inventory(
            work,
            machine.name,
            ROSTER,
            ungp_source="online",
            ungp_registry=registry.address,
            ungp_images=images,
            ungp_server_name=machine.name,
            ungp_docker_daemon={"insecure-registries": [registry.address]},
        )
        yield {
            "machine": machine,
            "inventory": inventory,
            "registry": registry,
            "images": images,
            "probe": probe_name,
            "work": work,
        }
    finally:
        print("seconds: " + ", ".join(f"{k} {v:.0f}" for k, v in TIMES.items()))
        machine.remove()
        remove_labelled(label)
        shutil.rmtree(work, ignore_errors=True)


def test_online_mode_pulls_from_the_registry_and_a_trainee_logs_in_and_runs_a_cell(site):
    machine = site["machine"]
    recap = playbook("site.yml", site["inventory"], TIMES)
    assert recap["failed"] == 0 and recap["changed"] > 0

    # The hub runs the image pulled from the registry; the spawner starts the pulled user image.
    hub = machine.shell("docker inspect -f '{{.Config.Image}}' ungp-hub").stdout.strip()
    assert hub == f"{site['registry'].address}/{site['images']['hub']}"
    recorded = machine.shell(f"cat {STATE}/images.json").stdout
    assert f"{site['registry'].address}/{site['images']['user']}" in recorded
    # HTTPS from a LAN neighbour, by the server's name, trusting only the local CA.
    ca_pem = machine.shell(f"cat {CA}").stdout
    https = probe(site, "python3", "-c", HTTPS, f"https://{machine.name}/hub/api/", stdin=ca_pem)
    assert https.stdout.strip() == "200", https.stderr

    started = time.monotonic()
    cell = machine.hub_python(LOGIN_AND_RUN, CELL, "ada", ca=CA)
    timed("login+spawn+cell", started)
    assert cell.returncode == 0, f"{cell.stdout}\n{cell.stderr}"
    assert int(cell.stdout.split("entries", 1)[1].split()[0]) > 0


def test_a_second_run_changes_nothing(site):
    recap = playbook("site.yml", site["inventory"], TIMES)
    assert recap == {**recap, "changed": 0, "failed": 0}


def test_only_22_80_443_are_open_from_outside(site):
    """Every TCP port the server listens on (besides loopback) is probed from outside: only
    443 (and 22/80 where something listens) answers. Two listeners are added first: a plain
    one on 0.0.0.0:9999 and the classic Docker trap, a container port published with -p
    (Docker's DNAT sends it through the forward hook, not input)."""
    machine = site["machine"]
    started = time.monotonic()
    hub_image = f"{site['registry'].address}/{site['images']['hub']}"
    added = machine.shell(
        "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq iproute2 >/dev/null && "
        "systemd-run --unit ungp-test-listener python3 -m http.server 9999 --bind 0.0.0.0 && "
        f"docker run -d --name ungp-test-published -p 9998:8000 {hub_image} "
        "python3 -m http.server 8000 && sleep 2",
        timeout=300,
    )
    assert added.returncode == 0, added.stderr
    address = machine.shell("hostname -i").stdout.split()[0]
    listeners = set()
    for line in machine.shell("ss -ltnH").stdout.splitlines():
        host, port = line.split()[3].rsplit(":", 1)
        host = host.strip("[]").split("%")[0]
        if host.startswith("127.") or host == "::1":
            continue
        assert ":" not in host or host == "::", f"an IPv6 listener the probe cannot reach: {line}"
        listeners.add((address if host in ("0.0.0.0", "*", "::") else host, int(port)))
    assert {(address, 443), (address, 9998), (address, 9999)} <= listeners, listeners

    # Both extra listeners answer on the server itself, so only the firewall can stop them.
    inside = machine.shell(f"python3 -c {shlex.quote(CONNECT)} {address}:9999 {address}:9998")
    assert inside.stdout.split() == [f"{address}:9999", "open", f"{address}:9998", "open"]
    # The hub's internal addresses (the users' bridge gateway) are reached through the
    # server, as a neighbour on its segment could; ping shows the route works.
    for host in sorted({host for host, _ in listeners if host != address}):
        routed = probe(
            site, "sh", "-c", f"ip route replace {host}/32 via {address} && ping -c1 -W3 {host}"
        )
        assert routed.returncode == 0, routed.stdout + routed.stderr
    seen = probe(site, "python3", "-c", CONNECT, *(f"{h}:{p}" for h, p in sorted(listeners)))
    states = dict(line.split() for line in seen.stdout.splitlines())
    timed("firewall probe", started)
    assert len(states) == len(listeners), seen.stderr
    open_ports = {target for target, state in states.items() if state == "open"}
    assert open_ports == {f"{h}:{p}" for h, p in listeners if p in (22, 80, 443)}, states
    assert set(states.values()) == {"open", "dropped"}, states  # no answer at all: filtered
