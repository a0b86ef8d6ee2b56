"""NativeAuthenticator made to work with JupyterHub 6.

nativeauthenticator 1.3.0 (the latest release) has two incompatibilities with JupyterHub 6,
both in its login handler: it times logins with ``self.statsd``, which JupyterHub removed, so
every login fails with a 500; and its ``_render`` does not accept the keyword arguments
JupyterHub passes when it renders an error on the login form. This subclass fixes just those
two; remove it when nativeauthenticator releases a fix.
"""

from __future__ import annotations

from nativeauthenticator import NativeAuthenticator
from nativeauthenticator.handlers import LoginHandler as NativeLoginHandler


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

    def get_handlers(self, app):
        return [
            (pattern, LoginHandler if handler is NativeLoginHandler else handler)
            for pattern, handler in super().get_handlers(app)
        ]
