"""Dask Gateway for every user: limits, cluster options, the container backend, scale-out.

The gateway (dask-gateway-server) runs as a hub-managed service. ``configure/dask.py`` turns the
site settings into a :class:`~ungp_hub.dask.plan.GatewayPlan` written to the state directory;
the gateway's own config file (``gateway_config_file.py``) reads that plan.
"""
