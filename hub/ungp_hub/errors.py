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
    """A course, assignment, user or file name that may not be used on disk (400)."""


class NotAllowed(UserError):
    """The caller's role does not allow this (403)."""

    status = 403


class NotFound(UserError):
    """No such course, assignment, submission or dashboard (404)."""

    status = 404


class AlreadyExists(UserError):
    """Something that is never overwritten is there already (409)."""

    status = 409


class TooLarge(UserError):
    """Over a size limit of the settings; the message names the limit (413)."""

    status = 413


class BadNotebook(UserError):
    """A file that should be a notebook nbgrader can use and is not one (422)."""

    status = 422


class DeadlinePassed(NotAllowed):
    """A submission after the deadline and any late period (403)."""
