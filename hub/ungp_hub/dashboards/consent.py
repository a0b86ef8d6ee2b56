"""Viewers open a dashboard without the hub's "Authorize access" page.

JupyterHub asks a user to confirm before another user's server may identify them; for a
dashboard the analyst published to them, that page is only noise (it would appear once per
viewer and dashboard). The hub reads ``oauth_no_confirm_list`` from its tornado settings only
with ``in``, so this object answers for the OAuth clients of published dashboard servers,
plus the clients JupyterHub itself would have listed (services with ``oauth_no_confirm``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote

from . import SERVER_PREFIX
from .errors import DashboardError
from .registry import Registry

CLIENT = re.compile(rf"^jupyterhub-user-(?P<owner>.+)-{SERVER_PREFIX}(?P<slug>[a-z0-9-]+)$")


class DashboardClients:
    def __init__(self, root: str, always: Iterable[str] = ()):
        self.root = root
        self.always = frozenset(always)

    def __contains__(self, identifier: object) -> bool:
        if identifier in self.always:
            return True
        match = CLIENT.match(str(identifier))
        if not match:
            return False
        try:
            dashboard = Registry(self.root).get(match["slug"])
        except DashboardError:
            return False
        return quote(dashboard.owner) == match["owner"]
