"""Beyond one machine: Dask Gateway's jobqueue Slurm backend with the per-group cluster quota.

The gateway host must be a Slurm submit host, and every hub username a Unix account there
(jobs run as that user through ``sudo dask-gateway-jobqueue-launcher``; see docs/scale-out.md).
"""

from __future__ import annotations

from dask_gateway_server.backends.jobqueue.slurm import SlurmBackend

from .hang_ups import CancelOnHangUp
from .quota import ClusterQuota


class QuotaSlurmBackend(CancelOnHangUp, ClusterQuota, SlurmBackend):
    """SlurmBackend that refuses clusters over the user's group quota (behind the same Go
    proxy as the container backend, so its handlers end when a client hangs up too)."""
