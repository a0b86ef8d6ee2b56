"""The nbgrader exchange service and what user containers need to reach it.

The service listens on the address containers already use for the hub's API (the user
network's gateway, ``hub_connect_ip``), because inside a container the proxy's 127.0.0.1 is
not reachable; the proxy also routes /services/exchange/ to it for the host. See
docs/decisions/exchange.md.
"""

from __future__ import annotations

import sys
from urllib.parse import urlparse

from traitlets.config import Config

from ..settings import Settings
from ..state import StateDir

EXCHANGE_SERVICE = "exchange"
ACCESS_SCOPE = f"access:services!service={EXCHANGE_SERVICE}"
# JupyterHub's default `user` role and `server` role (the scopes of JUPYTERHUB_API_TOKEN in a
# container): both get access to the exchange, so the user's own server can call it.
DEFAULT_SCOPES = {"user": ["self"], "server": ["users:activity!user", "access:servers!server"]}


def exchange_port(settings: Settings) -> int:
    return (
        settings.get("exchange.port") or (urlparse(settings.get("hub.bind_url")).port or 8000) + 5
    )


def update_exchange(c: Config, settings: Settings) -> None:
    exchange = settings.get("exchange")
    if not exchange["enabled"]:
        return
    state = StateDir(settings.state_dir)
    host = c.JupyterHub.hub_connect_ip if "hub_connect_ip" in c.JupyterHub else "127.0.0.1"
    url = f"http://{host}:{exchange_port(settings)}"
    service = {
        "name": EXCHANGE_SERVICE,
        "url": url,
        "display": False,
        "command": [
            sys.executable,
            "-m",
            "ungp_hub.exchange",
            "--storage",
            str(state.path / "exchange"),
            "--max-submission-mb",
            str(exchange["max_submission_mb"]),
            "--max-release-mb",
            str(exchange["max_release_mb"]),
            "--courses-root",
            str(state.path / "courses"),
            "--gradebook-url",
            settings.get("courses.gradebook_url"),
        ],  # fmt: skip
        "oauth_no_confirm": True,
    }
    c.JupyterHub.services = [*_existing(c.JupyterHub, "services"), service]
    roles = [dict(role) for role in _existing(c.JupyterHub, "load_roles")]
    roles.append(
        {
            "name": "exchange-service",
            "description": (
                "The exchange reads who is in which course group (and a course's trainees "
                "for its progress page)."
            ),
            "scopes": ["read:users:name", "read:users:groups", "read:groups"],
            "services": [EXCHANGE_SERVICE],
        }
    )
    c.JupyterHub.load_roles = _with_access_scope(roles)
    # The class-specific trait wins over Spawner's, so extend both (demo mode uses Spawner's).
    for section in (c.Spawner, c.UngpDockerSpawner):
        section.environment = {
            **dict(_existing(section, "environment", {})),
            "UNGP_EXCHANGE_URL": f"{url}/services/{EXCHANGE_SERVICE}",
        }
    courses = settings.get("courses")
    c.UngpDockerSpawner.course_settings = {
        "host_root": str(state.path / "courses"),
        "mount": courses["mount"],
        "gradebook_url": courses["gradebook_url"],
        "late_penalty_per_hour": courses["late_penalty_per_hour"],
    }


def _existing(section: Config, name: str, empty=()):  # noqa: ANN001, ANN202
    return section[name] if name in section else empty


def _with_access_scope(roles: list[dict]) -> list[dict]:
    named = {role["name"]: role for role in roles}
    for name, scopes in DEFAULT_SCOPES.items():
        role = named.get(name)
        if role is None:
            roles.append({"name": name, "scopes": [*scopes, ACCESS_SCOPE]})
        elif ACCESS_SCOPE not in role.get("scopes", scopes):
            role["scopes"] = [*role.get("scopes", scopes), ACCESS_SCOPE]
    return roles
