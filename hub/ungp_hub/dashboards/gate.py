"""What a dashboard server runs: hub OAuth in front of a private Voila, forwarding only Voila.

Started by the hub (DashboardSpawner) as the container's command, in place of
jupyterhub-singleuser: there is no Jupyter server in the container, so there is no contents,
terminal or kernel-management API to reach. Voila listens on 127.0.0.1 only; the gate checks
the viewer with the hub (the ``access:servers!server=owner/dash-x`` scope a share grants),
forwards the routes in ``policy`` and, on the kernel websocket, only widget messages.

Runs inside the user image (Python 3.13): standard library, tornado and jupyterhub only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import socket
import subprocess
import sys
import time
from urllib.parse import urlparse

from jupyterhub.services.auth import HubOAuth, HubOAuthenticated
from jupyterhub.utils import url_path_join
from tornado import httpclient, web, websocket

from . import SERVICE_NAME
from .assets import MERMAID_MODULE, TEMPLATES_ROOT
from .hub_auth import OAuthCallback, SettingsHubAuth
from .policy import http_allowed, message_allowed, websocket_allowed

log = logging.getLogger("ungp_hub.dashboards.gate")

FORWARDED_RESPONSE_HEADERS = ("Content-Type", "Cache-Control", "ETag", "Last-Modified")
REFUSAL = "Not available on a dashboard: only the dashboard itself is served here."
VOILA_TEMPLATE = "ungp"


class Forward(SettingsHubAuth, HubOAuthenticated, web.RequestHandler):
    def initialize(self, upstream: str, prefix: str) -> None:
        self.upstream, self.prefix = upstream, prefix

    def check_xsrf_cookie(self) -> None:
        """Voila itself checks what it needs; the gate adds no forms of its own."""

    def _relative(self) -> str:
        return (
            self.request.path[len(self.prefix) :]
            if self.request.path.startswith(self.prefix)
            else "\0"
        )

    async def _forward(self) -> None:
        relative = self._relative()
        if not http_allowed(self.request.method, relative):
            log.warning(
                "refused %s %s for %s",
                self.request.method,
                self.request.path,
                self.current_user.get("name"),
            )
            raise web.HTTPError(403, REFUSAL)
        headers = {
            k: v for k, v in self.request.headers.get_all() if k.lower() not in ("host", "cookie")
        }
        request = httpclient.HTTPRequest(
            self.upstream + self.request.uri,
            method=self.request.method,
            headers=headers,
            body=self.request.body if self.request.method == "POST" else None,
            allow_nonstandard_methods=True,
            follow_redirects=False,
            request_timeout=600,
        )
        response = await httpclient.AsyncHTTPClient().fetch(request, raise_error=False)
        if response.code == 599:
            raise web.HTTPError(502, "the dashboard's Voila does not answer")
        self.set_status(response.code, response.reason)
        for name in FORWARDED_RESPONSE_HEADERS:
            if name in response.headers:
                self.set_header(name, response.headers[name])
        if response.body:
            self.write(response.body)

    # Not logged in: to the hub's login and back; logged in without access: 403 (the hub's).
    @web.authenticated
    async def get(self, _path: str = "") -> None:
        await self._forward()

    @web.authenticated
    async def post(self, _path: str = "") -> None:
        await self._forward()

    async def put(self, _path: str = "") -> None:
        raise web.HTTPError(403, REFUSAL)

    async def delete(self, _path: str = "") -> None:
        raise web.HTTPError(403, REFUSAL)

    async def patch(self, _path: str = "") -> None:
        raise web.HTTPError(403, REFUSAL)


class KernelChannels(SettingsHubAuth, HubOAuthenticated, websocket.WebSocketHandler):
    """The widgets' channel to the kernel: comm messages pass, code execution does not."""

    def initialize(self, upstream: str, prefix: str) -> None:
        self.upstream, self.prefix = upstream, prefix
        self.upstream_conn: websocket.WebSocketClientConnection | None = None

    async def get(self, *args, **kwargs) -> None:
        relative = self.request.path[len(self.prefix) :]
        if self.current_user is None or not websocket_allowed(relative):
            raise web.HTTPError(403, REFUSAL)
        await super().get(*args, **kwargs)

    def select_subprotocol(self, subprotocols: list[str]) -> str | None:
        return None  # the legacy JSON framing, which the gate can read

    def check_origin(self, origin: str) -> bool:
        host = urlparse(origin).netloc
        return host == self.request.headers.get("Host") or host == os.environ.get(
            "JUPYTERHUB_PUBLIC_HOST", "\0"
        )

    async def open(self, *args, **kwargs) -> None:
        url = "ws" + self.upstream[len("http") :] + self.request.uri
        self.upstream_conn = await websocket.websocket_connect(
            url, on_message_callback=self._from_kernel
        )

    def _from_kernel(self, message: str | bytes | None) -> None:
        if message is None:
            self.close()
            return
        try:
            self.write_message(message, binary=isinstance(message, bytes))
        except websocket.WebSocketClosedError:
            pass

    async def on_message(self, message: str | bytes) -> None:
        if not message_allowed(message):
            log.warning(
                "dropped a kernel message that is not a widget message from %s",
                self.current_user.get("name"),
            )
            return
        if self.upstream_conn is not None:
            await self.upstream_conn.write_message(message, binary=isinstance(message, bytes))

    def on_close(self) -> None:
        if self.upstream_conn is not None:
            self.upstream_conn.close()


