"""JupyterHub runs the dashboards service as ``python -m ungp_hub.dashboards``."""

from .service import DashboardsService

DashboardsService.launch_instance()
