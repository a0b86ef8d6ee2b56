"""NativeAuthenticator made to work with JupyterHub 6.

nativeauthenticator 1.3.0 (the latest release) has two incompatibilities with JupyterHub 6,
both in its login handler: it times logins with ``self.statsd``, which JupyterHub removed, so
every login fails with a 500; and its ``_render`` does not accept the keyword arguments
JupyterHub passes when it renders an error on the login form. This subclass fixes those two
(remove them when nativeauthenticator releases a fix), and checks passwords in a thread.
It also hands JupyterHub the person's full name from the roster at each login
(:mod:`.people`).
"""

from __future__ import annotations

import asyncio

from nativeauthenticator import NativeAuthenticator
from nativeauthenticator.handlers import LoginHandler as NativeLoginHandler

from .people import create_table, full_name_of, user_info


class _NoTimer:
    """Stands in for the statsd client JupyterHub no longer provides."""

    def timer(self, *args, **kwargs) -> _NoTimer:
        return self

    def start(self) -> _NoTimer:
        return self

    def stop(self, *args, **kwargs) -> None:
        return None

    def incr(self, *args, **kwargs) -> None:
        return None


class LoginHandler(NativeLoginHandler):
    statsd = _NoTimer()

    def _render(self, login_error=None, username=None, **_ignored):
        return super()._render(login_error=login_error, username=username)


class UngpNativeAuthenticator(NativeAuthenticator):
    """NativeAuthenticator with a login handler that works on JupyterHub 6."""

    def add_new_table(self) -> None:
        super().add_new_table()
        create_table(self.db.bind)

    async def authenticate(self, handler, data):
        """NativeAuthenticator's checks in its order, with bcrypt off the hub's event loop.

        bcrypt costs a quarter of a second of CPU on purpose; run in the loop, a class of 30
        logging in at once froze the hub (every spawn, every API call) for seconds.
        """
        username = self.normalize_username(data.get("username", ""))
        user = self.get_user(username)
        if user is None or (self.allowed_failed_logins and self.is_blocked(username)):
            return None
        password_ok = await asyncio.to_thread(user.is_valid_password, data.get("password", ""))
        checks = [user.is_authorized, password_ok]
        if user.has_2fa:
            checks.append(user.is_valid_token(data.get("2fa")))
        if all(checks):
            self.successful_login(username)
            full_name = full_name_of(self.db, username)
            return {"name": username, "user_info": user_info(full_name)} if full_name else username
        self.add_login_attempt(username)
        return None

    def get_handlers(self, app):
        return [
            (pattern, LoginHandler if handler is NativeLoginHandler else handler)
            for pattern, handler in super().get_handlers(app)
        ]
