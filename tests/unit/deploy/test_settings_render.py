"""group_vars' ungp_settings become the hub's settings file verbatim, over what the
deployment decides itself, and the result is valid for the hub's own settings loader."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from testpolicy import REPO_ROOT
from ungp_hub.settings import load_settings

ANSIBLE = REPO_ROOT / "ansible"
PLAY = """
- name: Render the hub's settings as the hub role does
  hosts: localhost
  gather_facts: false
  vars_files: ["{ansible}/group_vars/all.yml", "{ansible}/roles/hub/vars/main.yml"]
  tasks:
    - name: Write them
      ansible.builtin.copy:
        dest: "{out}"
        content: "{{{{ hub_settings | to_nice_yaml(sort_keys=false) }}}}"
        mode: "0644"
"""


def render(tmp_path: Path, extra: dict, binary: str) -> Path:
    out = tmp_path / "settings.yaml"
    (tmp_path / "play.yml").write_text(PLAY.format(ansible=ANSIBLE, out=out))
    local = {"ansible_python_interpreter": sys.executable}
    (tmp_path / "extra.json").write_text(json.dumps({**local, **extra}))
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
        env={**os.environ, "ANSIBLE_CONFIG": str(ANSIBLE / "ansible.cfg")},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.mark.parametrize(
    ("tls", "bind_url"),
    [("local_ca", "https://0.0.0.0:443"), ("letsencrypt", "http://127.0.0.1:8000")],
)
def test_site_settings_pass_through_and_load_in_the_hub(tmp_path, tls, bind_url, ansible_playbook):
    extra = {
        "ungp_tls": tls,
        "ungp_source": "kit",
        "ungp_server_name": "hub.example.org",
        "ungp_settings": {"hub": {"admin_users": ["ada"]}, "culler": {"timeout": 600}},
    }
    settings = load_settings(render(tmp_path, extra, ansible_playbook))
    assert settings.get("hub.bind_url") == bind_url
    assert settings.get("hub.admin_users") == ["ada"]
    assert settings.get("culler.timeout") == 600
    assert settings.get("certification.public_url") == "https://hub.example.org"
    assert settings.get("certification.tracks_file").endswith("kit/certification/tracks.yaml")
