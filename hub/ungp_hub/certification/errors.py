"""Errors of the certification service meant for people (CLI messages, HTTP 4xx reasons).

Anything else raised inside the service is a bug: logged with its traceback, answered 500.
"""

from __future__ import annotations


class CertificationError(Exception):
    """Base class: something a candidate, an admin or a site admin must fix or know."""


class TracksError(CertificationError):
    """tracks.yaml (or an exam folder it names) is wrong; the message names the key."""


class ExamDefinitionError(CertificationError):
    """An exam folder is incomplete or inconsistent (exam.yaml, items.py, the notebook)."""


class ExamRefused(CertificationError):
    """A fetch or a submission the rules do not allow; ``status`` is the HTTP status."""

    def __init__(self, reason: str, status: int = 403) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


class NotFound(ExamRefused):
    def __init__(self, reason: str) -> None:
        super().__init__(reason, 404)


class RegistryError(CertificationError):
    """A credential id that is not in the registry, or a revocation that cannot be done."""
