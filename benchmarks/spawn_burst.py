"""Spawn burst: N trainees log in at once, start servers, run one cell, stop.

Runs the same burst against stock JupyterHub + DockerSpawner with a minimal JupyterLab image
(the baseline, in the same run) and against ungp-hub with its user image, and prints for both:
p50/p95/max time from login to a ready server, time until all are ready, hub API p95 latency
during the burst, failures, and memory per idle server (kernel stopped). Targets on the 2-core
machine: 30 trainees all ready in <= 90 s, 0 failures, <= 200 MB per idle server.

    .venv/bin/python benchmarks/spawn_burst.py [--users 30] [--only ungp|baseline]
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import docker
import requests
from ungp_hub.images import base as base_image
from ungp_hub.images.user import _docker_build, read_built_images
from ungp_hub.state import StateDir
from ungp_hub.testing.client import HubUser, run_cell
from ungp_hub.testing.hub import RunningHub, free_port_block, write_settings
from ungp_hub.testing.wait import wait_for

REPO = Path(__file__).resolve().parents[1]
BASELINE_CONFIG = REPO / "benchmarks" / "baseline" / "jupyterhub_config.py"
PROXY = Path(sys.prefix) / "node" / "node_modules" / ".bin" / "configurable-http-proxy"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else 0


def one_trainee(url: str, name: str, password: str, started: float) -> dict:
    user = HubUser(url, name)
    result = {"name": name, "ok": False}
    try:
        if user.login(password).status_code != 302:
            raise RuntimeError("login failed")
        user.start_server()
        user.wait_ready(timeout=600)
        result["ready_s"] = time.monotonic() - started
        token = user.new_token()
        out = run_cell(url, name, token, "print(5 * 4)", timeout=300)
        result["ok"] = "20" in out
        result["cell_s"] = time.monotonic() - started
    except Exception as error:  # noqa: BLE001 - a benchmark counts failures, it does not stop
        result["error"] = repr(error)[:200]
    return result


def api_latency_probe(url: str, token: str, stop: threading.Event, samples: list[float]) -> None:
    headers = {"Authorization": f"token {token}"}
    while not stop.is_set():
        t0 = time.monotonic()
        try:
            requests.get(f"{url}/hub/api/users", headers=headers, timeout=30)
            samples.append(time.monotonic() - t0)
        except requests.RequestException:
            pass
        stop.wait(0.5)


def idle_memory_mib(client: docker.DockerClient, label: str) -> list[float]:
    sizes = []
    for container in client.containers.list(filters={"label": label}):
        stats = container.stats(stream=False)
        usage = stats["memory_stats"].get("usage", 0)
        cache = stats["memory_stats"].get("stats", {}).get("cache", 0)
        sizes.append((usage - cache) / 1024**2)
    return sizes


def burst(url: str, passwords: dict[str, str], admin_token: str, label: str) -> dict:
    client = docker.from_env()
    samples: list[float] = []
    stop = threading.Event()
    probe = threading.Thread(target=api_latency_probe, args=(url, admin_token, stop, samples))
    started = time.monotonic()
    probe.start()
    with ThreadPoolExecutor(max_workers=len(passwords)) as pool:
        results = list(
            pool.map(lambda item: one_trainee(url, item[0], item[1], started), passwords.items())
        )
    stop.set()
    probe.join()
    time.sleep(5)  # let the servers settle after their kernels stopped
    memory = idle_memory_mib(client, label)
    ready = [r["ready_s"] for r in results if "ready_s" in r]
    headers = {"Authorization": f"token {admin_token}"}
    for name in passwords:
        requests.delete(f"{url}/hub/api/users/{name}/server", headers=headers, timeout=60)
    return {
        "users": len(passwords),
        "failures": sum(not r["ok"] for r in results),
        "errors": [r["error"] for r in results if "error" in r][:3],
        "p50": statistics.median(ready) if ready else float("nan"),
        "p95": percentile(ready, 0.95),
        "max": max(ready) if ready else float("nan"),
        "all_cells_done": max((r.get("cell_s", 0) for r in results), default=0),
        "api_p95_ms": percentile(samples, 0.95) * 1000,
        "idle_mib": statistics.median(memory) if memory else float("nan"),
    }


def run_ungp(users: int, workdir: Path) -> dict:
    state = workdir / "ungp"
    StateDir(state).ensure()
    demo_images = read_built_images(REPO / "state")
    if not demo_images:
        sys.exit("run `ungp images build --settings settings/demo.yaml` first")
    (state / "images.json").write_text((REPO / "state" / "images.json").read_text())
    port = free_port_block()
    settings = write_settings(
        state, port, {"docker": {"network": "ungp-bench", "subnet": "172.30.98.0/24"}}
    )
    config = workdir / "ungp_config.py"
    config.write_text(
        f"exec(compile(open({str(REPO / 'jupyterhub_config.py')!r}).read(), 'cfg', 'exec'))\n"
        "c.UngpDockerSpawner.extra_create_kwargs = {'labels': {'ungp.bench': 'ungp'}}\n"
        "c.Spawner.start_timeout = 600\nc.Spawner.http_timeout = 600\n"
    )
    hub = RunningHub(state, settings, config, port).start()
    try:
        roster = "username,role\n" + "".join(f"bench{i:03d},trainee\n" for i in range(users))
        passwords = hub.add_people(roster)
        token = StateDir(state).secret("cli-api-token")
        return burst(hub.url, passwords, token, "ungp.bench=ungp")
    finally:
        hub.stop()
        _remove(label="ungp.bench=ungp")


def run_baseline(users: int, workdir: Path) -> dict:
    import os
    import subprocess

    client = docker.from_env()
    tag = "ungp/bench-baseline:1"
    try:
        client.images.get(tag)
    except docker.errors.ImageNotFound:
        with tempfile.TemporaryDirectory() as context:
            ctx = Path(context)
            (ctx / "Dockerfile").write_text((REPO / "benchmarks/baseline/Dockerfile").read_text())
            subprocess.run(
                ["cp", "-r", str(REPO / "build/wheelhouse"), str(ctx / "wheels")], check=True
            )
            _docker_build(
                client, ctx, tag, {"BASE_IMAGE": base_image.base_image_name("trixie")}, print
            )
    state = workdir / "baseline"
    state.mkdir(parents=True)
    port = free_port_block()
    password, token = secrets.token_hex(8), secrets.token_hex(16)
    env = {
        **os.environ,
        "BASELINE_PORT": str(port),
        "BASELINE_STATE": str(state),
        "BASELINE_IMAGE": tag,
        "BASELINE_PASSWORD": password,
        "BASELINE_TOKEN": token,
        "UNGP_PROXY_COMMAND": str(PROXY),
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
    }
    log = open(state / "hub.log", "wb")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "jupyterhub", "-f", str(BASELINE_CONFIG)],
        cwd=state,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: requests.get(f"{url}/hub/api/", timeout=2).ok, 120, "the baseline hub")
        passwords = {f"base{i:03d}": password for i in range(users)}
        result = burst(url, passwords, token, "ungp.bench=1")
        if result["failures"]:
            print((state / "hub.log").read_text()[-3000:])
        return result
    finally:
        process.terminate()
        process.wait(timeout=60)
        _remove(label="ungp.bench=1")


def _remove(label: str) -> None:
    client = docker.from_env()
    for container in client.containers.list(all=True, filters={"label": label}):
        container.remove(force=True, v=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--only", choices=["ungp", "baseline"])
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory(prefix="spawn-burst-") as workdir:
        if args.only != "ungp":
            results["baseline (stock DockerSpawner, minimal image)"] = run_baseline(
                args.users, Path(workdir)
            )
        if args.only != "baseline":
            results["ungp-hub (user image, profiles, hardening)"] = run_ungp(
                args.users, Path(workdir)
            )
    print(f"\nspawn burst: {args.users} trainees at once on {__import__('os').cpu_count()} cores")
    columns = ("p50 s", "p95 s", "max s", "cells s", "API p95 ms", "fail", "idle MiB")
    print(f"{'':48} " + " ".join(f"{column:>10}" for column in columns))
    for name, r in results.items():
        values = (r["p50"], r["p95"], r["max"], r["all_cells_done"], r["api_p95_ms"])
        figures = " ".join(f"{value:10.1f}" for value in values)
        print(f"{name:48} {figures} {r['failures']:10d} {r['idle_mib']:10.0f}")
        for error in r["errors"]:
            print(f"    error: {error}")
    if len(results) == 2:
        base, ours = results.values()
        print(
            f"ratio ungp/baseline: all ready {ours['max'] / base['max']:.2f}x, "
            f"idle memory {ours['idle_mib'] / base['idle_mib']:.2f}x"
        )


if __name__ == "__main__":
    main()
