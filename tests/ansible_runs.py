"""Running the playbooks against a server target, for the kit-mode and online Ansible tests."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import yaml
from testpolicy import REPO_ROOT

ANSIBLE = REPO_ROOT / "ansible"
RECAP = re.compile(
    r"^(\S+)\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.M
)


def run_playbook(
    name: str, inventory: Path, *extra: str, times: dict[str, float]
) -> subprocess.CompletedProcess:
    """Run a playbook (its time added to `times`) and print its slowest tasks."""
    started = time.monotonic()
    result = subprocess.run(
        [str(Path(sys.executable).parent / "ansible-playbook"), "-i", str(inventory), *extra, name],
        cwd=ANSIBLE,
        capture_output=True,
        text=True,
        timeout=2400,
        env={
            **os.environ,
            "ANSIBLE_CONFIG": str(ANSIBLE / "ansible.cfg"),
            "ANSIBLE_CALLBACKS_ENABLED": "ansible.posix.profile_tasks",
        },
    )
    times[name] = times.get(name, 0) + time.monotonic() - started
    slowest = result.stdout.split("TASKS RECAP", 1)[-1].splitlines()[3:7]  # task: seconds
    print(f"\n{name}, slowest tasks:\n" + "\n".join(slowest))
    return result


def playbook(name: str, inventory: Path, times: dict[str, float]) -> dict:
    """Run a playbook that must succeed; return the PLAY RECAP of the one host."""
    result = run_playbook(name, inventory, times=times)
    recap = RECAP.findall(result.stdout)
    assert result.returncode == 0 and len(recap) == 1, f"{name}:\n{result.stdout[-6000:]}"
    _, ok, changed, unreachable, failed = recap[0]
    return {"ok": int(ok), "changed": int(changed), "failed": int(failed)}


def write_inventory(work: Path, host: str, roster: str, **host_vars) -> Path:
    """An inventory of one server target reached through Docker, with a local CA and the
    roster; its inner engine's cgroups kept apart from the host's (cgroup-parent)."""
    (work / "roster.csv").write_text(roster)
    daemon = {
        "log-driver": "local",
        "cgroup-parent": f"/{host}",
        **host_vars.pop("ungp_docker_daemon", {}),
    }
    variables = {
        "ansible_connection": "community.docker.docker",
        "ansible_python_interpreter": "/usr/bin/python3",
        "ansible_become": False,
        "ungp_tls": "local_ca",
        "ungp_local_ca_dir": str(work / "local-ca"),
        "ungp_roster": str(work / "roster.csv"),
        "ungp_docker_daemon": daemon,
        **host_vars,
    }
    inventory = work / "inventory.yml"
    inventory.write_text(yaml.safe_dump({"hubs": {"hosts": {host: variables}}}))
    return inventory
