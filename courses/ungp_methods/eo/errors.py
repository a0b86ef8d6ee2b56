"""The one error Earth-observation methods raise on purpose."""

from __future__ import annotations


class EODataError(ValueError):
    """The bands, time series or samples cannot be used as given; the message says how to fix it."""
