"""A managed service stops at once, cleanly, on the signals JupyterHub sends (no Docker).

JupyterHub stops services with SIGINT and waits 30 s before SIGTERM; a hub started as a
background job passes SIGINT on as ignored. The exchange stands for every service (they all
wait on ungp_hub.service.stop.until_stopped).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import pytest
import requests
from ungp_hub.testing.hub import free_port_block
from ungp_hub.testing.logs import problems
from ungp_hub.testing.wait import wait_for


def ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@pytest.mark.parametrize(
    ("sig", "inherited_ignore"),
    [(signal.SIGINT, False), (signal.SIGINT, True), (signal.SIGTERM, False)],
    ids=["sigint", "sigint-ignored-by-parent", "sigterm"],
)
def test_the_exchange_stops_within_seconds_with_status_0_and_no_traceback(
    tmp_path, sig, inherited_ignore
):
    port = free_port_block(1)
    env = {
        **os.environ,
        "JUPYTERHUB_SERVICE_URL": f"http://127.0.0.1:{port}",
        "JUPYTERHUB_SERVICE_PREFIX": "/services/exchange/",
        "JUPYTERHUB_API_URL": "http://127.0.0.1:9/hub/api",
        "JUPYTERHUB_API_TOKEN": "unused",
        "UNGP_SETTINGS": "",
        "UNGP_HUB__STATE_DIR": str(tmp_path),
    }
    command = [sys.executable, "-m", "ungp_hub.exchange"]
    process = subprocess.Popen(
        command,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=ignore_sigint if inherited_ignore else None,  # noqa: PLW1509 - test only
    )
    try:
        wait_for(lambda: socket.create_connection(("127.0.0.1", port), 1), 30, "the exchange")
        requests.get(f"http://127.0.0.1:{port}/services/exchange/", timeout=5)
        started = time.monotonic()
        process.send_signal(sig)
        code = process.wait(timeout=10)
        seconds = time.monotonic() - started
    finally:
        if process.poll() is None:
            process.kill()
    stderr = process.stderr.read()
    assert code == 0, stderr
    # Python's own exit takes ~0.6 s on a loaded machine; ignoring SIGINT cost JupyterHub 30 s.
    assert seconds < 5, f"took {seconds:.2f} s"
    assert problems(stderr) == [], stderr
