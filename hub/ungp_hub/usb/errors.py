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


class UntrustedKey(KitError):
    """A kit or results bundle is intact but signed by a key nobody pinned: nothing was used.

    Any key makes a self-consistent signature, so only a fingerprint the admin got from the
    signer by another route (not from the signed files) says who signed them.
    """

    def __init__(self, what: str, fingerprint: str, how_to_trust: str):
        self.fingerprint = fingerprint
        super().__init__(
            f"{what} is signed by key {fingerprint}, which this machine does not trust, so "
            "nothing was used from it.\nCompare that fingerprint with the one the signer gave "
            f"you by another route (paper, phone); only if they match, {how_to_trust}"
        )
