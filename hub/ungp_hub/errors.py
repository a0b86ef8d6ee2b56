"""The one base of errors meant for people, and the refusals every service answers with.

A ``UserError`` says what happened and what to do about it: the command line prints its
message without a traceback (``cli.errors``), and a hub service answers it with HTTP
``status`` and the message as the reason (``service.handlers``). Anything else raised is a
bug: a traceback in the log, a bare 500 or "internal error" to the person.
"""

from __future__ import annotations


class UserError(Exception):
    """Something a person must fix or know; ``status`` is the HTTP status a service answers."""

    status = 400

    def __init__(self, message: str = "", status: int | None = None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status

    @property
    def reason(self) -> str:
        """The message, under the name the services' JSON answers use."""
        return self.message


class BadName(UserError):
    """A course, assignment, user or file name that may not be used on disk."""

    status = 400


class NotAllowed(UserError):
    status = 403


class NotFound(UserError):
    status = 404


class AlreadyExists(UserError):
    status = 409


class TooLarge(UserError):
    status = 413


class BadNotebook(UserError):
    """A file that should be a notebook and is not one (or is not one nbgrader can use)."""

    status = 422


class DeadlinePassed(UserError):
    status = 403
