"""Ansible's kit mode takes a kit only from the pinned key, checked with the server's gpgv.

The real tasks (site.yml's check of the pin, the docker_engine role's verify_kit.yml) run with
ansible-playbook on this machine against a small hostile kit (tests/hostile_kit.py): they only
read the kit. The full kit-mode deployment is tests/integration/test_ansible.py.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hostile_kit import hostile_kit
from ungp_hub.usb import signing
from ungp_hub.usb.manifest import sign_kit


def play(tasks: list[dict], variables: dict, work: Path, ansible_playbook: str):
    playbook = work / "play.yml"
    playbook.write_text(
        yaml.safe_dump(
            [
                {
                    "name": "Kit checks",
                    "hosts": "localhost",
                    "connection": "local",
                    "gather_facts": False,
                    "vars": variables,
                    "tasks": tasks,
                }
            ]
        )
    )
    return subprocess.run(
        [ansible_playbook, "-i", "localhost,", "-e", f"ansible_python_interpreter={sys.executable}"]
        + [str(playbook)],
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": str(Path(ansible_playbook).parent) + ":/usr/bin:/bin", "HOME": str(work)},
    )


@pytest.fixture
def kit(tmp_path):
    key = signing.signing_key(tmp_path / "secrets")
    marker = tmp_path / "a-kit-program-ran"
    return hostile_kit(tmp_path, key, marker), signing.fingerprint(signing.public_pem(key)), marker


def test_kit_mode_needs_a_pinned_fingerprint(ansible_dir, ansible_playbook, tmp_path):
    site = yaml.safe_load((ansible_dir / "site.yml").read_text())
    (pin,) = [t for t in site[0]["pre_tasks"] if t["name"] == "Check that the kit's key is pinned"]
    for value, ok in [("", False), ("ab12", False), ("AB12 " * 8, True)]:
        variables = {"ungp_source": "kit", "ungp_kit_fingerprint": value}
        result = play([pin], variables, tmp_path, ansible_playbook)
        assert (result.returncode == 0) is ok, result.stdout
        if not ok:
            assert "set ungp_kit_fingerprint" in result.stdout


def test_the_kit_check_uses_the_servers_gpgv_and_the_pinned_key(
    ansible_dir, ansible_playbook, kit, tmp_path
):
    path, fingerprint, marker = kit
    tasks = [
        {
            "name": "Check the kit",
            "ansible.builtin.include_tasks": str(
                ansible_dir / "roles" / "docker_engine" / "tasks" / "verify_kit.yml"
            ),
        },
        {"name": "Show it", "ansible.builtin.debug": {"var": "docker_engine_kit_check.stdout"}},
    ]
    variables = {"ungp_kit_path": str(path), "ungp_kit_fingerprint": fingerprint}
    good = play(tasks, variables, tmp_path, ansible_playbook)
    assert good.returncode == 0, good.stdout
    assert f"kit verified, key {fingerprint.replace(' ', '')}" in good.stdout

    sign_kit(path, signing.signing_key(tmp_path / "attacker"))
    forged = play(tasks, variables, tmp_path, ansible_playbook)
    assert forged.returncode != 0
    assert "does not verify" in forged.stdout and "not by" in forged.stdout
    assert not marker.exists()
