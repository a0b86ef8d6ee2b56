"""The one way to be a hub service: `HubService`, a traitlets Application.

JupyterHub starts each managed service (exchange, grader, certification, dashboards) as
``python -m ungp_hub.<name>`` with the environment ``configure.hub_service`` gives it: the
service's URL, prefix and hub token (JUPYTERHUB_*), the site settings file (UNGP_SETTINGS,
found by the rule `jupyterhub_config.py` uses) and the site's UNGP_ overrides. A service
subclasses `HubService`, reads what it needs from ``self.settings`` in `make_app`, and the
runner does the rest: logging, listening, ``{prefix}health``, periodic work and a clean stop on
the signals JupyterHub sends. The answer to a `UserError` is the handlers' part
(`service.handlers.UserErrorAnswers`).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, ClassVar
from urllib.parse import urlparse

from tornado import ioloop, web
from tornado.httpserver import HTTPServer
from traitlets import Int, Unicode, default
from traitlets.config import Application

from ..settings import Settings, load_settings, site_settings_file
from .directory import HubDirectory
from .public import BoundedBody
from .stop import until_stopped

Route = tuple[str, type[web.RequestHandler], dict[str, Any]]
log = logging.getLogger("ungp_hub.service")


class HealthHandler(BoundedBody):
    """``GET {prefix}health``: 200 while the service serves; names nothing but the service.
    Anyone may ask, so it reads no request body (`BoundedBody`)."""

    def initialize(self, service: str) -> None:
        self.service = service

    def get(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.finish({"service": self.service, "status": "ok"})


def service_prefix(prefix: str) -> str:
    """``/services/x/`` from any spelling of it ('' is the root)."""
    return "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"


def tornado_app(
    name: str, prefix: str, routes: Sequence[Route], /, **settings: Any
) -> web.Application:
    """The service's routes under `prefix`, plus its health answer; `settings` are tornado's
    application settings (a service may name one `prefix` too)."""
    prefix = service_prefix(prefix)
    health: Route = ("health", HealthHandler, {"service": name})
    return web.Application(
        [(prefix + path, handler, kwargs) for path, handler, kwargs in [*routes, health]],
        **settings,
    )


class PeriodicWork:
    """Work a service repeats while it runs; a failure is logged and tried again next time."""

    def __init__(self, every: float, work: Callable[[], Awaitable[None]], what: str):
        self.every, self.work, self.what = every, work, what

    async def run_once(self) -> None:
        try:
            await self.work()
        except Exception:  # noqa: BLE001 - the next tick tries again; the log has the bug
            log.exception("%s failed", self.what)


class HubService(Application):
    """A hub-managed service. Subclasses set `name` and implement `make_app`."""

    name = Unicode("ungp-service")
    description = Unicode("A hub-managed service of ungp-hub.")
    aliases: ClassVar[dict[str, str]] = {"settings": "HubService.settings_file"}

    settings_file = Unicode(
        "",
        help="""The site settings file. Empty (the default): $UNGP_SETTINGS, else
        /etc/ungp-hub/settings.yaml, the rule jupyterhub_config.py follows, so the hub and its
        services always read the same file (JupyterHub passes UNGP_SETTINGS to each service).""",
    ).tag(config=True)

    max_body_size = Int(
        1 << 20,
        help="""Largest request body the service reads, in bytes; larger ones are answered
        413 before they are read. A service that takes uploads raises it for its own limit.""",
    ).tag(config=True)

    @default("log_format")
    def _log_format(self) -> str:
        return f"[%(levelname)1.1s %(asctime)s {self.name}] %(message)s"

    @property
    def settings(self) -> Settings:
        """The site settings, read once by the rule of `settings_file`."""
        if getattr(self, "_settings", None) is None:
            self._settings = load_settings(site_settings_file(self.settings_file or None))
        return self._settings

    @property
    def url(self) -> str:
        """Where JupyterHub expects the service (JUPYTERHUB_SERVICE_URL)."""
        return os.environ["JUPYTERHUB_SERVICE_URL"]

    @property
    def prefix(self) -> str:
        """The proxy path of the service, e.g. /services/exchange/."""
        return service_prefix(
            os.environ.get("JUPYTERHUB_SERVICE_PREFIX", f"/services/{self.name}/")
        )

    @property
    def directory(self) -> HubDirectory:
        """Who is behind a hub token, and their groups, asked of the hub with the service's
        own token (JUPYTERHUB_API_TOKEN; the scopes of its role in `configure/`)."""
        if getattr(self, "_directory", None) is None:
            from jupyterhub.services.auth import HubAuth

            self._directory = HubDirectory(HubAuth())
        return self._directory

    def make_app(self) -> web.Application:
        """The service's tornado application (`tornado_app` adds the health answer)."""
        raise NotImplementedError

    def periodic_work(self) -> list[PeriodicWork]:
        """What the service repeats while it runs (none by default)."""
        return []

    async def on_start(self) -> None:
        """Called once the service listens (e.g. resume work left from the last run)."""

    def describe(self) -> str:
        """One log line's worth of what the service serves from where."""
        return ""

    def init_logging(self) -> None:
        """Module loggers (ungp_hub.*) log to stderr with the service's name on each line."""
        logging.basicConfig(level=logging.INFO, format=self.log_format, force=True)
        self.log = logging.getLogger(f"ungp_hub.{self.name}")

    def initialize(self, argv: list[str] | None = None) -> None:
        super().initialize(argv)
        self.init_logging()

    def start(self) -> None:
        """Listen on the service URL until JupyterHub stops the service."""
        app = self.make_app()
        url = urlparse(self.url)
        server = HTTPServer(app, max_body_size=self.max_body_size)

        async def serve() -> None:
            server.listen(url.port or 80, url.hostname or "127.0.0.1")
            self.log.info("%s listening on %s %s", self.name, url.geturl(), self.describe())
            for work in self.periodic_work():
                ioloop.PeriodicCallback(work.run_once, work.every * 1000).start()
            await self.on_start()
            await until_stopped()
            server.stop()

        ioloop.IOLoop.current().run_sync(serve)
