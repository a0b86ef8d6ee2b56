"""Hub-managed services: the idle culler and the admin command line's API access."""

from __future__ import annotations

import sys

from traitlets.config import Config

from ..settings import Settings
from ..state import StateDir

ADMIN_CLI_SERVICE = "ungp-cli"


def update_services(c: Config, settings: Settings) -> None:
    state = StateDir(settings.state_dir)
    services = [
        # The `ungp` command talks to the hub's REST API with this service's token.
        {"name": ADMIN_CLI_SERVICE, "api_token": state.secret("cli-api-token")},
    ]
    roles = [
        # The command line is the admins' tool (it creates admin accounts from rosters).
        {"name": "admin", "services": [ADMIN_CLI_SERVICE]}
    ]
    culler = settings.get("culler")
    if culler["enabled"]:
        services.append(
            {
                "name": "idle-culler",
                "command": [
                    sys.executable,
                    "-m",
                    "jupyterhub_idle_culler",
                    f"--timeout={culler['timeout']}",
                    f"--cull-every={culler['every']}",
                ],
            }
        )
        roles.append(
            {
                "name": "idle-culler",
                "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
                "services": ["idle-culler"],
            }
        )
    c.JupyterHub.services = services
    c.JupyterHub.load_roles = roles
