"""Turn validated site settings into JupyterHub configuration.

Each ``update_*`` function handles one concern and only *sets* traits on ``c`` (never appends
to or mutates what is there), so a plain traitlets line placed after ``apply_settings`` in
``jupyterhub_config.py`` still wins.
"""

from __future__ import annotations

import logging

from traitlets.config import Config

from ..settings import Settings
from .auth import update_auth
from .certification import update_certification
from .containment import update_containment
from .dashboards import update_dashboards
from .dask import update_dask
from .data import update_data
from .exchange import update_exchange
from .grader import update_grader
from .hub import update_hub
from .pages import update_pages
from .services import update_services
from .spawner import update_spawner

log = logging.getLogger("ungp_hub")


def apply_settings(c: Config, settings: Settings) -> None:
    update_hub(c, settings)
    update_auth(c, settings)
    spawner_kind = update_spawner(c, settings)
    update_data(c, settings)
    update_services(c, settings)
    update_exchange(c, settings)  # after update_spawner and update_services: extends both
    update_certification(c, settings)  # after update_exchange: extends its roles
    update_grader(c, settings)  # after update_exchange: extends its roles and environment
    update_dask(c, settings)
    update_dashboards(c, settings)  # after update_spawner/services/exchange/data: extends them
    update_pages(c, settings, demo_local=spawner_kind == "local")
    update_containment(c, settings, spawner_kind)  # last: opens the ports all the others set
