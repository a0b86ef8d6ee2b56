"""A small client of the hub's REST API, authenticated as the ``ungp-cli`` service."""

from __future__ import annotations

from urllib.parse import quote, urlparse, urlunparse

import requests

from ..settings import Settings
from ..state import StateDir


class HubUnreachable(RuntimeError):
    pass


def api_url(settings: Settings) -> str:
    parsed = urlparse(settings.get("hub.bind_url"))
    host = parsed.hostname or "127.0.0.1"
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    return urlunparse(parsed._replace(netloc=f"{host}:{parsed.port or 8000}", path="/hub/api"))


class HubAPI:
    def __init__(self, base_url: str, token: str):
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"token {token}"

    @classmethod
    def from_settings(cls, settings: Settings) -> HubAPI:
        return cls(api_url(settings), StateDir(settings.state_dir).secret("cli-api-token"))

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        try:
            response = self.session.request(method, self.base_url + path, timeout=30, **kwargs)
        except requests.ConnectionError:
            raise HubUnreachable(
                f"the hub does not answer at {self.base_url}; start it (`make up` or "
                "`ungp hub run`) and try again"
            ) from None
        return response

    def user_names(self) -> set[str]:
        names: set[str] = set()
        offset = 0
        while True:
            response = self.request("GET", "/users", params={"offset": offset, "limit": 200})
            response.raise_for_status()
            page = response.json()
            names |= {user["name"] for user in page}
            if len(page) < 200:
                return names
            offset += 200

    def group_path(self, group: str) -> str:
        return "/groups/" + quote(group, safe="")
