"""Dask Gateway for trainees: a real hub and gateway; schedulers and workers as containers."""

from __future__ import annotations

import errno
import json
import sys

import docker
import docker.errors
import numpy as np
import pandas as pd
import pytest
import requests
import yaml
from ungp_hub.dask.containers import LABEL
from ungp_hub.dask.plan import gateway_id
from ungp_hub.testing.client import HubUser, run_cell
from ungp_hub.testing.hub import free_port_block
from ungp_hub.testing.logs import EXPECTED_HUB_MESSAGES, Allowed, assert_clean_log
from ungp_hub.testing.wait import wait_for

LIMITS = {
    "max_worker_cores": 1,
    "max_worker_memory": "1G",
    "default_worker_memory": "512M",
    "max_workers": 2,
    "max_clusters": 1,
}


def roster(*names: str) -> str:
    return "username,role,course\n" + "".join(f"{name},trainee,demo\n" for name in names)


def dask_objects(client: docker.DockerClient, gateway: str) -> list:
    selector = {"label": [f"{LABEL}.gateway={gateway}"]}
    return client.containers.list(all=True, filters=selector) + client.networks.list(
        filters=selector
    )


def remove_dask_objects(client: docker.DockerClient, gateway: str) -> None:
    for item in dask_objects(client, gateway):
        try:
            item.remove(force=True) if hasattr(item, "status") else item.remove()
        except docker.errors.APIError:
            pass


@pytest.fixture
def dask_hub(hub_factory, unique, docker_client, request):
    hub = hub_factory(
        {
            "dask": {"limits": {"trainee": LIMITS}},
            "profiles": {"trainee": {"cpu": 1.0, "memory": "1G", "pids": 512}},
            # On, as on a real hub: a third-party service, stopped by JupyterHub with SIGINT.
            "culler": {"enabled": True},
        },
        start=False,
    )
    # Gateway ports away from the hub's three (the default, hub port + 3 and + 4, is not
    # checked by free_port_block).
    port = wait_for(
        lambda: (p := free_port_block(2)) and abs(p - hub.port) > 3 and p, 10, "free ports"
    )
    settings = yaml.safe_load(hub.settings_file.read_text())
    settings["dask"].update(port=port, api_port=port + 1)
    hub.settings_file.write_text(yaml.safe_dump(settings))
    frame = pd.DataFrame({"k": np.arange(60_000) % 7, "v": np.arange(60_000, dtype="float64") / 10})
    # An open catalogue domain: notebooks and workers mount only catalogued domains.
    data = hub.state_dir / "data"
    (data / "catalog.yaml").write_text(
        "sources:\n  dasktest:\n    driver: intake.catalog.local.YAMLFileCatalog\n"
        "    metadata: {access: open}\n"
    )
    folder = data / "dasktest"
    folder.mkdir(parents=True)
    for part in range(3):
        frame.iloc[part * 20_000 : (part + 1) * 20_000].to_parquet(folder / f"part-{part}.parquet")
    gateway = gateway_id(hub.state_dir)
    hub.start()
    names = [f"t-{unique}-a", f"t-{unique}-b"]
    passwords = hub.add_people(roster(*names))
    users = []
    for name in names:
        user = HubUser(hub.url, name)
        assert user.login(passwords[name]).status_code == 302
        user.start_server()
        users.append(user)
    for user in users:
        user.wait_ready()
    yield hub, users, frame, gateway
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        for container in docker_client.containers.list(
            all=True, filters={"label": [f"{LABEL}.gateway={gateway}"]}
        ):
            logs = container.logs(tail=60).decode(errors="replace")
            sys.stderr.write(f"\n--- dask container {container.name} ---\n{logs}\n")
    remove_dask_objects(docker_client, gateway)


def cell(hub, user, code: str, timeout: float = 150) -> str:
    return run_cell(hub.url, user.name, user.new_token(), code, timeout=timeout)


def last_json(output: str) -> dict:
    return json.loads([line for line in output.splitlines() if line.startswith("{")][-1])


START = """
import json, warnings
from dask_gateway import Gateway
gateway = Gateway()
cluster = gateway.new_cluster(shutdown_on_close=False)
print(json.dumps({"name": cluster.name, "dashboard": cluster.dashboard_link}))
"""

