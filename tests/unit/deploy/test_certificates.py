"""The tls_proxy role's certificates, made for real on this machine (no server needed): the
hub's certificate chains to the local CA (or is self-signed), names the server and loopback,
and a second run changes nothing (a new certificate each run would restart the hub)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography import x509
from testpolicy import REPO_ROOT, require

ANSIBLE = REPO_ROOT / "ansible"

PLAY = """
- name: Make the certificates as site.yml does
  hosts: localhost
  gather_facts: false
  vars_files: ["{ansible}/group_vars/all.yml"]
  roles: [tls_proxy]
"""


def run_role(tmp_path: Path, tls: str, binary: str) -> int:
    """Run the role against this machine; return the number of changed tasks."""
    require(os.geteuid() == 0, "root (the role makes root-owned files)")
    (tmp_path / "play.yml").write_text(PLAY.format(ansible=ANSIBLE))
    extra = {
        "ansible_python_interpreter": sys.executable,
        "ungp_tls": tls,
        "ungp_source": "online",
        "ungp_server_name": "hub.example.org",
        "ungp_state_dir": str(tmp_path / "state"),
        "ungp_local_ca_dir": str(tmp_path / "ca"),
    }
    (tmp_path / "extra.json").write_text(json.dumps(extra))
    result = subprocess.run(
        [
            binary,
            "-i",
            "localhost,",
            "-c",
            "local",
            "-e",
            f"@{tmp_path / 'extra.json'}",
            str(tmp_path / "play.yml"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ANSIBLE,
        env={
            **os.environ,
            "ANSIBLE_CONFIG": str(ANSIBLE / "ansible.cfg"),
            "ANSIBLE_ROLES_PATH": str(ANSIBLE / "roles"),
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return int(re.search(r"changed=(\d+)", result.stdout).group(1))


# local_ca is made (and re-run with changed=0) by tests/integration/test_ansible.py.
@pytest.mark.parametrize("tls", ["self_signed"])
def test_the_hub_certificate_is_valid_for_the_server_and_made_once(tmp_path, tls, ansible_playbook):
    assert run_role(tmp_path, tls, ansible_playbook) > 0
    tls_dir = tmp_path / "state" / "tls"
    chain = x509.load_pem_x509_certificates((tls_dir / "hub.crt").read_bytes())
    ca = x509.load_pem_x509_certificate((tls_dir / "ca.crt").read_bytes())
    leaf = chain[0]
    names = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "hub.example.org" in names.get_values_for_type(x509.DNSName)
    assert [str(ip) for ip in names.get_values_for_type(x509.IPAddress)] == ["127.0.0.1"]
    leaf.verify_directly_issued_by(ca)  # raises if the CA did not sign it
    assert (leaf == ca) == (tls == "self_signed")
    assert oct((tls_dir / "hub.key").stat().st_mode & 0o777) == "0o600"
    before = (tls_dir / "hub.crt").read_bytes()

    assert run_role(tmp_path, tls, ansible_playbook) == 0
    assert (tls_dir / "hub.crt").read_bytes() == before
