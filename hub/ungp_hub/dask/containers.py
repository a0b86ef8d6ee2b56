"""Schedulers and workers as containers of the user image: dask-gateway's DBBackendBase + Docker.

Never processes on the hub host: each cluster gets its own bridge network, and each scheduler and
worker is a container with CPU, memory and pids limits, no capabilities, no privileges, the
unprivileged image user and the same read-only data mount as notebooks. Every container and
network is labelled with this gateway's id, so the ones a crashed gateway left behind are found
and removed when it starts again. Docker SDK calls are blocking: they run in threads.
"""

from __future__ import annotations

import asyncio
import io
import tarfile
import time

import docker
import docker.errors
from dask_gateway_server.backends.base import ClusterConfig
from dask_gateway_server.backends.db_base import DBBackendBase
from dask_gateway_server.traitlets import Command, Type
from traitlets import Dict, Float, Integer, List, Unicode

from ..spawner.data_mounts import data_volumes
from .hang_ups import CancelOnHangUp
from .networks import create_cluster_network, remove_network
from .quota import ClusterQuota
from .tls_errors import ENV as TLS_CLEAR_ERRORS

LABEL = "org.ungp.dask"
CERT_DIR = "/tmp/dask-gateway"


class ContainerClusterConfig(ClusterConfig):
    """Cluster settings for the container backend: the image's `dask` command line."""

    scheduler_cmd = Command(
        ["dask", "scheduler"], help="Command that starts a scheduler inside the image."
    ).tag(config=True)
    worker_cmd = Command(
        ["dask", "worker"], help="Command that starts a worker (with its nanny) in the image."
    ).tag(config=True)
    owner_groups = List(
        Unicode(),
        help="""The owner's JupyterHub groups when the cluster was created (set by the cluster
        options, not by an admin): they decide which catalogue domains the workers mount, exactly
        as for the owner's notebook.""",
    ).tag(config=True)


def tls_archive(cert: bytes, key: bytes, uid: int) -> bytes:
    """A tar with dask-gateway/dask.crt and dask.pem owned by uid, readable only by it."""
    buffer = io.BytesIO()
    now = time.time()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        folder = tarfile.TarInfo("dask-gateway")
        folder.type, folder.mode, folder.uid, folder.gid, folder.mtime = (
            tarfile.DIRTYPE,
            0o700,
            uid,
            uid,
            now,
        )
        tar.addfile(folder)
        for name, data in (("dask.crt", cert), ("dask.pem", key)):
            info = tarfile.TarInfo(f"dask-gateway/{name}")
            info.size, info.mode, info.uid, info.gid, info.mtime = len(data), 0o600, uid, uid, now
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


