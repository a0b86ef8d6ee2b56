"""The Ansible tree passes ansible-lint's strictest profile (production) and Ansible's own
syntax check: the tree is what regional IT teams run, so style slips are failures here."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from testpolicy import REPO_ROOT, require

ANSIBLE = REPO_ROOT / "ansible"


def tool(name: str) -> str:
    """The tool next to this Python (the project's venv), else on PATH."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    require(found is not None, f"{name} (pip install ansible==12.3.0 ansible-lint==26.10.1)")
    return found


def test_ansible_lint_production_profile_passes():
    lint = tool("ansible-lint")
    result = subprocess.run(
        [lint, "--profile", "production", "--nocolor", "."],
        cwd=ANSIBLE,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "ANSIBLE_CONFIG": str(ANSIBLE / "ansible.cfg")},
    )
    assert result.returncode == 0, f"ansible-lint failed:\n{result.stdout}\n{result.stderr}"
    assert "Profile 'production' was required, and it passed" in result.stderr + result.stdout


def test_every_playbook_passes_the_syntax_check():
    playbook = tool("ansible-playbook")
    for name in ("site.yml", "restore.yml", "backup.yml"):
        result = subprocess.run(
            [playbook, "-i", "inventory.example.yml", "--syntax-check", name],
            cwd=ANSIBLE,
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "ANSIBLE_CONFIG": str(ANSIBLE / "ansible.cfg")},
        )
        assert result.returncode == 0, f"{name}:\n{result.stdout}\n{result.stderr}"
