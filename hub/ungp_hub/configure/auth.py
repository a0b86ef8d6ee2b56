"""Who can log in: NativeAuthenticator by default, OAuth or LDAP by settings.

Where the hub checks passwords (native, ldap) it throttles wrong ones (auth.login_throttle);
with oauth it never sees a password: the identity provider throttles.
"""

from __future__ import annotations

from traitlets.config import Config

from ..settings import Settings


def update_auth(c: Config, settings: Settings) -> None:
    kind = settings.get("auth.type")
    c.Authenticator.admin_users = set(settings.get("hub.admin_users"))
    throttle = settings.get("auth.login_throttle")
    if kind == "native":
        native = settings.get("auth.native")
        c.JupyterHub.authenticator_class = "ungp_hub.accounts.native.UngpNativeAuthenticator"
        c.NativeAuthenticator.open_signup = native["open_signup"]
        c.NativeAuthenticator.minimum_password_length = native["minimum_password_length"]
        c.NativeAuthenticator.check_common_password = True
        c.NativeAuthenticator.allowed_failed_logins = throttle["failed_logins"]
        c.NativeAuthenticator.seconds_before_next_try = throttle["wait_seconds"]
        # Accounts approved by an admin or imported from a roster may log in.
        c.Authenticator.allow_all = True
    elif kind == "oauth":
        oauth = settings.get("auth.oauth")
        c.JupyterHub.authenticator_class = "oauthenticator.generic.GenericOAuthenticator"
        c.GenericOAuthenticator.client_id = oauth["client_id"]
        c.GenericOAuthenticator.client_secret = oauth["client_secret"]
        c.GenericOAuthenticator.authorize_url = oauth["authorize_url"]
        c.GenericOAuthenticator.token_url = oauth["token_url"]
        c.GenericOAuthenticator.userdata_url = oauth["userdata_url"]
        c.GenericOAuthenticator.oauth_callback_url = oauth["callback_url"]
        c.GenericOAuthenticator.username_claim = oauth["username_claim"]
        c.GenericOAuthenticator.scope = list(oauth["scope"])
        c.GenericOAuthenticator.allow_all = True
    elif kind == "ldap":
        ldap = settings.get("auth.ldap")
        c.JupyterHub.authenticator_class = "ungp_hub.accounts.ldap.UngpLDAPAuthenticator"
        c.UngpLDAPAuthenticator.allowed_failed_logins = throttle["failed_logins"]
        c.UngpLDAPAuthenticator.seconds_before_next_try = throttle["wait_seconds"]
        c.LDAPAuthenticator.server_address = ldap["server_address"]
        c.LDAPAuthenticator.server_port = ldap["server_port"]
        c.LDAPAuthenticator.tls_strategy = ldap["tls_strategy"]
        c.LDAPAuthenticator.bind_dn_template = list(ldap["bind_dn_template"])
        c.LDAPAuthenticator.allow_all = True
