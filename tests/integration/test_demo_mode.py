"""Without a Docker engine, a demo hub runs servers as local processes and says so."""

from __future__ import annotations

from testpolicy import REPO_ROOT
from ungp_hub.state import StateDir
from ungp_hub.testing.client import HubUser, run_cell
from ungp_hub.testing.hub import RunningHub, free_port_block, write_settings
from ungp_hub.testing.wait import wait_for


def test_demo_mode_runs_local_servers_and_marks_every_page(tmp_path):
    state = tmp_path / "state"
    StateDir(state).ensure()
    port = free_port_block()
    settings = write_settings(state, port, {"hub": {"demo": True, "spawner": "local"}})
    hub = RunningHub(state, settings, REPO_ROOT / "jupyterhub_config.py", port).start()
    user = HubUser(hub.url, "demo-trainee")
    try:
        passwords = hub.add_people("username,role\ndemo-trainee,trainee\n")
        assert user.login(passwords["demo-trainee"]).status_code == 302
        home = user.session.get(f"{hub.url}/hub/home", timeout=30).text
        assert "Demo mode: servers run as local processes" in home
        assert "ungp-demo-mode" in home
        user.start_server()
        user.wait_ready(timeout=180)
        out = run_cell(hub.url, user.name, user.new_token(), "import os; print(os.getppid())")
        assert int(out.split()[0]) > 1, "a local process, not a container's init"
        assert "DemoLocalSpawner" in hub.log()
    finally:
        user.stop_server()
        wait_for(lambda: not user.server_model(), 60, "the demo server to stop")
        hub.stop()
