"""How every hub service answers errors: a `UserError` is the person's, anything else a bug.

A refusal (a `UserError`, or what a handler maps in `refusal`) is answered with its HTTP
status and message and logged in one line; a bug is logged with its traceback and answered
with a bare "internal error" that names no internals. JSON APIs answer ``{"reason": ...}``;
pages override `answer` to render the message.
"""

from __future__ import annotations

import logging
from typing import Any

from tornado import web

from ..errors import UserError

log = logging.getLogger("ungp_hub.service")


class UserErrorAnswers(web.RequestHandler):
    """Mixin for a service's handlers: one mapping from errors to answers."""

    service = "the service"  # named in the answer to a bug

    def refusal(self, error: BaseException) -> tuple[int, str] | None:
        """(status, message) when `error` is the caller's; None for a bug."""
        if isinstance(error, UserError):
            return error.status, error.message
        return None

    def answer(self, status: int, message: str) -> None:
        """Write the error answer; JSON by default."""
        self.finish({"reason": message})

    def caller(self) -> str:
        """Who asked, for the refusal's log line ('-' when unknown)."""
        return "-"

    def refuse(self, status: int, message: str) -> None:
        """Answer a refusal now (e.g. from `prepare`), logged like a raised one."""
        self._log_refusal(status, message)
        self.set_status(status)
        self.answer(status, message)

    def _log_refusal(self, status: int, message: str) -> None:
        log.warning(
            "refused %s %s for %s: %d %s",
            self.request.method,
            self.request.path,
            self.caller(),
            status,
            message.splitlines()[0] if message else "",
        )

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        error = kwargs.get("exc_info", (None, None))[1]
        refused = self.refusal(error) if error is not None else None
        if refused is not None:
            status_code, message = refused
            self.set_status(status_code)
        elif isinstance(error, web.HTTPError) and status_code < 500:
            message = error.log_message or self._reason
        else:
            message = f"internal error of {self.service}; the hub admin has the log"
        self.answer(self.get_status(), message)

    def log_exception(self, typ, value, tb) -> None:  # noqa: ANN001 - tornado's signature
        refused = self.refusal(value) if value is not None else None
        if refused is not None:
            self._log_refusal(*refused)
        else:
            super().log_exception(typ, value, tb)
