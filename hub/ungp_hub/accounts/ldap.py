"""LDAPAuthenticator with NativeAuthenticator's login throttle (see :mod:`.throttle`).

ldapauthenticator passes every guess on to the directory, which may lock the account for the
whole organisation or not limit at all; the hub limits guesses itself first.
"""

from __future__ import annotations

from functools import cached_property

from ldapauthenticator import LDAPAuthenticator
from traitlets import Integer

from .throttle import LoginThrottle


class UngpLDAPAuthenticator(LDAPAuthenticator):
    allowed_failed_logins = Integer(
        0,
        help="""Wrong passwords in a row after which a username must wait
        seconds_before_next_try before it may log in again (the right password included).
        0 turns throttling off. Same name and meaning as NativeAuthenticator's.""",
    ).tag(config=True)

    seconds_before_next_try = Integer(
        600,
        help="Seconds a username waits after allowed_failed_logins wrong passwords.",
    ).tag(config=True)

    @cached_property
    def throttle(self) -> LoginThrottle:
        return LoginThrottle(self.allowed_failed_logins, self.seconds_before_next_try)

    async def authenticate(self, handler, data):  # noqa: ANN001 - JupyterHub's signature
        username = self.normalize_username(str(data.get("username", "")))
        if self.throttle.blocked(username):
            self.log.warning("Login of %s refused: too many wrong passwords, waiting", username)
            return None
        result = await super().authenticate(handler, data)
        if result is None:
            self.throttle.failed(username)
        else:
            self.throttle.succeeded(username)
        return result
