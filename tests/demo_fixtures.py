"""The hub `make up` starts, for the tests that follow a newcomer (docs and browser journey).

`ungp hub run --settings <settings/demo.yaml with its state in a temporary folder, on free
ports>` prepares the same demo as `make up` (catalogue, course, lessons, dashboard, exam,
certificate). Only what a test run needs differs: the state folder, the ports, the test
network and the label that lets the tests remove the containers (the project's test
JupyterHub configuration, which execs jupyterhub_config.py and adds that line). One hub per
test session: the demo takes a minute and a half to prepare.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
import yaml
from integration_fixtures import TEST_CONFIG, TEST_NETWORK
from testpolicy import REPO_ROOT
from ungp_hub.testing.hub import free_port_block
from ungp_hub.testing.wait import CannotHappen, wait_for

READY = "Stop it with Ctrl-C."


@dataclass
class DemoHub:
    url: str
    state: Path
    settings_file: Path
    process: subprocess.Popen
    output: Path

    @property
    def passwords(self) -> dict[str, str]:
        return json.loads((self.state / "secrets" / "demo-accounts.json").read_text())

    def log(self) -> str:
        return self.output.read_text(errors="replace")

    def set_up_lines(self) -> list[str]:
        """The timed steps `ungp hub run` printed for the demo."""
        text = self.log()
        block = text.split("Demo set up in:", 1)[1].split("ungp-hub is running", 1)[0]
        return [line.strip() for line in block.strip().splitlines() if line.strip()]

    def wait_for_url(self, url: str, timeout: float) -> None:
        wait_for(lambda: requests.get(url, timeout=5).status_code == 200, timeout, url)

    def demo_certificate(self) -> dict:
        from ungp_hub.certification.registry import Registry

        (held,) = Registry(self.state / "certification" / "registry.sqlite").credentials(
            "trainee2", None, "foundation"
        )
        return held.summary()


def _demo_settings(state: Path, port: int) -> Path:
    settings = yaml.safe_load((REPO_ROOT / "settings" / "demo.yaml").read_text())
    settings["hub"].update(bind_url=f"http://127.0.0.1:{port}", state_dir=str(state))
    settings.setdefault("docker", {}).update(TEST_NETWORK)
    path = state / "settings.yaml"
    path.write_text(yaml.safe_dump(settings, sort_keys=False))
    return path


@pytest.fixture(scope="session")
def demo_hub(images_state, docker_client, tmp_path_factory):
    """The demo hub of `make up`, ready (its set-up printed), for the whole session."""
    state = tmp_path_factory.mktemp("demo") / "state"
    state.mkdir()
    (state / "images.json").write_text((images_state / "images.json").read_text())
    port = free_port_block()
    settings = _demo_settings(state, port)
    output = state.parent / "ungp-hub-run.log"
    command = [sys.executable, "-m", "ungp_hub.cli.main", "hub", "run", "--settings",
               str(settings), "--config", str(TEST_CONFIG)]  # fmt: skip
    started = time.monotonic()
    with open(output, "wb") as sink:
        process = subprocess.Popen(
            command, cwd=REPO_ROOT, stdout=sink, stderr=subprocess.STDOUT, env=dict(os.environ)
        )
    hub = DemoHub(f"http://127.0.0.1:{port}", state, settings, process, output)

    def ready() -> bool:
        if process.poll() is not None:
            raise CannotHappen(f"ungp hub run stopped:\n{hub.log()[-4000:]}")
        return READY in hub.log()

    try:
        wait_for(ready, 600, f"the demo hub on port {port} (output: {output})")
    except BaseException:
        _stop(process)
        raise
    sys.stderr.write(
        f"\ndemo hub ready in {time.monotonic() - started:.0f} s:\n  "
        + "\n  ".join(hub.set_up_lines())
        + "\n"
    )
    yield hub
    _stop(process)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
