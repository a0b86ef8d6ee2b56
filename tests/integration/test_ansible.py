"""ansible/site.yml in kit mode, end to end, on a Debian 12 server with its network cut.

One target for everything (CI time): a container of the bookworm base image plus what a
Debian 12 server installed with "standard system utilities" has and a debootstrap minbase
lacks (systemd as PID 1, python3 with requests, openssl, nftables: ungp_hub.testing.target
.server_image), started with `--network none` and the kit (the session's `kit` fixture, shared
with test_usb_kit.py) mounted read-only. Ansible reaches it with the community.docker.docker
connection. The tests run in order and share the deployed server.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from ansible_runs import playbook, run_playbook, write_inventory
from testpolicy import require
from ungp_hub.testing.target import CATALOGUE_CELL as CELL
from ungp_hub.testing.target import KIT_MOUNT, LOGIN_AND_RUN, ROSTER, STATE, BareDebian, run

pytestmark = [pytest.mark.integration, pytest.mark.slow]

CA = f"{STATE}/tls/ca.crt"
# Runs in the hub container: the hub's users, or deletes one (through the hub's REST API).
USERS = """
import sys
from ungp_hub.accounts.hub_api import HubAPI
from ungp_hub.settings import load_settings
api = HubAPI.from_settings(load_settings("/etc/ungp-hub/settings.yaml"))
if len(sys.argv) > 1:
    api.request("DELETE", "/users/" + sys.argv[1]).raise_for_status()
print(" ".join(sorted(api.user_names())))
"""
VOLUME_FILE = '$(docker volume inspect -f "{{.Mountpoint}}" ungp-home-ada)/analysis.parquet'
STATE_FILE = f"{STATE}/exchange/course-a/submitted/bob/assignment1/answers.ipynb"
TIMES: dict[str, float] = {}


def hub_python(server: BareDebian, code: str, *args: str) -> subprocess.CompletedProcess:
    return server.hub_python(code, *args, ca=CA)


# The host's cgroup v1 folder before the server booted: systemd in the target once wrote
# controller folders into it, and the host's engine then stopped reporting OOM kills.
HOST_CGROUPS: list[str] = []


def host_cgroup_folder() -> list[str]:
    """What the target must not change: the whole cgroup v1 tmpfs; under cgroup v2 only the
    root's files (its sub-folders are cgroups that engines make and remove as they run)."""
    root = Path("/sys/fs/cgroup")
    v2 = (root / "cgroup.controllers").exists()
    return sorted(p.name for p in root.iterdir() if not (v2 and p.is_dir() and not p.is_symlink()))


@pytest.fixture(scope="module")
def server(kit, tmp_path_factory):
    """The server target booted with systemd, no network, the kit at KIT_MOUNT; its inventory."""
    require((Path(sys.executable).parent / "ansible-playbook").exists(), "ansible (pip)")
    require(shutil.which("docker") is not None, "the docker CLI")
    work = tmp_path_factory.mktemp("ansible-target")
    machine = BareDebian(work, label="ungp.test=ansible")
    machine.name = machine.name.replace("ungp-usb-target", "ungp-ansible-target")
    HOST_CGROUPS.extend(host_cgroup_folder())
    started = time.monotonic()
    machine.boot_server(kit["path"])
    TIMES["boot"] = time.monotonic() - started
    inventory = write_inventory(
        work,
        machine.name,
        ROSTER,
        ungp_source="kit",
        ungp_kit_path=KIT_MOUNT,
        ungp_kit_fingerprint=kit["fingerprint"],
        ungp_server_name="127.0.0.1",
    )
    yield machine, inventory
    print("seconds: " + ", ".join(f"{k} {v:.0f}" for k, v in TIMES.items()))
    machine.remove()
    shutil.rmtree(work, ignore_errors=True)


def test_a_kit_signed_by_another_key_is_refused_before_anything_is_installed(server):
    machine, inventory = server
    assert machine.shell("ls /sys/class/net").stdout.split() == ["lo"]  # no network at all
    result = run_playbook(
        "site.yml", inventory, "-e", "ungp_kit_fingerprint=" + "ab12" * 8, times=TIMES
    )
    assert result.returncode != 0
    said = " ".join(result.stdout.split())  # the YAML callback folds long messages
    assert "does not verify" in said and "not by ab12ab12" in said, said[-3000:]
    assert machine.shell("command -v dockerd").returncode != 0  # no package was installed


