"""JupyterHub runs the exchange service as ``python -m ungp_hub.exchange``."""

from .service import ExchangeService

ExchangeService.launch_instance()
