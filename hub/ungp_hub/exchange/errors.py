"""Refusals the exchange answers with HTTP 4xx and a JSON reason shown to the person."""

from __future__ import annotations


class ExchangeRefused(Exception):
    """A request the exchange will not carry out; ``status`` is the HTTP status to answer."""

    status = 400

    def __init__(self, reason: str, status: int | None = None):
        super().__init__(reason)
        self.reason = reason
        if status is not None:
            self.status = status


class BadName(ExchangeRefused):
    status = 400


class NotAllowed(ExchangeRefused):
    status = 403


class NotFound(ExchangeRefused):
    status = 404


class AlreadyExists(ExchangeRefused):
    status = 409


class TooLarge(ExchangeRefused):
    status = 413


class BadNotebook(ExchangeRefused):
    status = 422


class DeadlinePassed(ExchangeRefused):
    status = 403
