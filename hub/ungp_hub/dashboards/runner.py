"""Run a notebook with papermill in a fresh container of the user image, never on the hub.

The container has no network, no home volume and only the owner's read-only data mounts;
the notebook and its parameters go in with ``put_archive`` and the executed notebook (and,
for public dashboards, its static HTML render) come back with ``get_archive``.
"""

from __future__ import annotations

import asyncio
import io
import json
import re
import tarfile
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from ..spawner.data_mounts import data_volumes
from .assets import shell_words
from .errors import EngineUnavailable

WORKDIR = "/tmp/dashboard-run"
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
RUN_SCRIPT = """
cd {workdir}
papermill --no-progress-bar -k python3 -f parameters.json source.ipynb output.ipynb \
  > papermill.log 2>&1
code=$?
if [ $code -eq 0 ] && [ "$UNGP_RENDER_HTML" = 1 ]; then
  JUPYTER_PATH="$(python -c 'import ungp_hub.dashboards.assets as a; print(a.TEMPLATES_ROOT)')" \
  jupyter nbconvert --to html --no-input {render_options} --output index output.ipynb \
    >> papermill.log 2>&1 \
    || code=3
fi
exit $code
"""


@dataclass
class RunLimits:
    image: str
    cpu: float = 2.0
    memory_bytes: int = 4 * 1024**3
    pids: int = 1024
    timeout: float = 600
    volumes: dict[str, dict[str, Any]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    # nbconvert flags for the public page (assets.exporter_options: scripts from the hub)
    render_options: list[str] = field(default_factory=list)


@dataclass
class RunResult:
    ok: bool
    duration_s: float
    output: bytes | None
    html: bytes | None
    error: str


def notebook_error(output: bytes | None, log: str) -> str:
    """The notebook's own error (exception name, message, last traceback lines), else the log."""
    if output:
        try:
            notebook = json.loads(output)
        except ValueError:
            notebook = {}
        for cell in notebook.get("cells", []):
            for item in cell.get("outputs", []):
                if item.get("output_type") == "error":
                    trace = ANSI.sub("", "\n".join(item.get("traceback", [])))
                    tail = "\n".join(trace.strip().splitlines()[-12:])
                    return f"{item.get('ename')}: {item.get('evalue')}\n{tail}".strip()
    lines = ANSI.sub("", log).strip().splitlines()
    return "\n".join(lines[-15:]) or "the run failed without a message"


def _archive(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        folder = tarfile.TarInfo(WORKDIR.strip("/"))
        folder.type, folder.mode, folder.uid, folder.gid = tarfile.DIRTYPE, 0o755, 1000, 1000
        tar.addfile(folder)
        for name, data in files.items():
            info = tarfile.TarInfo(f"{WORKDIR.strip('/')}/{name}")
            info.size, info.mode, info.uid, info.gid = len(data), 0o644, 1000, 1000
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _read(container, path: str) -> bytes | None:  # noqa: ANN001 - docker's Container
    import docker.errors

    try:
        chunks, _stat = container.get_archive(path)
    except docker.errors.NotFound:
        return None
    with tarfile.open(fileobj=io.BytesIO(b"".join(chunks))) as tar:
        member = tar.getmembers()[0]
        handle = tar.extractfile(member)
        return handle.read() if handle else None


def run_notebook(
    client,  # noqa: ANN001 - docker.DockerClient
    limits: RunLimits,
    source: bytes,
    parameters: dict[str, Any],
    render_html: bool,
) -> RunResult:
    """Execute ``source`` with ``parameters``; never raises for a failing notebook."""
    import docker.errors
    import requests.exceptions

    started = time.monotonic()
    container = client.containers.create(
        limits.image,
        command=[
            "sh",
            "-c",
            RUN_SCRIPT.format(workdir=WORKDIR, render_options=shell_words(limits.render_options)),
        ],
        entrypoint=["tini", "-g", "--"],
        name=f"ungp-dashboard-run-{uuid.uuid4().hex[:10]}",
        user="1000",
        environment={"UNGP_RENDER_HTML": "1" if render_html else "0", "HOME": "/tmp"},
        network_mode="none",
        labels={"org.ungp.dashboard-run": "1", **limits.labels},
        volumes=limits.volumes,
        nano_cpus=int(limits.cpu * 1e9),
        mem_limit=limits.memory_bytes,
        pids_limit=limits.pids,
        cap_drop=["ALL"],
        security_opt=["no-new-privileges"],
    )
    try:
        files = {"source.ipynb": source, "parameters.json": json.dumps(parameters).encode()}
        container.put_archive("/", _archive(files))
        container.start()
        try:
            code = container.wait(timeout=limits.timeout)["StatusCode"]
        except (requests.exceptions.ReadTimeout, requests.exceptions.ConnectionError):
            container.kill()
            return RunResult(
                False,
                time.monotonic() - started,
                None,
                None,
                f"the notebook did not finish within {limits.timeout:.0f} s",
            )
        output = _read(container, f"{WORKDIR}/output.ipynb")
        html = _read(container, f"{WORKDIR}/index.html") if render_html and code == 0 else None
        log = (_read(container, f"{WORKDIR}/papermill.log") or b"").decode(errors="replace")
        if container.reload() or container.attrs["State"].get("OOMKilled"):
            return RunResult(
                False, time.monotonic() - started, output, None, "the notebook ran out of memory"
            )
        duration = time.monotonic() - started
        if code != 0:
            return RunResult(False, duration, output, None, notebook_error(output, log))
        return RunResult(True, duration, output, html, "")
    finally:
        try:
            container.remove(force=True)
        except docker.errors.APIError:
            pass


def container_runner(config: dict[str, Any], render_options: list[str] | None = None):  # noqa: ANN201
    """Run notebooks in containers of the user image, with the owner's data mounts.

    `render_options`: nbconvert flags for public pages (assets.exporter_options).
    """

    def run_sync(source: bytes, parameters: dict, html: bool, groups: list[str]) -> RunResult:
        from ..engine import docker_client_or_none

        client = docker_client_or_none(timeout=60)  # a busy engine is slow, not gone
        if client is None:
            raise EngineUnavailable()
        volumes = {}
        if config.get("data_host_path"):
            volumes = data_volumes(
                config["data_host_path"],
                config["data_mount"],
                groups,
                config.get("restricted_groups", {}),
                config.get("data_view_path") or None,
            )
        limits = RunLimits(
            image=config["image"],
            cpu=float(config["cpu"]),
            memory_bytes=int(config["memory_bytes"]),
            pids=int(config["pids"]),
            timeout=float(config["run_timeout"]),
            volumes=volumes,
            labels=dict(config.get("labels", {})),
            render_options=list(render_options or []),
        )
        return run_notebook(client, limits, source, parameters, html)

    async def run(source: bytes, parameters: dict, html: bool, groups: list[str]) -> RunResult:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, run_sync, source, parameters, html, groups)

    return run