COMPUTE = """
import json, time, warnings
from dask_gateway import Gateway
import dask.dataframe as dd
gateway = Gateway()
cluster = gateway.connect("{name}")
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    cluster.scale(5)
client = cluster.get_client()
client.wait_for_workers(2, timeout=120)
sums = dd.read_parquet("/srv/data/dasktest/").groupby("k").v.sum().compute()
workers = client.scheduler_info()["workers"]
hosts = sorted(w["host"] for w in workers.values())
try:
    gateway.new_cluster()
    second = "created"
except Exception as error:
    second = str(error)
print(json.dumps({{"sums": {{str(k): v for k, v in sums.items()}}, "workers": len(workers),
    "warnings": [str(w.message) for w in caught], "second": second, "hosts": hosts}}))
"""

MEMORY_HOG = """
import json
import numpy as np
from dask_gateway import Gateway
client = Gateway().connect("{name}").get_client()
def hog(_):
    return float(np.ones(900 * 2**20 // 8).sum())  # 900 MiB in a 512 MiB worker
# Under heavy load the client's stream through the gateway proxy has dropped while the worker
# died ("lost the connection to the scheduler"): that says nothing about the worker, so the
# task is submitted again on a fresh connection.
for attempt in range(2):
    try:
        client.submit(hog, 1, pure=False).result(timeout=150)
        outcome = "finished"
    except Exception as error:
        outcome = f"{{type(error).__name__}}: {{error}}"
    if "connection to the scheduler" not in outcome:
        break
    client.close()
    client = Gateway().connect("{name}").get_client()
client.wait_for_workers(2, timeout=120)
# The same drop was seen while the replacements registered; a second attempt on a fresh
# connection tells a dead cluster apart.
for attempt in range(2):
    try:
        after = client.submit(lambda x: x + 1, 41, pure=False).result(timeout=60)
        break
    except Exception as error:
        after = f"{{type(error).__name__}}: {{error}}"
        client.close()
        client = Gateway().connect("{name}").get_client()
print(json.dumps({{"outcome": outcome, "after": after, "attempts": attempt + 1}}))
"""

OTHER = """
import json, socket
from dask_gateway import Gateway
gateway = Gateway()
result = {{"listed": [c.name for c in gateway.list_clusters()]}}
for action in ("connect", "stop_cluster"):
    try:
        getattr(gateway, action)("{name}")
        result[action] = "allowed"
    except Exception as error:
        result[action] = str(error)
probe = socket.socket(); probe.settimeout(3)
# Reachable hosts answer at once (connected or refused); isolated ones time out or reject.
result["probe"] = probe.connect_ex(("{scheduler_ip}", 8786))
print(json.dumps(result))
"""


def test_trainee_cluster_computes_on_containers_and_is_private(dask_hub, docker_client):
    hub, (owner, other), frame, gateway = dask_hub

    # Too big a worker: refused before anything starts, naming the limit.
    refused = cell(
        hub,
        owner,
        "from dask_gateway import Gateway\n"
        "try:\n    Gateway().new_cluster(worker_memory=4)\nexcept Exception as e:\n"
        "    print('REFUSED', e)\n",
    )
    assert "REFUSED" in refused and "dask.limits.trainee.max_worker_memory" in refused
    assert "1 GiB" in refused

    started = last_json(cell(hub, owner, START))
    name = started["name"]
    assert started["dashboard"] == f"/services/dask-gateway/clusters/{name}/status"
    # The dashboard opens through the hub's public address.
    dashboard = wait_for(
        lambda: (r := requests.get(hub.url + started["dashboard"], timeout=10)).ok and r,
        30,
        "the dashboard through the hub",
    )
    assert "Dask" in dashboard.text

    (scheduler,) = docker_client.containers.list(
        filters={"label": [f"{LABEL}.cluster={name}", f"{LABEL}.role=scheduler"]}
    )
    attrs = scheduler.attrs
    host = attrs["HostConfig"]
    assert attrs["Config"]["Labels"][f"{LABEL}.owner"] == owner.name
    assert attrs["Config"]["Labels"][f"{LABEL}.gateway"] == gateway
    assert host["CapDrop"] == ["ALL"] and host["Privileged"] is False
    assert "no-new-privileges" in host["SecurityOpt"] and host["PidsLimit"] == 512
    assert attrs["Config"]["User"] == "1000"
    networks = attrs["NetworkSettings"]["Networks"]
    assert list(networks) == [f"ungp-dask-{name[:16]}"], "only its own cluster network"
    scheduler_ip = networks[f"ungp-dask-{name[:16]}"]["IPAddress"]

    # Another trainee: does not see it, cannot connect or stop it, cannot reach the scheduler.
    intruder = last_json(
        cell(
            hub,
            other,
            OTHER.format(name=name, scheduler_ip=scheduler_ip),
        )
    )
    assert intruder["listed"] == []
    assert "403" in intruder["connect"] and "Forbidden" in intruder["connect"]
    assert "403" in intruder["stop_cluster"]
    assert intruder["probe"] not in (0, errno.ECONNREFUSED), intruder

    result = last_json(cell(hub, owner, COMPUTE.format(name=name), timeout=200))
    expected = frame.groupby("k").v.sum()
    assert {int(k): v for k, v in result["sums"].items()} == pytest.approx(expected.to_dict())
    assert result["workers"] == 2
    assert any("resource limit of 2 workers" in w for w in result["warnings"]), result
    assert "dask.limits.trainee.max_clusters" in result["second"]

    workers = docker_client.containers.list(
        filters={"label": [f"{LABEL}.cluster={name}", f"{LABEL}.role=worker"]}
    )
    assert len(workers) == 2
    for worker in workers:
        host = worker.attrs["HostConfig"]
        assert host["Memory"] == 512 * 1024**2 and host["NanoCpus"] == 10**9
        mounts = {m["Destination"]: m for m in worker.attrs["Mounts"]}
        assert mounts["/srv/data"]["RW"] is False

    # The owner shuts it down: containers and network are gone.
    cell(hub, owner, f"from dask_gateway import Gateway\nGateway().stop_cluster('{name}')\n")
    wait_for(lambda: not dask_objects(docker_client, gateway), 60, "the cluster's containers")


