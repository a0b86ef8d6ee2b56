"""What the dashboards service asks of the hub, with its own token (see configure/dashboards)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest


def _q(name: str) -> str:
    return quote(name, safe="")


class HubClient:
    def __init__(self, api_url: str, token: str):
        self.api_url = api_url.rstrip("/")
        self.token = token

    async def call(self, method: str, path: str, body: Any = None, ok: tuple = ()) -> Any:
        request = HTTPRequest(
            self.api_url + path,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
            body=None if body is None and method in ("GET", "DELETE") else json.dumps(body or {}),
            allow_nonstandard_methods=True,
            request_timeout=60,
        )
        try:
            response = await AsyncHTTPClient().fetch(request)
        except HTTPClientError as error:
            if error.code in ok:
                return None
            raise
        return json.loads(response.body) if response.body else None

    async def person(self, name: str) -> tuple[list[str], bool]:
        """Groups and admin flag of a user, read with the service's token (never trusted input)."""
        model = await self.call("GET", f"/users/{_q(name)}")
        return list(model.get("groups", [])), bool(model.get("admin"))

    async def group_exists(self, group: str) -> bool:
        return await self.call("GET", f"/groups/{_q(group)}", ok=(404,)) is not None

    async def server(self, owner: str, server: str) -> dict[str, Any] | None:
        model = await self.call("GET", f"/users/{_q(owner)}")
        return (model.get("servers") or {}).get(server)

    async def start(self, owner: str, server: str) -> None:
        # 400 means it is already running or starting: fine
        try:
            await self.call("POST", f"/users/{_q(owner)}/servers/{_q(server)}", {}, ok=(400,))
        except HTTPClientError as error:
            # JupyterHub 6.1 can answer 500 (InvalidStateError in spawn_single_user) when the
            # spawn finishes just as its slow_spawn_timeout ends; the server is fine then.
            if error.code != 500 or await self.server(owner, server) is None:
                raise

    async def remove_server(self, owner: str, server: str) -> None:
        await self.call(
            "DELETE", f"/users/{_q(owner)}/servers/{_q(server)}", {"remove": True}, ok=(404,)
        )

    async def share_with_group(self, owner: str, server: str, group: str) -> None:
        await self.call("POST", f"/shares/{_q(owner)}/{_q(server)}", {"group": group})

    async def revoke_shares(self, owner: str, server: str) -> None:
        await self.call("DELETE", f"/shares/{_q(owner)}/{_q(server)}", ok=(404,))

    async def user_names(self) -> list[str]:
        names, offset = [], 0
        while True:
            page = await self.call("GET", f"/users?offset={offset}&limit=200")
            names += [user["name"] for user in page]
            if len(page) < 200:
                return names
            offset += 200

    async def members(self, group: str) -> list[str]:
        model = await self.call("GET", f"/groups/{_q(group)}", ok=(404,))
        return list((model or {}).get("users", []))

    async def user_shares(self, owner: str, server: str) -> set[str]:
        """Users the server is shared with one by one (group shares are not listed)."""
        names, offset = set(), 0
        while True:
            page = await self.call(
                "GET", f"/shares/{_q(owner)}/{_q(server)}?offset={offset}&limit=200"
            )
            items = page.get("items", [])
            names |= {item["user"]["name"] for item in items if item.get("user")}
            if len(items) < 200:
                return names
            offset += 200

    async def share_with_user(self, owner: str, server: str, user: str) -> None:
        await self.call("POST", f"/shares/{_q(owner)}/{_q(server)}", {"user": user})

    async def revoke_user(self, owner: str, server: str, user: str) -> None:
        await self.call("PATCH", f"/shares/{_q(owner)}/{_q(server)}", {"user": user})
