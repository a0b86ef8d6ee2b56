"""Shared by the deploy tests: where the Ansible tree and its tools are."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from testpolicy import REPO_ROOT, require


@pytest.fixture(scope="session")
def ansible_dir() -> Path:
    return REPO_ROOT / "ansible"


@pytest.fixture(scope="session")
def ansible_playbook() -> str:
    """ansible-playbook next to this Python (the project's venv), else on PATH."""
    beside = Path(sys.executable).parent / "ansible-playbook"
    binary = str(beside) if beside.exists() else shutil.which("ansible-playbook")
    require(binary is not None, "ansible-playbook (pip install ansible==12.3.0)")
    return binary
