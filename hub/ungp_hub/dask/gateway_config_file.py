"""dask-gateway-server's config file (``dask-gateway-server -f THIS``), started by the hub.

Static on purpose, like jupyterhub_config.py: everything comes from the plan the hub wrote
(path in UNGP_DASK_PLAN). Plain traitlets lines may follow and win.
"""

import os

from ungp_hub.dask.gateway_config import configure_gateway
from ungp_hub.dask.plan import PLAN_ENV, GatewayPlan

c = get_config()  # noqa: F821
configure_gateway(c, GatewayPlan.read(os.environ[PLAN_ENV]))
