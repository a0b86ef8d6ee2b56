"""Errors about the USB kit that are meant for the organiser."""

from __future__ import annotations

from ..errors import UserError


class KitError(UserError, RuntimeError):
    """Building or installing the kit cannot go on; the message says why and what to do."""


class KitTampered(KitError):
    """The kit's files do not match its signed manifest: nothing was installed."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        listing = "\n  ".join(problems)
        super().__init__(
            f"the kit failed its check, nothing was installed:\n  {listing}\n"
            "Copy the kit again from the organiser's master copy (or rebuild it) and retry."
        )
