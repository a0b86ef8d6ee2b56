"""JupyterHub runs the certification service as ``python -m ungp_hub.certification``."""

from .service import CertificationService

if __name__ == "__main__":  # not when a worker process imports the main module
    CertificationService.launch_instance()