JOURNEY = """
import json
from dask_gateway import Gateway
gateway = Gateway()
with gateway.new_cluster() as cluster:
    cluster.scale(1)
    client = cluster.get_client()
    total = client.submit(sum, range(10)).result(timeout=120)
    client.close()
running = gateway.new_cluster(shutdown_on_close=False)
print(json.dumps({"total": total, "running": running.name}))
"""

# What a healthy hub still logs at error level during a normal journey; each entry says why.
ALLOWED_LOG_PROBLEMS: list[Allowed] = [*EXPECTED_HUB_MESSAGES]


def test_a_journey_ends_with_a_fast_stop_no_dask_container_and_clean_logs(
    dask_hub, docker_client, user_image, record_property
):
    """Spawn, run a cell, start and stop a cluster, leave one running, stop the hub: it stops
    in <= 10 s, removes every Dask container and network, and no log holds a traceback."""
    hub, (owner, _), _, gateway = dask_hub
    journey = last_json(cell(hub, owner, JOURNEY, timeout=200))
    assert journey["total"] == 45
    name = journey["running"]
    cell(hub, owner, f"from dask_gateway import Gateway\nGateway().connect('{name}').scale(1)\n")
    wait_for(
        lambda: (
            len(docker_client.containers.list(filters={"label": f"{LABEL}.cluster={name}"})) == 2
        ),
        90,
        "scheduler and worker containers",
    )
    seconds = hub.stop(timeout=300)
    record_property("hub_stop_seconds", round(seconds, 1))
    assert dask_objects(docker_client, gateway) == [], "the gateway stops its clusters on exit"
    for log_name, text in hub.logs().items():
        assert_clean_log(text, log_name, ALLOWED_LOG_PROBLEMS)
    assert seconds <= 10, f"the hub took {seconds:.1f} s to stop"

    # A crash leaves containers behind: the next start removes them.
    orphan = docker_client.containers.run(
        user_image,
        ["sleep", "600"],
        entrypoint=[],
        detach=True,
        labels={LABEL: "1", f"{LABEL}.gateway": gateway, f"{LABEL}.cluster": "crashed"},
    )
    hub.start()
    wait_for(lambda: not dask_objects(docker_client, gateway), 60, "the orphan to be removed")
    with pytest.raises(docker.errors.NotFound):
        orphan.reload()


@pytest.mark.slow
def test_worker_killed_for_memory_is_replaced_and_the_task_fails_clearly(dask_hub):
    """A task that needs more memory than a worker has: workers die and are replaced, the task
    fails with Dask's KilledWorker naming it, and the cluster keeps working."""
    hub, (owner, _), _, _ = dask_hub
    name = last_json(cell(hub, owner, START))["name"]
    cell(hub, owner, f"from dask_gateway import Gateway\nGateway().connect('{name}').scale(2)\n")
    hogged = last_json(cell(hub, owner, MEMORY_HOG.format(name=name), timeout=300))
    assert hogged["outcome"].startswith("KilledWorker") and "hog" in hogged["outcome"], hogged
    assert hogged["after"] == 42, hogged