def test_kit_mode_without_the_organisers_fingerprint_installs_nothing(server):
    machine, inventory = server
    result = run_playbook("site.yml", inventory, "-e", "ungp_kit_fingerprint=", times=TIMES)
    assert result.returncode != 0
    assert "set ungp_kit_fingerprint" in " ".join(result.stdout.split()), result.stdout[-3000:]
    assert "Check that the kit's key is pinned" in result.stdout
    assert machine.shell("command -v dockerd").returncode != 0  # no package was installed


def test_kit_mode_deploys_offline_and_a_trainee_logs_in_and_runs_a_cell(server):
    machine, inventory = server
    recap = playbook("site.yml", inventory, TIMES)
    assert recap["failed"] == 0 and recap["changed"] > 0

    https = machine.shell(
        'python3 -c "import ssl, urllib.request; ctx = ssl.create_default_context('
        f"cafile='{CA}'); print(urllib.request.urlopen('https://127.0.0.1/hub/api/', "
        'context=ctx).status)"'
    )
    assert https.stdout.strip() == "200", https.stderr
    started = time.monotonic()
    cell = hub_python(machine, LOGIN_AND_RUN, CELL, "ada")
    TIMES["login+spawn+cell"] = time.monotonic() - started
    assert cell.returncode == 0, f"{cell.stdout}\n{cell.stderr}"
    assert int(cell.stdout.split("entries", 1)[1].split()[0]) > 0

    units = machine.shell("systemctl is-enabled docker ungp-firewall ungp-backup.timer")
    assert units.stdout.split() == ["enabled"] * 3
    policy = machine.shell("docker inspect -f '{{.HostConfig.RestartPolicy.Name}}' ungp-hub")
    assert policy.stdout.strip() == "unless-stopped"
    tables = machine.shell("nft list tables").stdout
    assert "inet ungp_firewall" in tables and "ip nat" in tables  # Docker's rules kept


def test_a_second_run_changes_nothing(server):
    _, inventory = server
    recap = playbook("site.yml", inventory, TIMES)
    assert recap == {**recap, "changed": 0, "failed": 0}


def test_restore_brings_back_a_deleted_user_and_their_files_byte_identical(server):
    machine, inventory = server
    made = machine.shell(
        f"head -c 300000 /dev/urandom > {VOLUME_FILE} && mkdir -p $(dirname {STATE_FILE}) && "
        f"head -c 20000 /dev/urandom > {STATE_FILE} && sha256sum {VOLUME_FILE} {STATE_FILE}"
    )
    assert made.returncode == 0, made.stderr
    before = made.stdout.split()[::2]
    took = machine.shell("systemctl start ungp-backup.service && ungp-backup list")
    assert took.returncode == 0 and len(took.stdout.split()) == 1, took.stderr

    # Losses: a user, a submission in the state dir, a trainee's whole home volume.
    assert hub_python(machine, USERS, "bob").stdout.split() == ["ada"]
    lost = machine.shell(
        f"rm {STATE_FILE} && ids=$(docker ps -aq --filter name=ungp-ada--) && "
        '{ [ -z "$ids" ] || docker rm -f $ids; } && docker volume rm ungp-home-ada'
    )
    assert lost.returncode == 0, lost.stderr

    recap = playbook("restore.yml", inventory, TIMES)
    assert recap["failed"] == 0
    after = machine.shell(f"sha256sum {VOLUME_FILE} {STATE_FILE}")
    assert after.stdout.split()[::2] == before, after.stderr
    assert hub_python(machine, USERS).stdout.split() == ["ada", "bob"]


def test_the_hub_comes_back_after_a_reboot(server):
    machine, _ = server
    started = time.monotonic()
    assert run(["docker", "restart", "--time", "60", machine.name]).returncode == 0
    answered = machine.shell(
        'for i in $(seq 180); do python3 -c "import ssl, urllib.request; '
        f"ctx = ssl.create_default_context(cafile='{CA}'); "
        "urllib.request.urlopen('https://127.0.0.1/hub/api/', context=ctx)\" 2>/dev/null "
        "&& exit 0; sleep 1; done; exit 1",
        timeout=300,
    )
    TIMES["reboot to hub"] = time.monotonic() - started
    assert answered.returncode == 0, machine.shell("docker ps -a; systemctl --failed").stdout


def test_the_server_left_the_host_cgroup_folder_alone(server):
    assert HOST_CGROUPS and host_cgroup_folder() == HOST_CGROUPS
