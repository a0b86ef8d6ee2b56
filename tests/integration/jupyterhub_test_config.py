"""The project's jupyterhub_config.py plus one plain traitlets line, as a hub admin would add.

The label lets the tests find and remove every container they made.
"""

import os
from pathlib import Path

c = get_config()  # noqa: F821
_root_config = Path(__file__).resolve().parents[2] / "jupyterhub_config.py"
exec(compile(_root_config.read_text(), str(_root_config), "exec"))
c.UngpDockerSpawner.extra_create_kwargs = {
    "labels": {"ungp.test": os.environ.get("UNGP_TEST_SESSION", "1")}
}
# Notice stopped servers within seconds instead of the default 30 s.
c.Spawner.poll_interval = 3
# Check the services' health every 5 s instead of every minute, so test hubs' stops overlap
# health checks: JupyterHub's own cleanup raised in such a check (see ungp_hub.hub_app).
c.JupyterHub.service_check_interval = 5
