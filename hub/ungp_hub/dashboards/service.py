"""The dashboards service: the list page, the stable URL of each dashboard, the public pages
and the JSON API the `ungp dashboards` command uses. A hub-managed service (hub OAuth).

    {prefix}                       list of the dashboards the viewer may open
    {prefix}d/<slug>               stable URL: checks the audience, starts the server, redirects
    {prefix}public/<slug>          static render of a public dashboard, no login, no kernel
    {prefix}api/dashboards[/<slug>[/schedule|/runs|/refresh]]   token API
"""

from __future__ import annotations

import base64
import json
import logging
import os
from importlib import resources
from pathlib import Path
from typing import Any

from jupyterhub.services.auth import HubOAuth, HubOAuthenticated
from jupyterhub.utils import url_path_join
from tornado import web

from ..service.app import HubService, PeriodicWork, Route, service_prefix, tornado_app
from ..service.handlers import UserErrorAnswers
from ..service.page_policy import SERVICE_PAGES
from ..service.public import BoundedBody
from . import SERVICE_NAME
from .errors import DashboardError, NotAllowed
from .hub_auth import OAuthCallback, SettingsHubAuth
from .publishing import Publication, Publisher
from .registry import Audience
from .schedule import describe, make_schedule

log = logging.getLogger("ungp_hub.dashboards")

# A public page is the analyst's HTML: give it an opaque origin so its scripts cannot read
# or act with the viewer's hub cookies.
PUBLIC_CSP = "sandbox allow-scripts; frame-ancestors 'none'"


class Base(SettingsHubAuth, HubOAuthenticated, UserErrorAnswers):
    service = "the dashboards service"

    @property
    def publisher(self) -> Publisher:
        return self.settings["publisher"]

    @property
    def prefix(self) -> str:
        return self.settings["prefix"]

    @property
    def name(self) -> str:
        return self.current_user["name"]

    def render(self, template_name: str, **kwargs: Any) -> Any:
        """A template page: no script may run in it (ungp_hub.service.page_policy)."""
        self.set_header("Content-Security-Policy", SERVICE_PAGES)
        return super().render(template_name, **kwargs)

    def check_xsrf_cookie(self) -> None:
        """State changes need a token header (see Api.prepare), so cookies alone do nothing."""

    def get_template_namespace(self) -> dict[str, Any]:
        namespace = super().get_template_namespace()
        namespace.update(prefix=self.prefix, hub_home=self.settings["hub_home"], describe=describe)
        return namespace

    def answer(self, status: int, message: str) -> None:
        """A page that says why (the API answers JSON: `Api.answer`)."""
        self.render("refused.html", status=status, message=message)


class ListPage(Base):
    @web.authenticated
    async def get(self) -> None:
        dashboards = await self.publisher.visible(self.name)
        self.render("list.html", dashboards=dashboards, user=self.name)


class OpenDashboard(Base):
    @web.authenticated
    async def get(self, slug: str) -> None:
        dashboard = await self.publisher.viewable(self.name, slug)
        url = await self.publisher.open_url(dashboard, self.settings["base_url"])
        if url:
            self.redirect(url)
        else:
            self.render("starting.html")


class PublicPage(BoundedBody):
    """No login: serves only the static render kept in the registry (no server, no kernel)."""

    def get(self, slug: str) -> None:
        try:
            page = self.settings["publisher"].public_page(slug)
        except DashboardError:
            raise web.HTTPError(404) from None
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Content-Security-Policy", PUBLIC_CSP)
        self.set_header("X-Content-Type-Options", "nosniff")
        self.write(page)


class AssetFiles(BoundedBody, web.StaticFileHandler):
    """The public pages' scripts (see assets.py). A public page has an opaque origin (the
    sandbox CSP), so its fonts are cross-origin requests: allow any origin, as a CDN does."""

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Access-Control-Allow-Origin", "*")
        self.set_header("X-Content-Type-Options", "nosniff")

    def get_content_type(self) -> str:
        # ES modules (Mermaid) load only as JavaScript under nosniff; Python < 3.12 has no .mjs
        if self.absolute_path and self.absolute_path.endswith(".mjs"):
            return "text/javascript; charset=utf-8"
        return super().get_content_type()


class Api(Base):
    def get_login_url(self) -> str:
        raise web.HTTPError(403, "a hub token with access to the dashboards service is required")

    def prepare(self) -> None:
        if self.request.method != "GET" and not self.request.headers.get("Authorization"):
            raise web.HTTPError(403, "send a hub token in the Authorization header")
        if self.current_user is None:
            self.get_login_url()  # raises 403

    def answer(self, status: int, message: str) -> None:
        self.finish({"reason": message})

    def body(self) -> dict[str, Any]:
        try:
            return json.loads(self.request.body or b"{}")
        except ValueError:
            raise DashboardError("the request body is not JSON") from None


def summary(dashboard, prefix: str) -> dict[str, Any]:  # noqa: ANN001
    data = dashboard.to_json()
    data["url"] = f"{prefix}d/{dashboard.slug}"
    data["audience"] = dashboard.audience.describe()
    if dashboard.audience.kind == "public":
        data["public_url"] = f"{prefix}public/{dashboard.slug}"
    return data


