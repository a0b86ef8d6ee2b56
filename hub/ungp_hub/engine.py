"""The Docker engine: find it, and on a Debian/Ubuntu machine as root, install and start it.

Like TLJH's installer, ``ungp hub run`` installs what it needs when it can; when it cannot
(not root, not Debian), it says how and the hub falls back to demo mode.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import docker
import docker.errors


def docker_client_or_none(timeout: int = 5) -> docker.DockerClient | None:
    try:
        client = docker.from_env(timeout=timeout)
        client.ping()
        return client
    except Exception:  # noqa: BLE001 - any failure means "no usable engine"
        return None


def how_to_get_docker() -> str:
    return (
        "No Docker engine answers. Install and start one: on Debian/Ubuntu as root, "
        "`apt-get install docker.io` then `systemctl start docker` (or `dockerd &` where there "
        "is no systemd). Then run `make up` again."
    )


DOCKER_PID_FILE = Path("/var/run/docker.pid")


def process_alive(pid: int) -> bool:
    """True if the process runs; a zombie (exited, not yet reaped) counts as gone."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def remove_stale_pid_file(pid_file: Path = DOCKER_PID_FILE) -> bool:
    """dockerd refuses to start while its pid file names a process; remove it if that
    process is gone (after a crash, or a daemon nobody reaped). True if removed."""
    try:
        pid = int(pid_file.read_text().strip())
    except (OSError, ValueError):
        return False
    if process_alive(pid):
        return False
    pid_file.unlink(missing_ok=True)
    return True


def ensure_engine(log_dir: Path, wait_seconds: int = 60) -> tuple[bool, str]:
    """Make a Docker engine answer if we can; returns (available, what happened)."""
    if docker_client_or_none():
        return True, "Docker engine answers"
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return False, how_to_get_docker()
    if not shutil.which("dockerd"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        installed = subprocess.run(
            ["apt-get", "install", "-y", "-qq", "docker.io", "iptables"], env=env, check=False
        )
        if installed.returncode != 0:
            return False, "installing docker.io failed. " + how_to_get_docker()
    log_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_pid_file()
    if Path("/run/systemd/system").exists() and shutil.which("systemctl"):
        subprocess.run(["systemctl", "start", "docker"], check=False)
    else:
        log_file = open(log_dir / "dockerd.log", "a")  # noqa: SIM115 - handed to the daemon
        subprocess.Popen(
            ["dockerd"], stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
        )
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        if docker_client_or_none():
            return True, f"started the Docker engine (log: {log_dir / 'dockerd.log'})"
        time.sleep(1)
    return False, f"the Docker engine did not start; see {log_dir / 'dockerd.log'}"


def main() -> None:
    """`python -m ungp_hub.engine`: make sure an engine answers (used by `make test`)."""
    import sys

    available, what = ensure_engine(Path(os.environ.get("UNGP_LOG_DIR", "build/logs")))
    print(f"docker: {what}", file=sys.stderr)
    sys.exit(0 if available else 1)


if __name__ == "__main__":
    main()
