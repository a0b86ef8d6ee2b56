"""Start the dashboards service (JupyterHub runs this as a managed service)."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from jupyterhub.utils import url_path_join
from tornado import ioloop

from ..service.stop import until_stopped
from ..spawner.data_mounts import data_volumes
from .assets import asset_roots, exporter_options
from .errors import EngineUnavailable
from .hub_client import HubClient
from .publishing import Publisher
from .registry import Registry
from .runner import RunLimits, RunResult, run_notebook
from .service import make_app

log = logging.getLogger("ungp_hub.dashboards")


def container_runner(config: dict[str, Any], render_options: list[str] | None = None):  # noqa: ANN201
    """Run notebooks in containers of the user image, with the owner's data mounts.

    `render_options`: nbconvert flags for public pages (assets.exporter_options).
    """

    def run_sync(source: bytes, parameters: dict, html: bool, groups: list[str]) -> RunResult:
        from ..engine import docker_client_or_none

        client = docker_client_or_none(timeout=60)  # a busy engine is slow, not gone
        if client is None:
            raise EngineUnavailable()
        volumes = {}
        if config.get("data_host_path"):
            volumes = data_volumes(
                config["data_host_path"],
                config["data_mount"],
                groups,
                config.get("restricted_groups", {}),
                config.get("data_view_path") or None,
            )
        limits = RunLimits(
            image=config["image"],
            cpu=float(config["cpu"]),
            memory_bytes=int(config["memory_bytes"]),
            pids=int(config["pids"]),
            timeout=float(config["run_timeout"]),
            volumes=volumes,
            labels=dict(config.get("labels", {})),
            render_options=list(render_options or []),
        )
        return run_notebook(client, limits, source, parameters, html)

    async def run(source: bytes, parameters: dict, html: bool, groups: list[str]) -> RunResult:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, run_sync, source, parameters, html, groups)

    return run


async def check_schedules(publisher: Publisher) -> None:
    try:
        await publisher.due_refreshes()
    except Exception:  # noqa: BLE001 - a bug must not stop the next check; it is logged
        log.exception("checking the dashboards' schedules failed")


async def sync_access(publisher: Publisher) -> None:
    try:
        await publisher.sync_all()
    except Exception:  # noqa: BLE001 - retried at the next tick; logged
        log.exception("could not bring the dashboards' shares up to date")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="ungp-hub dashboards service")
    parser.add_argument("--config", required=True, help="service.json written at hub start")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="[%(levelname)1.1s %(asctime)s dashboards] %(message)s"
    )
    config = json.loads(Path(args.config).read_text())
    registry = Registry(config["root"])
    hub = HubClient(os.environ["JUPYTERHUB_API_URL"], os.environ["JUPYTERHUB_API_TOKEN"])
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/services/dashboards/")
    render = exporter_options(url_path_join(prefix, "assets/"))
    publisher = Publisher(
        registry, hub, container_runner(config, render), config["publisher_groups"]
    )
    assets = asset_roots(Path(config["node_modules"]) if config.get("node_modules") else None)
    log.info("public pages' scripts served from %s", assets)
    app = make_app(publisher, prefix, os.environ.get("JUPYTERHUB_BASE_URL", "/"), assets)
    url = urlparse(os.environ["JUPYTERHUB_SERVICE_URL"])

    async def serve() -> None:
        app.listen(url.port or 80, url.hostname or "127.0.0.1", max_body_size=64 * 1024**2)
        log.info("dashboards service on %s (dashboards in %s)", url.geturl(), registry.root)
        every = float(config.get("check_every", 30))
        ioloop.PeriodicCallback(lambda: check_schedules(publisher), every * 1000).start()
        ioloop.PeriodicCallback(lambda: sync_access(publisher), 60_000).start()
        await until_stopped()

    asyncio.run(serve())


if __name__ == "__main__":
    main()
