"""Adding one managed hub service: the service, its role, users' access, the containers' URL.

The exchange, the grader, certification, dashboards and the Dask Gateway each run a service
and extend what earlier update_* functions set (services, roles, container environment); the
copying and extending is done here once, never by mutating what is already configured.
`add_hub_service` registers one of ungp-hub's own services (``ungp_hub.service.app``) in one
call: they all start the same way and read the same settings file as the hub.
"""

from __future__ import annotations

import os
import sys
from typing import Any
from urllib.parse import urlparse

from traitlets.config import Config

from ..settings import Settings

# Each service's default port: the hub's public port plus this (unless `<name>.port` is set).
PORT_OFFSETS = {"exchange": 5, "dashboards": 6, "certification": 7, "grader": 8}
# What a service may need from the hub's environment beyond the settings: the container engine.
PASSED_ENVIRONMENT = ("DOCKER_HOST", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH")

# JupyterHub's default `user` and `server` roles: users hold a service's access scope, and
# their servers' tokens (JUPYTERHUB_API_TOKEN in a container) receive it.
DEFAULT_ROLE_SCOPES = {"user": ["self"], "server": ["users:activity!user", "access:servers!server"]}
SPAWNER_SECTIONS = ("Spawner", "UngpDockerSpawner")


def configured(section: Config, key: str, empty: Any = None) -> Any:
    """A copy of what earlier update_* functions set, so we extend without mutating it."""
    if key in section:
        value = section[key]
        return dict(value) if isinstance(value, dict) else list(value)
    return [] if empty is None else empty


def with_access_scope(roles: list[dict], scope: str) -> list[dict]:
    """Roles with `scope` added to the user and server roles (defined here if nobody did)."""
    result, seen = [], set()
    for role in roles:
        if role.get("name") in DEFAULT_ROLE_SCOPES:
            seen.add(role["name"])
            scopes = list(role.get("scopes", DEFAULT_ROLE_SCOPES[role["name"]]))
            role = {**role, "scopes": scopes + ([scope] if scope not in scopes else [])}
        result.append(role)
    for name, scopes in DEFAULT_ROLE_SCOPES.items():
        if name not in seen:
            result.append({"name": name, "scopes": [*scopes, scope]})
    return result


def add_service(
    c: Config,
    service: dict,
    role: dict | None = None,
    container_env: dict[str, str] | None = None,
    spawner_sections: tuple[str, ...] = SPAWNER_SECTIONS,
) -> None:
    """Register `service`, give it `role` (name, description, scopes), let every user and
    their server reach it, and put `container_env` into the user containers' environment."""
    c.JupyterHub.services = [*configured(c.JupyterHub, "services"), service]
    roles = configured(c.JupyterHub, "load_roles")
    if role is not None:
        roles.append({**role, "services": [service["name"]]})
    access = f"access:services!service={service['name']}"
    c.JupyterHub.load_roles = with_access_scope(roles, access)
    # The class-specific trait wins over Spawner's, so extend both (demo mode uses Spawner's).
    for name in spawner_sections if container_env else ():
        section = c[name]
        section.environment = {**configured(section, "environment", {}), **container_env}


def service_port(settings: Settings, name: str) -> int:
    """The port service `name` listens on: `<name>.port`, else the hub's port + its offset."""
    public = urlparse(settings.get("hub.bind_url")).port or 8000
    return settings.get(f"{name}.port") or public + PORT_OFFSETS[name]


def service_environment(settings: Settings, environ: dict[str, str] | None = None) -> dict:
    """What a service needs to read the hub's settings: the file (UNGP_SETTINGS, empty for
    defaults only), the site's UNGP_ overrides, the absolute state folder, and the container
    engine's address. JupyterHub starts services with an almost empty environment."""
    environ = dict(os.environ if environ is None else environ)
    kept = {k: v for k, v in environ.items() if k.startswith("UNGP_") and "__" in k}
    engine = {k: environ[k] for k in PASSED_ENVIRONMENT if k in environ}
    return {
        **engine,
        **kept,
        "UNGP_SETTINGS": str(settings.source or ""),
        "UNGP_HUB__STATE_DIR": str(settings.state_dir),
    }


def add_hub_service(
    c: Config,
    settings: Settings,
    name: str,
    role: dict,
    container_variable: str,
    display: bool = False,
    path: str = "",
) -> str:
    """Register ungp-hub's service `name` (run as ``python -m ungp_hub.<name>``), with `role`
    (description, scopes), reachable by users and their servers, its URL in the containers'
    `container_variable` (+ `path`). It listens where containers reach the hub; return that."""
    host = c.JupyterHub.hub_connect_ip if "hub_connect_ip" in c.JupyterHub else "127.0.0.1"
    url = f"http://{host}:{service_port(settings, name)}"
    service = {
        "name": name,
        "url": url,
        "display": display,
        # Signing in to a service of the hub itself needs no "Authorize access" page.
        "oauth_no_confirm": True,
        "command": [sys.executable, "-m", f"ungp_hub.{name}"],
        "environment": service_environment(settings),
    }
    role = {"name": f"{name}-service", **role}
    add_service(c, service, role, {container_variable: f"{url}/services/{name}{path}"})
    return url
