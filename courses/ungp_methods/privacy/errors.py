"""Errors the privacy methods raise on purpose."""

from __future__ import annotations


class DisclosureDataError(ValueError):
    """The microdata or parameters cannot be used as given; the message says how to fix it."""


class BudgetExceededError(RuntimeError):
    """A differentially private query would spend more epsilon than the budget has left."""