class ApiDashboards(Api):
    async def get(self) -> None:
        visible = await self.publisher.visible(self.name)
        self.finish({"dashboards": [summary(d, self.prefix) for d in visible]})

    async def post(self) -> None:
        body = self.body()
        try:
            source = base64.b64decode(body.get("notebook", ""), validate=True)
        except ValueError:
            raise DashboardError("the notebook must be base64 in 'notebook'") from None
        dashboard = await self.publisher.publish(
            Publication(
                owner=self.name,
                source=source,
                title=str(body.get("title", "")),
                audience=Audience.parse(str(body.get("to", ""))),
                description=str(body.get("description", "")),
                slug=str(body.get("slug", "")),
                parameters=dict(body.get("parameters") or {}),
            )
        )
        self.finish(summary(dashboard, self.prefix))


class ApiDashboard(Api):
    async def get(self, slug: str) -> None:
        self.finish(summary(await self.publisher.viewable(self.name, slug), self.prefix))

    async def delete(self, slug: str) -> None:
        await self.publisher.unpublish(self.name, slug)
        self.finish({"unpublished": slug})


class ApiSchedule(Api):
    async def put(self, slug: str) -> None:
        body = self.body()
        every = body.get("every")
        schedule = make_schedule(
            int(every) if every is not None else None,
            body.get("cron") or None,
            dict(body.get("parameters") or {}),
        )
        dashboard = await self.publisher.set_schedule(self.name, slug, schedule)
        self.finish(summary(dashboard, self.prefix))

    async def delete(self, slug: str) -> None:
        dashboard = await self.publisher.set_schedule(self.name, slug, None)
        self.finish(summary(dashboard, self.prefix))


class ApiRuns(Api):
    async def _owned(self, slug: str):  # noqa: ANN202
        dashboard = await self.publisher.viewable(self.name, slug)
        _groups, admin = await self.publisher.hub.person(self.name)
        if dashboard.owner != self.name and not admin:
            raise NotAllowed("only the dashboard's owner sees its runs")
        return dashboard

    async def get(self, slug: str, run_id: str = "") -> None:
        await self._owned(slug)
        if run_id:
            output = self.publisher.registry.run_output(slug, run_id)
            if output is None:
                raise web.HTTPError(404, "no output kept for this run")
            self.set_header("Content-Type", "application/x-ipynb+json")
            self.finish(output)
            return
        runs = self.publisher.registry.runs(slug)
        self.finish({"runs": [run.to_json() for run in runs]})

    async def post(self, slug: str, run_id: str = "") -> None:
        """Run now (the same as a scheduled run): keeps the last good snapshot on failure."""
        await self._owned(slug)
        run = await self.publisher.refresh(slug, trigger="manual")
        self.finish(run.to_json())


def make_app(
    publisher: Publisher, prefix: str, base_url: str, assets: dict[str, Path] | None = None
) -> web.Application:
    """`assets`: name -> folder served at {prefix}assets/<name>/ (assets.asset_roots)."""
    slug = r"([a-z0-9-]{1,40})"
    served: list[Route] = [
        (f"assets/{name}/(.*)", AssetFiles, {"path": str(folder)})
        for name, folder in (assets or {}).items()
    ]
    routes: list[tuple[str, type[web.RequestHandler]]] = [
        ("", ListPage),
        ("oauth_callback", OAuthCallback),
        (f"d/{slug}/?", OpenDashboard),
        (f"public/{slug}/?", PublicPage),
        ("api/dashboards", ApiDashboards),
        (f"api/dashboards/{slug}", ApiDashboard),
        (f"api/dashboards/{slug}/schedule", ApiSchedule),
        (f"api/dashboards/{slug}/runs", ApiRuns),
        (f"api/dashboards/{slug}/runs/([0-9T]+-[0-9a-f]+)/output", ApiRuns),
    ]
    return tornado_app(
        SERVICE_NAME,
        prefix,
        [*served, *((path, handler, {}) for path, handler in routes)],
        hub_auth=HubOAuth.instance(cache_max_age=60),
        cookie_secret=os.urandom(32),  # a restart only means viewers pass the hub's OAuth again
        publisher=publisher,
        prefix=service_prefix(prefix),
        base_url=base_url,
        hub_home=url_path_join(base_url, "hub/home"),
        template_path=str(resources.files("ungp_hub.dashboards").joinpath("templates")),
    )


class DashboardsService(HubService):
    """The dashboards service, as JupyterHub runs it: notebooks run in containers of the
    analyst profile's image, with the owner's data mounts; schedules checked periodically."""

    name = SERVICE_NAME
    max_body_size = 64 * 1024**2  # a notebook with its outputs

    def make_app(self) -> web.Application:
        from .assets import asset_roots, exporter_options
        from .hub_client import HubClient
        from .registry import Registry
        from .runner import container_runner
        from .site import run_config

        config = run_config(self.settings)
        self.registry = Registry(config["root"])
        hub = HubClient(os.environ["JUPYTERHUB_API_URL"], os.environ["JUPYTERHUB_API_TOKEN"])
        render = exporter_options(url_path_join(self.prefix, "assets/"))
        self.publisher = Publisher(
            self.registry, hub, container_runner(config, render), config["publisher_groups"]
        )
        self.check_every = float(config["check_every"])
        node_modules = config["node_modules"]
        assets = asset_roots(Path(node_modules) if node_modules else None)
        log.info("public pages' scripts served from %s", assets)
        base_url = os.environ.get("JUPYTERHUB_BASE_URL", "/")
        return make_app(self.publisher, self.prefix, base_url, assets)

    def periodic_work(self) -> list[PeriodicWork]:
        return [
            PeriodicWork(self.check_every, self.publisher.due_refreshes, "checking schedules"),
            PeriodicWork(60, self.publisher.sync_all, "bringing the dashboards' shares up to date"),
        ]

    def describe(self) -> str:
        return f"(dashboards in {self.registry.root})"
