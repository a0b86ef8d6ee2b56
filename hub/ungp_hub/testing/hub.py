"""Start and stop a real JupyterHub (our configuration) on a free port, for tests and benchmarks."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..accounts.hub_api import HubAPI
from ..accounts.importer import import_roster
from ..accounts.roster import Roster
from ..configure.hub import hub_is_routed
from ..settings import load_settings
from .wait import CannotHappen, wait_for


def free_port_block(size: int = 9) -> int:
    """A port p with p..p+size-1 free: public, proxy API, hub API, then the services (+3..+8)."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port + size >= 65535:
            continue
        try:
            holders = []
            for offset in range(size):
                holder = socket.socket()
                # Any address: services also listen on the users' network gateway, where a
                # port bound by another hub does not block a bind on 127.0.0.1 alone.
                holder.bind(("0.0.0.0", port + offset))
                holders.append(holder)
            for holder in holders:
                holder.close()
            return port
        except OSError:
            for holder in holders:
                holder.close()
    raise RuntimeError("no free block of ports")


@dataclass
class RunningHub:
    state_dir: Path
    settings_file: Path
    config_file: Path
    port: int
    process: subprocess.Popen | None = None
    log_path: Path = field(init=False)

    def __post_init__(self) -> None:
        self.log_path = self.state_dir / "logs" / "jupyterhub-test.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def settings(self):
        return load_settings(self.settings_file, environ={})

    @property
    def api(self) -> HubAPI:
        return HubAPI.from_settings(self.settings)

    def start(self, timeout: float = 90) -> RunningHub:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "UNGP_SETTINGS": str(self.settings_file),
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        }
        log = open(self.log_path, "ab")  # noqa: SIM115 - owned by the child process
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ungp_hub.hub_app", "-f", str(self.config_file.resolve())],
            cwd=self.state_dir,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            # As a hub started in the background by a script: SIGINT ignored, which every child
            # inherits. The hub and its services must still stop in seconds.
            preexec_fn=_ignore_sigint,  # noqa: PLW1509 - only sets a signal disposition
        )
        wait_for(self._answers, timeout, f"the hub on port {self.port} (log: {self.log_path})")
        return self

    def _answers(self) -> bool:
        if self.process and self.process.poll() is not None:
            raise CannotHappen(f"the hub exited during start-up; log:\n{self.log()[-3000:]}")
        return hub_is_routed(self.settings)  # probing the public URL logs proxy errors

    def stop(self, timeout: float = 30) -> float:
        """SIGTERM the hub as systemd and `ungp hub run` do; kill it after `timeout` seconds.
        Returns the seconds it took to exit (what an admin waits for)."""
        started = time.monotonic()
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        return time.monotonic() - started

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def logs(self) -> dict[str, str]:
        """Every log of this hub by file name: the hub's own (managed services write to its
        output) and what services keep in the state folder's logs/ (e.g. grader-<course>.log)."""
        return {
            path.name: path.read_text(errors="replace")
            for path in sorted(self.log_path.parent.glob("*.log"))
        }

    def add_people(self, roster_csv: str) -> dict[str, str]:
        roster = Roster.parse(roster_csv, "test roster")
        db_url = f"sqlite:///{self.state_dir}/jupyterhub.sqlite"
        return import_roster(roster, self.api, db_url, "test roster").passwords


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def write_settings(state_dir: Path, port: int, overrides: dict | None = None) -> Path:
    settings = {
        "hub": {"bind_url": f"http://127.0.0.1:{port}", "state_dir": str(state_dir)},
        "culler": {"enabled": False},
    }
    for section, values in (overrides or {}).items():
        settings.setdefault(section, {}).update(values)
    state_dir.mkdir(parents=True, exist_ok=True)
    path = state_dir / "settings.yaml"
    path.write_text(yaml.safe_dump(settings, sort_keys=False))
    return path
