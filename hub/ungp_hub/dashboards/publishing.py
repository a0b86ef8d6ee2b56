"""Publishing, refreshing and withdrawing dashboards: the rules, apart from HTTP and Docker.

The caller's name always comes from the hub (the service checks the token); groups and the
admin flag are read from the hub here, never taken from the request.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from .errors import DashboardError, NoSuchDashboard, NotAllowed, PublishRefused
from .registry import Audience, Dashboard, Registry, Run, check_slug, now, slugify
from .runner import RunResult
from .schedule import is_due

log = logging.getLogger("ungp_hub.dashboards")

# (notebook, parameters, render_html, owner's groups) -> result; runs in a container
RunNotebook = Callable[[bytes, dict[str, Any], bool, list[str]], Awaitable[RunResult]]


@dataclass
class Publication:
    owner: str
    source: bytes
    title: str
    audience: Audience
    description: str = ""
    slug: str = ""
    parameters: dict[str, Any] | None = None


def check_notebook(source: bytes) -> None:
    try:
        notebook = json.loads(source)
    except ValueError:
        notebook = None
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        raise DashboardError("this is not a Jupyter notebook (.ipynb): nothing was published")


class Publisher:
    def __init__(self, registry: Registry, hub, run: RunNotebook, publisher_groups: list[str]):  # noqa: ANN001
        self.registry, self.hub, self.run = registry, hub, run
        self.publisher_groups = list(publisher_groups)
        self._runs = asyncio.Lock()  # one notebook run at a time: hub hosts are small

    async def _person(self, name: str) -> tuple[list[str], bool]:
        return await self.hub.person(name)

    async def publish(self, request: Publication) -> Dashboard:
        groups, admin = await self._person(request.owner)
        if not admin and not set(groups) & set(self.publisher_groups):
            raise NotAllowed(
                "only members of " + ", ".join(self.publisher_groups) + " may publish "
                "dashboards; ask a hub admin to add you to the group"
            )
        check_notebook(request.source)
        slug = check_slug(request.slug or slugify(request.title))
        if not request.title.strip():
            raise DashboardError("give the dashboard a title (--title)")
        existing = self.registry.get(slug) if self.registry.exists(slug) else None
        if existing and existing.owner != request.owner:
            raise DashboardError(
                f"the name {slug!r} is taken by another analyst's dashboard; choose another "
                "with --slug"
            )
        if request.audience.kind == "group" and not await self.hub.group_exists(
            request.audience.group
        ):
            raise DashboardError(
                f"there is no group {request.audience.group!r} on this hub; use an existing "
                "group, --to all or --to public"
            )
        parameters = dict(request.parameters or {})
        public = request.audience.kind == "public"
        async with self._runs:
            result = await self.run(request.source, parameters, public, groups)
        if not result.ok:
            if existing:
                existing.last_run = self._record(slug, "publish", parameters, result).to_json()
                self.registry.save(existing)
            raise PublishRefused(
                f"the notebook failed, so the dashboard was not published"
                f"{' (the last good one stays online)' if existing else ''}:\n{result.error}"
            )
        self.registry.install(slug, request.source, result.output, result.html)
        dashboard = Dashboard(
            slug=slug,
            owner=request.owner,
            title=request.title.strip(),
            audience=request.audience,
            description=request.description.strip(),
            published=existing.published if existing else now(),
            parameters=parameters,
            schedule=existing.schedule if existing else None,
        )
        dashboard.last_run = self._record(slug, "publish", parameters, result).to_json()
        self.registry.save(dashboard)
        await self._open(dashboard, existing.audience if existing else None)
        log.info("%s published %s to %s", request.owner, slug, dashboard.audience.describe())
        return dashboard

    def _record(self, slug: str, trigger: str, parameters: dict, result: RunResult) -> Run:
        run = self.registry.new_run(slug, trigger, parameters)
        run.status = "succeeded" if result.ok else "failed"
        run.duration_s = round(result.duration_s, 1)
        run.error = result.error
        self.registry.save_run(run, result.output)
        return run

    async def _open(self, dashboard: Dashboard, previous: Audience | None) -> None:
        """Start the named server (sharing needs it to exist) and share it with the audience."""
        await self.hub.start(dashboard.owner, dashboard.server_name)
        if previous is not None and previous != dashboard.audience:
            await self.hub.revoke_shares(dashboard.owner, dashboard.server_name)
        await self.sync_access(dashboard)

    async def sync_access(self, dashboard: Dashboard) -> None:
        """Shares of the dashboard server = its audience, now.

        A group audience is shared with the group (JupyterHub's model) and also with each
        member: JupyterHub 6.1 leaves group shares out of OAuth tokens' scopes, so without
        the per-user shares the dashboard server would refuse the members the hub let in.
        Called at publish time and every minute (people join and leave groups).
        """
        owner, server = dashboard.owner, dashboard.server_name
        if dashboard.audience.kind == "group":
            await self.hub.share_with_group(owner, server, dashboard.audience.group)
            wanted = set(await self.hub.members(dashboard.audience.group))
        else:
            wanted = set(await self.hub.user_names())
        wanted.discard(owner)
        present = await self.hub.user_shares(owner, server)
        for name in sorted(wanted - present):
            await self.hub.share_with_user(owner, server, name)
        for name in sorted(present - wanted):
            await self.hub.revoke_user(owner, server, name)

    async def sync_all(self) -> None:
        for dashboard in self.registry.all():
            await self.sync_access(dashboard)

    async def unpublish(self, caller: str, slug: str) -> None:
        dashboard = await self._owned(caller, slug)
        # Access goes first, so nobody opens it while the server stops.
        await self.hub.revoke_shares(dashboard.owner, dashboard.server_name)
        await self.hub.remove_server(dashboard.owner, dashboard.server_name)
        self.registry.remove(slug)
        log.info("%s unpublished %s", caller, slug)

    async def set_schedule(self, caller: str, slug: str, schedule: dict | None) -> Dashboard:
        dashboard = await self._owned(caller, slug)
        dashboard.schedule = schedule
        self.registry.save(dashboard)
        return dashboard

    async def refresh(self, slug: str, trigger: str = "schedule") -> Run:
        """Run the published notebook again; only a good run replaces the live snapshot."""
        dashboard = self.registry.get(slug)
        parameters = {**dashboard.parameters, **((dashboard.schedule or {}).get("parameters", {}))}
        groups, _admin = await self._person(dashboard.owner)
        source = self.registry.source(slug)
        async with self._runs:
            result = await self.run(source, parameters, dashboard.audience.kind == "public", groups)
        run = self._record(slug, trigger, parameters, result)
        dashboard = self.registry.get(slug)  # it may have changed while the notebook ran
        if result.ok:
            self.registry.install(slug, source, result.output, result.html)
            dashboard.updated = now()
        else:
            log.warning(
                "scheduled run of %s failed; the last good snapshot stays: %s",
                slug,
                result.error.splitlines()[0] if result.error else "",
            )
        dashboard.last_run = run.to_json()
        self.registry.save(dashboard)
        return run

    async def due_refreshes(self) -> list[Run]:
        runs = []
        for dashboard in self.registry.all():
            schedule = dashboard.schedule
            if not schedule or not is_due(schedule, schedule.get("last_start")):
                continue
            schedule["last_start"] = now()
            self.registry.save(dashboard)
            runs.append(await self.refresh(dashboard.slug))
        return runs

    async def _owned(self, caller: str, slug: str) -> Dashboard:
        dashboard = self.registry.get(slug)
        _groups, admin = await self._person(caller)
        if dashboard.owner != caller and not admin:
            raise NotAllowed("only the dashboard's owner (or a hub admin) may change it")
        return dashboard

    async def visible(self, caller: str) -> list[Dashboard]:
        groups, admin = await self._person(caller)
        return [d for d in self.registry.all() if d.can_view(caller, groups, admin)]

    async def viewable(self, caller: str, slug: str) -> Dashboard:
        """The dashboard if the caller is in its audience; the same refusal if it is missing."""
        groups, admin = await self._person(caller)
        try:
            check_slug(slug)
            dashboard = self.registry.get(slug)
        except DashboardError:
            raise NotAllowed() from None
        if not dashboard.can_view(caller, groups, admin):
            raise NotAllowed()
        return dashboard

    async def open_url(self, dashboard: Dashboard, base_url: str) -> str | None:
        """The server's URL when it is ready; else start it and return None (show 'starting')."""
        server = await self.hub.server(dashboard.owner, dashboard.server_name)
        if server and server.get("ready"):
            return server.get("url") or f"{base_url}user/{dashboard.owner}/{dashboard.server_name}/"
        if not server or not server.get("pending"):
            await self.hub.start(dashboard.owner, dashboard.server_name)
        return None

    def public_page(self, slug: str) -> bytes:
        try:
            dashboard = self.registry.get(check_slug(slug))
        except DashboardError:
            raise NoSuchDashboard("no such public dashboard") from None
        page = self.registry.public_page(slug)
        if dashboard.audience.kind != "public" or page is None:
            raise NoSuchDashboard("no such public dashboard")
        return page
