"""Adding one managed hub service: the service, its role, users' access, the containers' URL.

The exchange, the grader, certification, dashboards and the Dask Gateway each run a service
and extend what earlier update_* functions set (services, roles, container environment); the
copying and extending is done here once, never by mutating what is already configured.
"""

from __future__ import annotations

from typing import Any

from traitlets.config import Config

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
