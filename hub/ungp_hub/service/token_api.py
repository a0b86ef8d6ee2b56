"""A JSON API whose caller is the person behind a hub token (the exchange, the grader).

Identity comes from the hub (``Directory``), never from the request. Errors are answered as
every service answers them (``service.handlers``): refusals with HTTP 4xx and
``{"reason": ...}``, bugs with a bare 500.
"""

from __future__ import annotations

import json
from typing import Any

from ..courses.access import Person
from ..errors import UserError
from .directory import Directory
from .handlers import UserErrorAnswers


class TokenAPIHandler(UserErrorAnswers):
    """Base of the token APIs: `person` is the caller, found from their hub token."""

    directory: Directory
    person: Person

    def check_xsrf_cookie(self) -> None:
        """Token-authenticated API: no cookies are accepted, so no XSRF check applies."""

    async def prepare(self) -> None:
        scheme, _, token = self.request.headers.get("Authorization", "").partition(" ")
        person = None
        if scheme.lower() in ("token", "bearer") and token.strip():
            person = await self.directory.person_for_token(token.strip())
        if person is None:
            self.refuse(401, f"a valid hub token with access to {self.service} is required")
            return
        self.person = person

    def caller(self) -> str:
        who = getattr(self, "person", None)
        return who.name if who else "-"

    def json_body(self) -> dict[str, Any]:
        """The request's JSON object; a `UserError` for anything else."""
        try:
            body = json.loads(self.request.body or b"{}")
        except json.JSONDecodeError:
            raise UserError("the request body is not JSON") from None
        if not isinstance(body, dict):
            raise UserError("the request body must be a JSON object")
        return body
