"""The hub's application class: JupyterHub's log format and name, a faster cleanup."""

from __future__ import annotations

import subprocess
import sys

LOG_ONE_LINE = """
from ungp_hub.hub_app import UngpHub
UngpHub().log.critical("Received signal SIGTERM, initiating shutdown...")
"""


def test_the_hub_logs_as_jupyterhub_with_its_format():
    # In a process of its own, as the hub runs: dask_gateway_server, which other unit tests
    # import, changes every traitlets Application's log format when imported.
    result = subprocess.run(
        [sys.executable, "-c", LOG_ONE_LINE], capture_output=True, text=True, timeout=60
    )
    assert result.stderr.startswith("[C "), result.stderr
    assert " JupyterHub " in result.stderr
    assert result.stderr.rstrip().endswith("initiating shutdown...")
