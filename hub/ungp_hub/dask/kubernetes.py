"""Beyond one machine: Dask Gateway's Kubernetes backend with the hub's per-group cluster quota.

Needs ``kubernetes_asyncio`` (dask-gateway-server's ``kubernetes`` extra) and, in the cluster,
the gateway's kube-controller (see docs/scale-out.md).
"""

from __future__ import annotations

from dask_gateway_server.backends.kubernetes import KubeBackend

from .quota import ClusterQuota


class QuotaKubeBackend(ClusterQuota, KubeBackend):
    """KubeBackend that refuses clusters over the user's group quota."""
