"""The offline USB kit, end to end: build it, install it into a bare Debian 12 with no network.

One kit is built per module (minutes: a 2 GB image is saved and compressed) and used by both
tests. The target is a container of the debootstrapped bookworm base image started with
`--network none` and the capability recipe of docs (plain --privileged fails on these
machines); its own Docker engine keeps its data in a host folder (overlay2 works there).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import uuid

import pytest
from testpolicy import REPO_ROOT, require
from ungp_hub.images.base import base_image_name, ensure_base_image

pytestmark = [pytest.mark.integration, pytest.mark.slow]

TARGET_CAPS = ["SYS_ADMIN", "NET_ADMIN", "SYS_PTRACE", "MKNOD", "SYS_CHROOT"]
KIT_MOUNT = "/media/kit"
ROSTER = "username,role,full_name\nada,trainee,Ada Lovelace\nbob,trainee,Bob Builder\n"
# A course cell: reads the catalogue (mounted read-only from the kit's data) in the kernel.
CELL = (
    "import intake\n"
    "cat = intake.open_catalog('/srv/data/catalog.yaml')\n"
    "print('entries', len(list(cat)))"
)
# Runs inside the hub container on the target: log in as a roster trainee, spawn, run a cell.
CHECK = """
import json, sys, requests
from ungp_hub.testing.client import HubUser, _execute
base = "https://127.0.0.1:443"
password = json.load(open("/var/lib/ungp-hub/login-slips.json"))["ada"]
ada = HubUser(base, "ada")
assert ada.login(password).status_code == 302, "login refused"
assert requests.get(base + "/hub/workshop-ca.crt").text.startswith("-----BEGIN CERTIFICATE")
ada.start_server()
ada.wait_ready(timeout=300)
token = ada.new_token()
headers = {"Authorization": f"token {token}"}
kernel = requests.post(base + "/user/ada/api/kernels", headers=headers, json={}).json()["id"]
url = f"wss://127.0.0.1:443/user/ada/api/kernels/{kernel}/channels"
print(_execute(url, token, sys.argv[1], 120))
"""


def run(command: list[str], timeout: float = 600, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, **kwargs)


@pytest.fixture(scope="module")
def kit(images_state, docker_client, tmp_path_factory) -> dict:
    require(shutil.which("zstd") is not None, "zstd (apt-get install zstd)")
    require(shutil.which("debootstrap") is not None, "debootstrap (apt-get install debootstrap)")
    ensure_base_image(docker_client, "bookworm")
    out = tmp_path_factory.mktemp("usb") / "kit"
    started = time.monotonic()
    result = run(
        [sys.executable, "-m", "ungp_hub.cli.main", "usb", "build", str(out), "--settings",
         str(images_state / "settings.yaml"), "--no-progress", "--data-scale", "small",
         "--wheelhouse", str(REPO_ROOT / "build" / "wheelhouse")],
        timeout=1800,
    )  # fmt: skip
    assert result.returncode == 0, f"ungp usb build failed:\n{result.stdout}\n{result.stderr}"
    yield {"path": out, "seconds": time.monotonic() - started, "report": result.stdout}
    shutil.rmtree(out, ignore_errors=True)


def test_a_flipped_byte_in_an_image_archive_is_refused_before_anything_is_installed(
    kit, tmp_path, docker_client
):
    copy = tmp_path / "kit"
    # Hard links for every file but the one we damage (the 2 GB image is not copied).
    subprocess.run(["cp", "-al", str(kit["path"]), str(copy)], check=True)
    (victim,) = (copy / "images").glob("ungp_hub_*.tar.zst")
    data = victim.read_bytes()
    victim.unlink()
    victim.write_bytes(data[:5000] + bytes([data[5000] ^ 0x01]) + data[5001:])
    started = time.monotonic()
    result = run(
        ["docker", "run", "--rm", "--network", "none", "--label", "ungp.test=usb",
         "-v", f"{copy}:{KIT_MOUNT}:ro", base_image_name("bookworm"), "bash", "-c",
         f"{KIT_MOUNT}/install; code=$?; ls /var/lib/ungp-hub 2>&1; command -v dockerd; "
         "exit $code"],
    )  # fmt: skip
    seconds = time.monotonic() - started
    assert result.returncode != 0
    assert f"images/{victim.name}: FAILED" in result.stderr
    assert "Nothing was installed" in result.stderr
    assert "No such file or directory" in result.stdout  # no state dir was made
    assert "dockerd" not in result.stdout  # no package was installed
    print(f"tampered kit refused in {seconds:.1f} s")


@pytest.fixture(scope="module")
def target(kit, docker_client, tmp_path_factory):
    """A bare Debian 12 with no network, the kit mounted read-only, and a roster."""
    work = tmp_path_factory.mktemp("usb-target")
    (work / "roster.csv").write_text(ROSTER)
    (work / "docker").mkdir()
    name = f"ungp-usb-target-{uuid.uuid4().hex[:8]}"
    caps = [arg for cap in TARGET_CAPS for arg in ("--cap-add", cap)]
    result = run(
        ["docker", "run", "-d", "--name", name, "--hostname", "workshop", "--network", "none",
         "--label", "ungp.test=usb", *caps,
         "--security-opt", "apparmor=unconfined", "--security-opt", "seccomp=unconfined",
         "-v", "/sys/fs/cgroup:/sys/fs/cgroup:rw", "-v", f"{work / 'docker'}:/var/lib/docker",
         "-v", f"{kit['path']}:{KIT_MOUNT}:ro", "-v", f"{work / 'roster.csv'}:/root/roster.csv:ro",
         base_image_name("bookworm"), "sleep", "infinity"],
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    yield {"name": name, "cgroup": f"/{name}"}
    # Inner containers and the inner engine first, then the target, then its engine's files.
    stop = "docker rm -f $(docker ps -aq) >/dev/null 2>&1; kill $(cat /var/run/docker.pid); sleep 3"
    run(["docker", "exec", name, "sh", "-c", stop], timeout=120)
    if result.returncode == 0:
        logs = run(["docker", "exec", name, "sh", "-c",
                    "tail -30 /var/lib/ungp-hub/logs/dockerd.log"]).stdout  # fmt: skip
        sys.stderr.write(logs)
    run(["docker", "rm", "-f", name])
    shutil.rmtree(work, ignore_errors=True)


def install(target: dict) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    result = run(
        ["docker", "exec", "-e", f"UNGP_DOCKERD_ARGS=--cgroup-parent={target['cgroup']}",
         target["name"], f"{KIT_MOUNT}/install", "--roster", "/root/roster.csv",
         "--hub-url", "https://127.0.0.1:443"],
        timeout=1200,
    )  # fmt: skip
    return result, time.monotonic() - started


def in_target(target: dict, command: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return run(["docker", "exec", target["name"], "bash", "-c", command], timeout=timeout)


def test_the_kit_installs_offline_and_a_trainee_runs_a_cell(kit, target):
    result, install_seconds = install(target)
    assert result.returncode == 0, f"install failed:\n{result.stdout}\n{result.stderr}"
    assert "kit verified" in result.stderr
    assert "login slips to print: /var/lib/ungp-hub/login-slips.pdf" in result.stdout
    slips = in_target(target, "head -c 5 /var/lib/ungp-hub/login-slips.pdf")
    assert slips.stdout == "%PDF-"

    started = time.monotonic()
    checked = in_target(
        target,
        "docker exec -e REQUESTS_CA_BUNDLE=/var/lib/ungp-hub/tls/workshop-ca.crt "
        "-e WEBSOCKET_CLIENT_CA_BUNDLE=/var/lib/ungp-hub/tls/workshop-ca.crt "
        f"ungp-hub python -c '{CHECK}' \"{CELL}\"",
    )
    login_seconds = time.monotonic() - started
    assert checked.returncode == 0, f"{checked.stdout}\n{checked.stderr}"
    entries = int(checked.stdout.split("entries", 1)[1].split()[0])
    assert entries > 0

    # Running it again changes nothing: same steps, same hub container, same accounts.
    before = in_target(target, "cat /var/lib/ungp-hub/usb-install.steps; docker ps -q --no-trunc")
    again, _ = install(target)
    assert again.returncode == 0, f"{again.stdout}\n{again.stderr}"
    after = in_target(target, "cat /var/lib/ungp-hub/usb-install.steps; docker ps -q --no-trunc")
    assert after.stdout == before.stdout
    assert "importing the roster" not in again.stderr
    sizes = json.dumps(kit["report"].splitlines()[:7])
    print(
        f"kit build {kit['seconds']:.0f} s; install {install_seconds:.0f} s; "
        f"login+spawn+cell {login_seconds:.0f} s; sizes {sizes}"
    )
