"""The certification service as JupyterHub runs it (its own process, loopback only) while an
anonymous upload is costly to verify: its pages and `health` still answer within a second,
and the upload is stopped at the time limit (issue 18)."""

from __future__ import annotations

import os
import subprocess
import threading
import time

import requests
import yaml
from traitlets.config import Config
from ungp_hub.configure import apply_settings
from ungp_hub.settings import load_settings
from ungp_hub.testing.hub import free_port_block
from ungp_hub.testing.wait import wait_for

from .test_public_limits import poison_credential

TIME_LIMIT = 4


def certification_service(tmp_path) -> dict:
    """The service's entry in the hub's configuration, made from a site file."""
    path = tmp_path / "settings.yaml"
    site = {
        "hub": {"state_dir": str(tmp_path / "state"), "bind_url": "http://127.0.0.1:8800"},
        "certification": {"public_url": "https://hub.example.org"},
    }
    path.write_text(yaml.safe_dump(site))
    c = Config()
    apply_settings(c, load_settings(path, environ={}))
    return next(s for s in c.JupyterHub.services if s["name"] == "certification")


def test_a_costly_upload_does_not_stop_the_service_process(tmp_path):
    service = certification_service(tmp_path)
    port = free_port_block(1)
    base = f"http://127.0.0.1:{port}/services/certification/"
    env = {
        "PATH": os.environ["PATH"],
        # the code under test, when it is not the installed checkout's
        **{k: v for k, v in os.environ.items() if k == "PYTHONPATH"},
        **service["environment"],
        "JUPYTERHUB_SERVICE_NAME": "certification",
        "JUPYTERHUB_SERVICE_URL": f"http://127.0.0.1:{port}",
        "JUPYTERHUB_SERVICE_PREFIX": "/services/certification/",
        "JUPYTERHUB_API_URL": "http://127.0.0.1:9/hub/api",
        "JUPYTERHUB_API_TOKEN": "unused",
    }
    command = [
        *service["command"],
        f"--CertificationService.verify_time_limit={TIME_LIMIT}",
    ]
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    try:

        def up() -> requests.Response:
            assert process.poll() is None, process.stderr.read()
            return requests.get(f"{base}health", timeout=2)

        wait_for(up, 60, "the certification service")
        method = requests.get(f"{base}issuer", timeout=10).json()["assertionMethod"][0]
        answers: dict = {}

        def upload() -> None:
            started = time.monotonic()
            answer = requests.post(
                f"{base}verify/", data={"text": poison_credential(method)}, timeout=60
            )
            answers["poison"] = (answer, time.monotonic() - started)

        worker = threading.Thread(target=upload)
        worker.start()
        time.sleep(0.5)
        for _ in range(3):
            for path in ("health", "verify/", "status/1"):
                started = time.monotonic()
                assert requests.get(base + path, timeout=10).status_code == 200, path
                assert time.monotonic() - started < 1, path
        worker.join(60)
        answer, took = answers["poison"]
        assert answer.status_code == 422 and f"took more than {TIME_LIMIT} seconds" in answer.text
        assert took < TIME_LIMIT + 10
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
