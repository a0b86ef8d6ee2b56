"""Which exceptions the CLI reports as a plain message (everything else is a bug: traceback).

Every error meant for people derives from ``ungp_hub.errors.UserError``; the credentials
library (its own package, no dependency on the hub) has its own base, named here and looked
up only if its module is already imported (an exception can only be an instance of a class
whose module is imported, and importing it would slow `ungp --help`).
"""

from __future__ import annotations

import sys

from ..errors import UserError

# Errors meant for people that come from outside ungp_hub: (module, class).
OTHER_USER_ERRORS: tuple[tuple[str, str], ...] = (("ungp_credentials.errors", "CredentialError"),)

# Top-level modules of the optional extras (pyproject.toml), by the extra that brings them.
_HUB = """docker dockerspawner jupyterhub nativeauthenticator oauthenticator ldapauthenticator
jupyterhub_idle_culler dask_gateway_server fpdf qrcode psycopg2 nbgrader nbformat nbconvert
papermill hatchling croniter sqlalchemy bcrypt alembic"""
_DATA = "geopandas shapely pyogrio intake pyais opendp rasterio rioxarray xarray matplotlib"
EXTRA_OF_MODULE: dict[str, str] = {
    **dict.fromkeys(_HUB.split(), "hub"),
    **dict.fromkeys(_DATA.split(), "data"),
}


class NotHere(UserError, RuntimeError):
    """The command cannot run where it was started (a hub host command in a user container,
    or an installation without the extra the command needs)."""


def is_user_error(error: BaseException) -> bool:
    """Whether `error` is meant for people (printed as a message) rather than a bug."""
    if isinstance(error, UserError):
        return True
    for module_name, class_name in OTHER_USER_ERRORS:
        module = sys.modules.get(module_name)
        cls = getattr(module, class_name, None) if module else None
        if cls is not None and isinstance(error, cls):
            return True
    return False


def missing_extra(error: ModuleNotFoundError) -> str | None:
    """The extra that provides the module `error` names, if it is one of ours."""
    top = (error.name or "").partition(".")[0]
    return EXTRA_OF_MODULE.get(top)
