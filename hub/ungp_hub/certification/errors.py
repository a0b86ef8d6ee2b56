"""Errors of the certification service meant for people (CLI messages, HTTP 4xx reasons).

Anything else raised inside the service is a bug: logged with its traceback, answered 500.
"""

from __future__ import annotations

from .. import errors
from ..errors import UserError


class CertificationError(UserError):
    """Base class: something a candidate or a hub admin must fix or know."""


class TracksError(CertificationError):
    """tracks.yaml (or an exam folder it names) is wrong; the message names the key."""


class ExamDefinitionError(CertificationError):
    """An exam folder is incomplete or inconsistent (exam.yaml, items.py, the notebook)."""


class ExamRefused(CertificationError):
    """A fetch or a submission the rules do not allow; ``status`` is the HTTP status."""

    status = 403


class NotFound(errors.NotFound, ExamRefused):
    """No such track, exam or sitting for this candidate."""


class RegistryError(CertificationError):
    """A credential id that is not in the registry, or a revocation that cannot be done."""
