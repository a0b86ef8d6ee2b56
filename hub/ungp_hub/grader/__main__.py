"""JupyterHub runs the grader service as ``python -m ungp_hub.grader``."""

from .service import GraderService

GraderService.launch_instance()
