"""A Dask cluster from the hub's Dask Gateway, or a local one when there is no gateway.

On the hub the spawner sets ``DASK_GATEWAY__ADDRESS`` (and the proxy address and
``jupyterhub`` auth type) in every user container; ``dask.config`` turns those variables into
``gateway.address`` etc., so ``Gateway()`` needs no argument. Elsewhere (a laptop, the tests,
the USB kit without the gateway service) a ``LocalCluster`` of worker processes on this
machine teaches the same API: partitions, the task graph, the dashboard.
"""

from __future__ import annotations

from typing import Any


class ClusterUnavailable(RuntimeError):
    """A gateway address is configured but no cluster could be started from it."""


def gateway_address() -> str | None:
    """The Dask Gateway this container should use, or None when none is configured."""
    import dask.config

    # The environment as it is now (dask.config read it once, at import), without
    # dask.config.refresh(), which would also drop what the notebook set with dask.config.set.
    from_env = (dask.config.collect_env().get("gateway") or {}).get("address")
    return from_env or dask.config.get("gateway.address", default=None) or None


def open_cluster(
    n_workers: int = 2,
    *,
    worker_cores: int = 1,
    worker_memory: float | None = None,
    local: bool | None = None,
    processes: bool = False,
) -> Any:
    """Start a cluster of ``n_workers`` workers and return it (use ``cluster.get_client()``).

    ``worker_memory`` is in GiB (None: the gateway's default for your group; locally, a share
    of this machine's memory). ``local=None`` picks the gateway when one is configured,
    ``True`` forces a LocalCluster (e.g. for a quick test), ``False`` requires the gateway.
    A local cluster runs its workers as threads of this kernel unless ``processes=True``:
    it starts in a second and shares the kernel's imports, where worker processes each
    import pandas, pyarrow and the catalogue reader again (many seconds on a busy
    2-core machine); memory limits and spilling only apply with processes.
    Shut the cluster down when done (``cluster.close()``): a gateway cluster holds cores that
    other trainees are waiting for until its idle timeout.
    """
    address = gateway_address()
    if local is None:
        local = address is None
    if local:
        from dask.distributed import LocalCluster

        memory = f"{worker_memory}GiB" if worker_memory else "auto"
        return LocalCluster(
            n_workers=n_workers,
            threads_per_worker=worker_cores,
            processes=processes,
            memory_limit=memory,
            dashboard_address=":0",
        )
    if address is None:
        raise ClusterUnavailable(
            "no Dask Gateway is configured in this container (DASK_GATEWAY__ADDRESS is not "
            "set): use open_cluster(local=True), or ask the hub admin to enable the "
            "`dask` settings section."
        )
    from dask_gateway import Gateway

    options = {"worker_cores": worker_cores}
    if worker_memory:
        options["worker_memory"] = worker_memory
    try:
        cluster = Gateway().new_cluster(**options)
    except Exception as err:  # the gateway's reason (a limit, a quota) is in the message
        raise ClusterUnavailable(
            f"the Dask Gateway at {address} refused a new cluster: {err}. Shut down clusters "
            "you no longer need (Gateway().list_clusters()) or ask for smaller workers."
        ) from err
    cluster.scale(n_workers)
    return cluster
