"""A JSON API whose caller is the person behind a hub token (the exchange, the grader).

Identity comes from the hub (``Directory``), never from the request. Refusals
(``UserError`` and what a subclass maps in ``refusal``) become HTTP 4xx with
``{"reason": ...}`` and one log line; anything else is a bug, logged with its traceback and
answered with a bare 500 that names no internals.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from tornado import web

from ..courses.access import Person
from ..errors import UserError
from .directory import Directory


class TokenAPIHandler(web.RequestHandler):
    directory: Directory
    person: Person
    service = "the service"  # named in the 401 and 500 answers
    log = logging.getLogger("ungp_hub.exchange")
    quiet = (UserError,)  # already logged by _refuse: no traceback

    def check_xsrf_cookie(self) -> None:
        """Token-authenticated API: no cookies are accepted, so no XSRF check applies."""

    async def prepare(self) -> None:
        scheme, _, token = self.request.headers.get("Authorization", "").partition(" ")
        person = None
        if scheme.lower() in ("token", "bearer") and token.strip():
            person = await self.directory.person_for_token(token.strip())
        if person is None:
            self._refuse(401, f"a valid hub token with access to {self.service} is required")
            return
        self.person = person

    def _refuse(self, status: int, reason: str) -> None:
        who = getattr(self, "person", None)
        self.log.warning(
            "refused %s %s for %s: %d %s",
            self.request.method,
            self.request.path,
            who.name if who else "-",
            status,
            reason,
        )
        self.set_status(status)
        self.finish({"reason": reason})

    def refusal(self, error: BaseException) -> tuple[int, str] | None:
        """(status, reason) for errors that are the caller's, beyond UserError."""
        if isinstance(error, UserError):
            return error.status, error.reason
        return None

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        error = kwargs.get("exc_info", (None, None))[1]
        refused = self.refusal(error) if error is not None else None
        if refused is not None:
            self._refuse(*refused)
        elif isinstance(error, web.HTTPError) and status_code < 500:
            self.finish({"reason": error.log_message or self._reason})
        else:
            self.finish({"reason": f"internal error of {self.service}; the hub admin has the log"})

    def log_exception(self, typ, value, tb) -> None:  # noqa: ANN001 - tornado's signature
        if not isinstance(value, self.quiet):
            super().log_exception(typ, value, tb)

    def json_body(self) -> dict[str, Any]:
        try:
            body = json.loads(self.request.body or b"{}")
        except json.JSONDecodeError:
            raise UserError("the request body is not JSON") from None
        if not isinstance(body, dict):
            raise UserError("the request body must be a JSON object")
        return body
