"""Handlers take their HubOAuth from the application's settings.

jupyterhub's mixins otherwise use a process-wide ``HubOAuth.instance()``, which ignores the
object given to the application (and so its options, and any stand-in in the tests).
"""

from __future__ import annotations

from jupyterhub.services.auth import HubOAuthCallbackHandler


class SettingsHubAuth:
    @property
    def hub_auth(self):  # noqa: ANN201
        return self.settings["hub_auth"]

    @hub_auth.setter
    def hub_auth(self, value) -> None:  # noqa: ANN001
        self.settings["hub_auth"] = value


class OAuthCallback(SettingsHubAuth, HubOAuthCallbackHandler):
    pass