def voila_command(notebook: str, port: int, prefix: str, hub_base_url: str = "/") -> list[str]:
    """Voila for one notebook, behind this gate. Diagrams load Mermaid from the hub's dashboards
    service (same origin; see assets.py), never from a CDN."""
    mermaid = url_path_join(hub_base_url, "services", SERVICE_NAME, "assets", MERMAID_MODULE)
    return [
        sys.executable,
        "-m",
        "voila",
        notebook,
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        f"--Voila.base_url={prefix}",
        "--Voila.token=",
        "--VoilaConfiguration.show_tracebacks=False",
        "--VoilaConfiguration.enable_nbextensions=False",
        "--VoilaConfiguration.file_allowlist=^$",
        "--VoilaConfiguration.file_denylist=.*",
        f"--VoilaConfiguration.template={VOILA_TEMPLATE}",
        "--VoilaConfiguration.resources=" + json.dumps({"ungp_mermaid_url": mermaid}),
    ]


def voila_environment(environ: dict[str, str]) -> dict[str, str]:
    """The kernel inherits this: no hub token or OAuth secrets reach the notebook's code.

    JUPYTER_PATH gains this package's `jupyter/` folder, where Voila finds the `ungp`
    template (Voila's lab page without CDN requests).
    """
    kept = {k: v for k, v in environ.items() if not k.startswith("JUPYTERHUB_")}
    paths = [str(TEMPLATES_ROOT), *filter(None, kept.get("JUPYTER_PATH", "").split(os.pathsep))]
    return {**kept, "JUPYTER_PATH": os.pathsep.join(paths)}


def wait_for_port(port: int, timeout: float, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"Voila exited with code {process.returncode} before it started")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"Voila did not listen on port {port} within {timeout:.0f} s")


def make_app(upstream: str, prefix: str) -> web.Application:
    hub_auth = HubOAuth.instance(cache_max_age=60)
    route = {"upstream": upstream, "prefix": prefix}
    return web.Application(
        [
            (url_path_join(prefix, "oauth_callback"), OAuthCallback),
            (url_path_join(prefix, r"api/kernels/[^/]+/channels"), KernelChannels, route),
            (url_path_join(prefix, "(.*)"), Forward, route),
            (r"(.*)", Forward, route),
        ],
        hub_auth=hub_auth,
        cookie_secret=os.urandom(32),
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="ungp-hub dashboard gate (runs Voila)")
    parser.add_argument("--notebook", default="/srv/dashboard/dashboard.ipynb")
    parser.add_argument("--voila-port", type=int, default=8899)
    parser.add_argument("--start-timeout", type=float, default=90)
    args, _ignored = parser.parse_known_args(argv)  # the spawner appends singleuser flags
    logging.basicConfig(
        level=logging.INFO, format="[%(levelname)1.1s %(asctime)s gate] %(message)s"
    )
    service_url = urlparse(os.environ["JUPYTERHUB_SERVICE_URL"])
    prefix = os.environ["JUPYTERHUB_SERVICE_PREFIX"]
    voila = subprocess.Popen(
        voila_command(
            args.notebook, args.voila_port, prefix, os.environ.get("JUPYTERHUB_BASE_URL", "/")
        ),
        env=voila_environment(dict(os.environ)),
        cwd=os.path.dirname(args.notebook),
    )
    try:
        # Listen only once Voila answers: the hub counts the server as started when we do.
        wait_for_port(args.voila_port, args.start_timeout, voila)
        asyncio.run(_serve(voila, f"http://127.0.0.1:{args.voila_port}", prefix, service_url))
    finally:
        voila.terminate()


async def _serve(voila: subprocess.Popen, upstream: str, prefix: str, service_url) -> None:  # noqa: ANN001
    app = make_app(upstream, prefix)
    app.listen(service_url.port or 8888, service_url.hostname or "0.0.0.0")
    log.info("dashboard gate on %s, Voila at %s", service_url.geturl(), upstream)
    while voila.poll() is None:
        await asyncio.sleep(2)
    log.error("Voila exited with code %s; stopping the dashboard server", voila.returncode)
    raise SystemExit(1)


if __name__ == "__main__":
    main()
