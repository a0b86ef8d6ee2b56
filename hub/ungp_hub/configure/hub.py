"""Where the hub listens, where it keeps state, which database it uses."""

from __future__ import annotations

from urllib.parse import urlparse

import requests
from traitlets.config import Config

from ..settings import Settings
from ..spawner.named_servers import NamedServerLimit
from ..state import StateDir


def internal_ports(bind_url: str) -> tuple[int, int]:
    """Proxy API and hub API ports: the public port + 1 and + 2 (so test hubs can coexist)."""
    port = urlparse(bind_url).port or 8000
    return port + 1, port + 2


def hub_is_routed(settings: Settings) -> bool:
    """Whether the proxy routes the hub yet (JupyterHub adds the route once its services run).
    Asks the proxy's API: each request to the public URL before then makes the proxy log an
    error ("404 GET /hub/api/"), 40 of them in a `make up` start."""
    proxy_port, _ = internal_ports(settings.get("hub.bind_url"))
    token = StateDir(settings.state_dir).secret("proxy-auth-token")
    try:
        routes = requests.get(
            f"http://127.0.0.1:{proxy_port}/api/routes",
            headers={"Authorization": f"token {token}"},
            timeout=2,
        )
    except requests.ConnectionError:
        return False
    return routes.ok and "/" in routes.json()


def update_hub(c: Config, settings: Settings) -> None:
    state = StateDir(settings.state_dir)
    state.ensure()
    proxy_port, hub_port = internal_ports(settings.get("hub.bind_url"))
    c.JupyterHub.bind_url = settings.get("hub.bind_url")
    c.JupyterHub.hub_port = hub_port
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{proxy_port}"
    c.ConfigurableHTTPProxy.pid_file = str(state.path / "proxy.pid")
    c.ConfigurableHTTPProxy.auth_token = state.secret("proxy-auth-token")
    if state.proxy_command():
        c.ConfigurableHTTPProxy.command = state.proxy_command()
    c.JupyterHub.db_url = settings.get("hub.database_url") or f"sqlite:///{state.database}"
    c.JupyterHub.cookie_secret_file = str(state.path / "secrets" / "jupyterhub_cookie_secret")
    c.JupyterHub.pid_file = str(state.path / "jupyterhub.pid")
    c.JupyterHub.log_level = settings.get("hub.log_level")
    # Restarting or upgrading the hub must not stop anybody's running server.
    c.JupyterHub.cleanup_servers = False
    dashboards = str(state.path / "dashboards") if settings.get("dashboards.enabled") else ""
    c.JupyterHub.named_server_limit_per_user = NamedServerLimit(
        settings.get("hub.named_server_limit"), dashboards
    )
    c.JupyterHub.load_groups = {
        "trainees": {"users": []},
        "analysts": {"users": []},
    }
