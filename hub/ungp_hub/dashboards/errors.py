"""Errors meant for the analyst or the viewer: each maps to an HTTP status and a message."""

from __future__ import annotations

from .. import errors
from ..errors import NotFound, UserError


class DashboardError(UserError):
    """A refusal a person can act on; ``status`` is its HTTP status."""


class PublishRefused(DashboardError):
    """The notebook did not run: the dashboard is not published (or keeps its last snapshot)."""

    status = 422


class NotAllowed(DashboardError, errors.NotAllowed):
    """Deliberately vague: it never names the dashboard, so a refusal leaks nothing."""

    def __init__(self, message: str = "you do not have access to this dashboard"):
        super().__init__(message)


class NoSuchDashboard(DashboardError, NotFound):
    """No dashboard by that name (only said where the dashboard's existence is no secret)."""


class ServiceUnreachable(DashboardError):
    """The CLI could not reach the dashboards service."""

    status = 503


class EngineUnavailable(DashboardError):
    """Nothing was run: the hub's container engine did not answer."""

    status = 503

    def __init__(self) -> None:
        super().__init__(
            "the hub's container engine does not answer, so the notebook could not run; "
            "try again in a few minutes, or tell a hub admin"
        )
