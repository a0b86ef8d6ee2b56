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
from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest

from ..accounts.people import display_name
from ..courses.access import Person


class Directory(Protocol):
    async def person_for_token(self, token: str) -> Person | None: ...

    async def person_named(self, name: str) -> Person: ...

    async def members(self, group: str) -> list[str]: ...


class HubDirectory:
    def __init__(self, hub_auth: HubAuth):
        self.hub_auth = hub_auth

    async def person_for_token(self, token: str) -> Person | None:
        model = await self.hub_auth.user_for_token(token, sync=False)
        if not model or model.get("kind", "user") != "user":
            return None
        if not self.hub_auth.check_scopes(self.hub_auth.access_scopes, model):
            return None
        return await self.person_named(model["name"])

    async def person_named(self, name: str) -> Person:
        """The person a hub login (OAuth) or token named, with groups and full name read by
        the service (``read:users:groups``, ``read:users:name``)."""
        model = await self._get(f"users/{quote(name, safe='')}")
        return Person.of(name, model.get("groups", []) if model else [], display_name(model))

    async def members(self, group: str) -> list[str]:
        model = await self._get(f"groups/{quote(group, safe='')}")
        return sorted(model.get("users", [])) if model else []

    async def _get(self, path: str) -> dict | None:
        return await hub_model(self.hub_auth.api_url, self.hub_auth.api_token, path)


async def hub_model(api_url: str, token: str, path: str) -> dict | None:
    """A model from the hub's REST API (e.g. ``users/NAME``) read with the service's own
    token; None when the hub says it does not exist (404). Other failures raise: the caller
    decides what an unanswered question means."""
    request = HTTPRequest(
        f"{api_url.rstrip('/')}/{path}",
        headers={"Authorization": f"token {token}"},
        request_timeout=30,
    )
    try:
        response = await AsyncHTTPClient().fetch(request)
    except HTTPClientError as error:
        if error.code == 404:
            return None
        raise
    return json.loads(response.body)