class ContainerBackend(CancelOnHangUp, ClusterQuota, DBBackendBase):
    """Dask clusters as hardened containers of the user image, one private network each."""

    cluster_config_class = Type(
        "ungp_hub.dask.containers.ContainerClusterConfig",
        klass="dask_gateway_server.backends.base.ClusterConfig",
        help="The cluster config class (sizes, commands, idle timeout).",
        config=True,
    )

    image = Unicode(
        "",
        help="Image of schedulers and workers: the user image, so workers have the "
        "notebook's libraries. Required.",
    ).tag(config=True)

    data_host_path = Unicode(
        "",
        help="Host folder mounted read-only at data_mount_path in every scheduler and worker "
        "(the notebooks' data mount). Empty: no data mount.",
    ).tag(config=True)

    data_mount_path = Unicode("/srv/data", help="Where the data appears in containers.").tag(
        config=True
    )

    data_view_path = Unicode(
        "",
        help="Host folder of placeholders mounted at data_mount_path, under which each visible "
        "catalogue domain is mounted (the notebooks' UngpDockerSpawner.data_view_path).",
    ).tag(config=True)

    restricted_groups = Dict(
        help="Restricted catalogue domains -> group patterns that see them (the notebooks' "
        "UngpDockerSpawner.restricted_groups): workers see what their owner's notebook sees.",
    ).tag(config=True)

    container_uid = Integer(1000, help="Unprivileged user id the Dask processes run as.").tag(
        config=True
    )

    pids_limit = Integer(
        512, help="Most processes and threads in one scheduler or worker container."
    ).tag(config=True)

    memory_fraction = Float(
        0.85,
        help="Share of a worker container's memory limit given to Dask's --memory-limit. The "
        "rest is for the nanny and the interpreter, so Dask's own memory management (spill, "
        "pause, restart at 95 %) acts before the kernel's OOM killer. 1.0: all of it.",
    ).tag(config=True)

    subnet_pool = Unicode(
        "10.213.0.0/16", help="Address range the per-cluster networks are cut from."
    ).tag(config=True)

    cluster_subnet_prefix = Integer(
        26, help="Prefix length of each cluster's network (26: 61 containers)."
    ).tag(config=True)

    bridge_prefix = Unicode(
        "",
        help="Start of the name of every cluster's bridge (the users' network tag and a dash, "
        "set by the hub), which the hub's containment rules match. Empty: Docker's br-<id>, "
        "which no containment rule covers.",
    ).tag(config=True)

    gateway_id = Unicode(
        "default",
        help="Label value that marks this gateway's containers and networks, so that a restart "
        "removes only its own orphans (several hubs may share one Docker engine).",
    ).tag(config=True)

    extra_labels = Dict(help="More labels on every container and network.").tag(config=True)

    docker_timeout = Integer(60, help="Seconds to wait for one Docker API call.").tag(config=True)

    default_host = "0.0.0.0"

    # -- life cycle --------------------------------------------------------------------------
    async def do_setup(self) -> None:
        self.docker = docker.from_env(timeout=self.docker_timeout)
        self._network_lock = asyncio.Lock()
        removed = await asyncio.to_thread(self.remove_orphans)
        if removed:
            self.log.warning("Removed %d Dask containers/networks left by a previous run", removed)

    async def do_cleanup(self) -> None:
        if hasattr(self, "docker"):
            self.docker.close()

    def remove_orphans(self) -> int:
        """Remove this gateway's containers and networks of clusters it does not know as active."""
        active = {cluster.name for cluster in self.db.active_clusters()}
        selector = {"label": [f"{LABEL}.gateway={self.gateway_id}"]}
        removed = 0
        for container in self.docker.containers.list(all=True, filters=selector):
            if container.labels.get(f"{LABEL}.cluster") not in active:
                self._remove_container(container.id)
                removed += 1
        for network in self.docker.networks.list(filters=selector):
            if network.attrs.get("Labels", {}).get(f"{LABEL}.cluster") not in active:
                remove_network(self.docker, network.name)
                removed += 1
        return removed

    # -- what dask-gateway asks of a backend -------------------------------------------------
    def get_tls_paths(self, cluster):
        return f"{CERT_DIR}/dask.crt", f"{CERT_DIR}/dask.pem"

    def worker_nthreads_memory_limit_args(self, cluster):
        memory = int(cluster.config.worker_memory * self.memory_fraction)
        return str(cluster.config.worker_threads), str(memory)

    async def do_start_cluster(self, cluster):
        network = f"ungp-dask-{cluster.name[:16]}"
        async with self._network_lock:
            subnet = await asyncio.to_thread(
                create_cluster_network,
                self.docker,
                network,
                self.subnet_pool,
                self.cluster_subnet_prefix,
                self.labels(cluster, "network"),
                self.bridge_prefix,
            )
        state = {"network": network, "subnet": subnet}
        yield state
        container = await asyncio.to_thread(
            self._run,
            cluster,
            network,
            role="scheduler",
            name=f"ungp-dask-{cluster.name[:16]}-scheduler",
            command=self.get_scheduler_command(cluster),
            env=self.get_scheduler_env(cluster),
            cores=cluster.config.scheduler_cores,
            memory=cluster.config.scheduler_memory,
        )
        yield {**state, "container": container}

    async def do_stop_cluster(self, cluster):
        await asyncio.to_thread(self._remove_cluster, cluster.name, cluster.state.get("network"))

    async def do_check_clusters(self, clusters):
        return await asyncio.to_thread(
            lambda: [self._is_running(c.state.get("container")) for c in clusters]
        )

    async def do_start_worker(self, worker):
        cluster = worker.cluster
        container = await asyncio.to_thread(
            self._run,
            cluster,
            cluster.state["network"],
            role="worker",
            name=f"ungp-dask-{cluster.name[:16]}-worker-{worker.name[:8]}",
            command=self.get_worker_command(cluster, worker.name),
            env=self.get_worker_env(cluster),
            cores=cluster.config.worker_cores,
            memory=cluster.config.worker_memory,
            worker=worker.name,
        )
        yield {"container": container}

    async def do_stop_worker(self, worker):
        if worker.state.get("container"):
            await asyncio.to_thread(self._remove_container, worker.state["container"])

    async def do_check_workers(self, workers):
        return await asyncio.to_thread(
            lambda: [self._is_running(w.state.get("container")) for w in workers]
        )

    # -- Docker ------------------------------------------------------------------------------
    def labels(self, cluster, role: str, worker: str = "") -> dict[str, str]:
        labels = {
            **self.extra_labels,
            LABEL: "1",
            f"{LABEL}.gateway": self.gateway_id,
            f"{LABEL}.owner": cluster.username,
            f"{LABEL}.cluster": cluster.name,
            f"{LABEL}.role": role,
        }
        if worker:
            labels[f"{LABEL}.worker"] = worker
        return labels

    def _run(self, cluster, network, *, role, name, command, env, cores, memory, worker=""):
        volumes = {}
        if self.data_host_path:
            volumes = data_volumes(
                self.data_host_path,
                self.data_mount_path,
                cluster.config.get("owner_groups", []),
                self.restricted_groups,
                self.data_view_path or None,
            )
        container = self.docker.containers.create(
            self.image,
            command=command,
            name=name,
            hostname=role,
            environment={**env, "DASK_TEMPORARY_DIRECTORY": "/tmp", TLS_CLEAR_ERRORS: "1"},
            labels=self.labels(cluster, role, worker),
            user=str(self.container_uid),
            working_dir="/tmp",
            network=network,
            volumes=volumes,
            mem_limit=int(memory),
            memswap_limit=int(memory),
            nano_cpus=int(float(cores) * 1e9),
            pids_limit=self.pids_limit,
            cap_drop=["ALL"],
            security_opt=["no-new-privileges"],
            privileged=False,
            detach=True,
        )
        try:
            archive = tls_archive(cluster.tls_cert, cluster.tls_key, self.container_uid)
            container.put_archive("/tmp", archive)
            container.start()
        except Exception:
            self._remove_container(container.id)
            raise
        self.log.info("Started %s %s of %s (%s)", role, name, cluster.name, cluster.username)
        return container.id

    def _is_running(self, container_id: str | None) -> bool:
        if not container_id:
            return False
        try:
            return self.docker.containers.get(container_id).status in ("created", "running")
        except docker.errors.NotFound:
            return False

    def _remove_container(self, container_id: str) -> None:
        try:
            self.docker.containers.get(container_id).remove(force=True)
        except docker.errors.NotFound:
            pass
        except docker.errors.APIError as error:
            if "already in progress" not in str(error):
                raise

    def _remove_cluster(self, cluster_name: str, network: str | None) -> None:
        # Twice: a worker whose start was in flight (gateway shutting down) may appear after
        # the first listing; anything still left is an orphan for the next start to remove.
        selector = {"label": [f"{LABEL}.cluster={cluster_name}"]}
        for _ in range(2):
            for container in self.docker.containers.list(all=True, filters=selector):
                self._remove_container(container.id)
        if network:
            try:
                remove_network(self.docker, network)
            except docker.errors.APIError as error:
                self.log.warning("Network %s not removed yet: %s", network, error)
