"""Who a certificate names: the holder's full name from the hub, and whether the public
verification page may show it.

The name comes from the hub's user model (``user_info``, recorded from the roster at login;
see :mod:`ungp_hub.accounts.people`), read with the service's own token, never from the
candidate's request. The credential carries the name: its holder decides whom to give it.
The public page reached by a certificate's id (the QR code) shows the name as the site's
``certification.public_name`` says: ``always``, ``never``, or ``consent`` (the holder's
choice on their certificates page, kept in the registry).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import quote

from ..accounts.people import display_name
from ..service.directory import hub_model

NameSource = Callable[[str], Awaitable[str]]
PUBLIC_NAME = ("consent", "always", "never")


async def no_names(username: str) -> str:
    """A hub that keeps no full names: the certificate names the account."""
    return ""


def hub_names(api_url: str, token: str) -> NameSource:
    """The full name in the hub's user model ('' if none); a hub that does not answer
    raises, so that no credential is signed with the wrong name."""

    async def full_name(username: str) -> str:
        model = await hub_model(api_url, token, f"users/{quote(username, safe='')}")
        return display_name(model) if model else ""

    return full_name


def shows_name(policy: str, consented: bool) -> bool:
    """May the public verification page show the holder's name?"""
    return policy == "always" or (policy == "consent" and consented)
