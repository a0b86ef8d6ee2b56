"""JupyterHub runs the certification service as ``python -m ungp_hub.certification``."""

from .service import CertificationService

CertificationService.launch_instance()
