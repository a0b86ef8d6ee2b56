"""Which exceptions the CLI reports as a plain message (everything else is a bug: traceback).

The classes are named, not imported: importing them would import the modules that define
them (the grader's pulls in Docker), and `ungp --help` must work where those are missing.
An exception can only be an instance of a class whose module is already imported, so the
check looks only there.
"""

from __future__ import annotations

import sys

# (module, class) of every exception meant for people.
USER_ERRORS: tuple[tuple[str, str], ...] = (
    ("ungp_hub.settings.loader", "SettingsError"),
    ("ungp_hub.accounts.roster", "RosterError"),
    ("ungp_hub.accounts.hub_api", "HubUnreachable"),
    ("ungp_hub.accounts.hub_api", "HubRequestFailed"),
    ("ungp_hub.state", "StateMissing"),
    ("ungp_hub.images.errors", "ImageBuildError"),
    ("ungp_hub.images.errors", "ImageMissingError"),
    ("ungp_hub.exchange.courses", "CourseError"),
    ("ungp_hub.certification.errors", "CertificationError"),
    ("ungp_credentials.errors", "CredentialError"),
    ("ungp_hub.dashboards.errors", "DashboardError"),
    ("ungp_hub.grader.limits", "GraderSetupError"),
    ("ungp_hub.usb.errors", "KitError"),
    ("ungp_hub.cli.errors", "NotHere"),
)

# Top-level modules of the optional extras (pyproject.toml), by the extra that brings them.
_HUB = """docker dockerspawner jupyterhub nativeauthenticator oauthenticator ldapauthenticator
jupyterhub_idle_culler dask_gateway_server fpdf qrcode psycopg2 nbgrader nbformat nbconvert
papermill hatchling croniter sqlalchemy bcrypt alembic"""
_DATA = "geopandas shapely pyogrio intake pyais opendp rasterio rioxarray xarray matplotlib"
EXTRA_OF_MODULE: dict[str, str] = {
    **dict.fromkeys(_HUB.split(), "hub"),
    **dict.fromkeys(_DATA.split(), "data"),
}


class NotHere(RuntimeError):
    """The command cannot run where it was started (a hub host command in a user container,
    or an installation without the extra the command needs)."""


def is_user_error(error: BaseException) -> bool:
    for module_name, class_name in USER_ERRORS:
        module = sys.modules.get(module_name)
        cls = getattr(module, class_name, None) if module else None
        if cls is not None and isinstance(error, cls):
            return True
    return False


def missing_extra(error: ModuleNotFoundError) -> str | None:
    """The extra that provides the module `error` names, if it is one of ours."""
    top = (error.name or "").partition(".")[0]
    return EXTRA_OF_MODULE.get(top)
