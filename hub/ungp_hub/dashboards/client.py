"""The dashboards service's API over HTTP, for `ungp dashboards` (in a container or on the host).

In an analyst's container the hub already sets what it needs: UNGP_DASHBOARDS_URL (set by
configure/dashboards) and JUPYTERHUB_API_TOKEN (the server's token, which may call the service).
"""

from __future__ import annotations

import base64
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import requests

from .errors import DashboardError, ServiceUnreachable


class DashboardsClient:
    def __init__(self, url: str, token: str, timeout: float = 900):
        if not url or not token:
            raise DashboardError(
                "the dashboards service is unknown here: run `ungp dashboards` in a terminal of "
                "your JupyterLab on the hub, or give --url and --token (a token from the hub's "
                "Token page)"
            )
        self.url = url.rstrip("/") + "/"
        self.timeout = timeout
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"token {token}"

    @classmethod
    def from_environment(
        cls, environ: Mapping[str, str] | None = None, url: str = "", token: str = ""
    ) -> DashboardsClient:
        environ = os.environ if environ is None else environ
        return cls(
            url or environ.get("UNGP_DASHBOARDS_URL", ""),
            token or environ.get("UNGP_TOKEN", "") or environ.get("JUPYTERHUB_API_TOKEN", ""),
        )

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            response = self.session.request(method, self.url + path, timeout=self.timeout, **kwargs)
        except requests.ConnectionError:
            raise ServiceUnreachable(
                f"the dashboards service does not answer at {self.url}; is the hub running "
                "with dashboards.enabled?"
            ) from None
        if response.status_code >= 400:
            try:
                reason = response.json().get("reason", "")
            except ValueError:
                reason = response.text[:300]
            error = DashboardError(reason or f"HTTP {response.status_code}")
            error.status = response.status_code
            raise error
        if response.headers.get("Content-Type", "").startswith("application/json"):
            return response.json()
        return response.content

    def publish(
        self,
        notebook: Path,
        to: str,
        title: str = "",
        description: str = "",
        slug: str = "",
        parameters: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        body = {
            "notebook": base64.b64encode(Path(notebook).read_bytes()).decode(),
            "to": to,
            "title": title or Path(notebook).stem.replace("_", " ").replace("-", " ").title(),
            "description": description,
            "slug": slug,
            "parameters": parameters or {},
        }
        return self._call("POST", "api/dashboards", json=body)

    def list(self) -> list[dict[str, Any]]:
        return self._call("GET", "api/dashboards")["dashboards"]

    def get(self, slug: str) -> dict[str, Any]:
        return self._call("GET", f"api/dashboards/{slug}")

    def unpublish(self, slug: str) -> None:
        self._call("DELETE", f"api/dashboards/{slug}")

    def schedule(
        self,
        slug: str,
        every: int | None = None,
        cron: str | None = None,
        parameters: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        body = {"every": every, "cron": cron, "parameters": parameters or {}}
        return self._call("PUT", f"api/dashboards/{slug}/schedule", json=body)

    def unschedule(self, slug: str) -> dict[str, Any]:
        return self._call("DELETE", f"api/dashboards/{slug}/schedule")

    def runs(self, slug: str) -> list[dict[str, Any]]:
        return self._call("GET", f"api/dashboards/{slug}/runs")["runs"]

    def refresh(self, slug: str) -> dict[str, Any]:
        return self._call("POST", f"api/dashboards/{slug}/runs", json={})
