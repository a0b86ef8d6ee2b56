"""Who is asking (from their hub token) and which groups they are in (from the hub).

Identity comes from the hub, never from the request: the caller's token is checked with the
hub (``HubAuth.user_for_token``), must carry the ``access:services!service=<name>`` scope, and
the groups are read with the service's own token, so a token with few scopes still cannot
claim a course it is not in.
"""

from __future__ import annotations

import json
from typing import Protocol
from urllib.parse import quote

from jupyterhub.services.auth import HubAuth
from tornado.httpclient import AsyncHTTPClient, HTTPRequest

from .access import Person


class Directory(Protocol):
    async def person_for_token(self, token: str) -> Person | None: ...


class HubDirectory:
    def __init__(self, hub_auth: HubAuth):
        self.hub_auth = hub_auth

    async def person_for_token(self, token: str) -> Person | None:
        model = await self.hub_auth.user_for_token(token, sync=False)
        if not model or model.get("kind", "user") != "user":
            return None
        if not self.hub_auth.check_scopes(self.hub_auth.access_scopes, model):
            return None
        groups = await self._groups(model["name"])
        return Person.of(model["name"], groups)

    async def _groups(self, name: str) -> list[str]:
        request = HTTPRequest(
            f"{self.hub_auth.api_url.rstrip('/')}/users/{quote(name, safe='')}",
            headers={"Authorization": f"token {self.hub_auth.api_token}"},
            request_timeout=30,
        )
        response = await AsyncHTTPClient().fetch(request)
        return list(json.loads(response.body).get("groups", []))
