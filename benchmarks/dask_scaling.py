"""Dask Gateway from a trainee's notebook: time to a ready 2-worker cluster, and a group-by over
Parquet on that cluster versus single-process pandas, in the same run and the same container.

A real hub (our configuration, the built user image) starts on free ports; one trainee's
notebook creates the cluster through the gateway, scales to 2 workers (1 core each), and runs a
sum/mean/count group-by over ROWS rows of Parquet from the read-only data mount; the same
aggregation then runs in the notebook with plain pandas (its container limited to 1 core, as a
trainee's). Prints seconds and rows/s for both and the ratio. Targets: ready <= 20 s.

    .venv/bin/python benchmarks/dask_scaling.py                 # 20 million rows
    .venv/bin/python benchmarks/dask_scaling.py --rows 2000000  # quick check

Needs `ungp images build --settings settings/demo.yaml` first (it reads state/images.json).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import docker
import docker.errors
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from ungp_hub.dask.containers import LABEL
from ungp_hub.dask.plan import gateway_id
from ungp_hub.images.user import read_built_images
from ungp_hub.state import StateDir
from ungp_hub.testing.client import HubUser, run_cell
from ungp_hub.testing.hub import RunningHub, free_port_block, write_settings

REPO = Path(__file__).resolve().parents[1]
FILES = 20
GROUPS = 1000

NOTEBOOK = """
import json, time
import pandas as pd
import dask.dataframe as dd
from dask_gateway import Gateway

path = "/srv/data/bench/"
t0 = time.perf_counter()
gateway = Gateway()
cluster = gateway.new_cluster(worker_cores=1, worker_memory={memory})
cluster.scale(2)
client = cluster.get_client()
client.wait_for_workers(2, timeout=300)
ready = time.perf_counter() - t0

def aggregate(frame):
    return frame.groupby("k").agg(total=("v", "sum"), mean=("v", "mean"), n=("v", "count"))

# First run on fresh workers (imports, file metadata), then the same again, warm.
t0 = time.perf_counter()
aggregate(dd.read_parquet(path, columns=["k", "v"])).compute()
cold_s = time.perf_counter() - t0
t0 = time.perf_counter()
on_cluster = aggregate(dd.read_parquet(path, columns=["k", "v"])).compute()
cluster_s = time.perf_counter() - t0
cluster.shutdown()

t0 = time.perf_counter()
local = aggregate(pd.read_parquet(path, columns=["k", "v"]))
pandas_s = time.perf_counter() - t0
same = bool((on_cluster.sort_index()["n"] == local.sort_index()["n"]).all())
print(json.dumps({{"ready_s": ready, "cold_s": cold_s, "cluster_s": cluster_s, "pandas_s": pandas_s,
                  "rows": int(local["n"].sum()), "same": same}}))
"""


def write_dataset(data: Path, rows: int) -> None:
    """ROWS rows in FILES Parquet files (a key with GROUPS values, a float), as one domain."""
    (data / "catalog.yaml").write_text(
        "sources:\n  bench:\n    driver: intake.catalog.local.YAMLFileCatalog\n"
        "    metadata: {access: open}\n"
    )
    folder = data / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(20)
    per_file = rows // FILES
    for part in range(FILES):
        table = pa.table(
            {
                "k": rng.integers(0, GROUPS, per_file, dtype=np.int32),
                "v": rng.normal(100, 15, per_file),
                "label": pa.array(rng.integers(0, 50, per_file).astype(str)),
            }
        )
        pq.write_table(table, folder / f"part-{part:02d}.parquet", row_group_size=250_000)


def cleanup(client: docker.DockerClient, gateway: str) -> None:
    for container in client.containers.list(all=True, filters={"label": "ungp.bench=dask"}):
        container.remove(force=True, v=True)
    selector = {"label": [f"{LABEL}.gateway={gateway}"]}
    for container in client.containers.list(all=True, filters=selector):
        container.remove(force=True)
    for network in client.networks.list(filters=selector):
        network.remove()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000_000)
    parser.add_argument("--worker-memory", type=float, default=2.0, help="GiB per worker")
    args = parser.parse_args()
    images = read_built_images(REPO / "state")
    if not images:
        sys.exit("run `ungp images build --settings settings/demo.yaml` first")
    client = docker.from_env()
    with tempfile.TemporaryDirectory(prefix="dask-bench-") as workdir:
        state = Path(workdir) / "state"
        StateDir(state).ensure()
        (state / "images.json").write_text((REPO / "state" / "images.json").read_text())
        write_dataset(state / "data", args.rows)
        port, dask_port = free_port_block(), free_port_block(2)
        limits = {"max_worker_cores": 1, "max_worker_memory": "3G", "max_workers": 2}
        settings = write_settings(
            state,
            port,
            {
                "docker": {"network": "ungp-bench", "subnet": "172.30.97.0/24"},
                "profiles": {"trainee": {"cpu": 1.0, "memory": "4G", "pids": 512}},
                "dask": {
                    "port": dask_port,
                    "api_port": dask_port + 1,
                    "limits": {"trainee": limits},
                },
            },
        )
        config = Path(workdir) / "ungp_config.py"
        config.write_text(
            f"exec(compile(open({str(REPO / 'jupyterhub_config.py')!r}).read(), 'cfg', 'exec'))\n"
            "c.UngpDockerSpawner.extra_create_kwargs = {'labels': {'ungp.bench': 'dask'}}\n"
        )
        hub = RunningHub(state, settings, config, port).start()
        try:
            passwords = hub.add_people("username,role\nbenchdask,trainee\n")
            user = HubUser(hub.url, "benchdask")
            user.login(passwords["benchdask"])
            user.start_server()
            user.wait_ready()
            code = NOTEBOOK.format(memory=args.worker_memory)
            output = run_cell(hub.url, user.name, user.new_token(), code, timeout=1800)
            result = json.loads([line for line in output.splitlines() if line.startswith("{")][-1])
        finally:
            hub.stop()
            cleanup(client, gateway_id(state))
    rows = result["rows"]
    assert rows == args.rows // FILES * FILES and result["same"], result
    cluster_rate, pandas_rate = rows / result["cluster_s"], rows / result["pandas_s"]
    print(f"cluster ready (2 workers)  {result['ready_s']:8.1f} s   (target <= 20 s)")
    cold_rate = rows / result["cold_s"]
    print(
        f"group-by on the cluster    {result['cold_s']:8.1f} s  {cold_rate:14,.0f} rows/s  (cold)"
    )
    print(f"group-by on the cluster    {result['cluster_s']:8.1f} s  {cluster_rate:14,.0f} rows/s")
    print(f"group-by with pandas       {result['pandas_s']:8.1f} s  {pandas_rate:14,.0f} rows/s")
    print(f"cluster / pandas           {cluster_rate / pandas_rate:8.2f} x  ({rows:,} rows, warm)")


if __name__ == "__main__":
    main()
