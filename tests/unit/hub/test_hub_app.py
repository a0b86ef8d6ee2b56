"""The hub's application class: JupyterHub's log format and name, a faster cleanup."""

from __future__ import annotations

from ungp_hub.hub_app import UngpHub


def test_the_hub_logs_as_jupyterhub_with_its_format(capfd):
    app = UngpHub()
    app.log.critical("Received signal SIGTERM, initiating shutdown...")
    err = capfd.readouterr().err
    assert err.startswith("[C "), err
    assert " JupyterHub " in err and err.rstrip().endswith("initiating shutdown...")
    UngpHub.clear_instance()
