"""A bare Debian 12 machine with no network, in a container: where the kit is tried out.

Used by the kit's integration test and benchmark. ``--privileged`` fails on the project's
machines (one capability is withheld), so the target gets the capabilities its own Docker
engine needs; the engine keeps its data in a host folder, where overlay2 works (a container's
own overlay file system cannot hold another overlay2), instead of a vfs copy per layer.
"""

from __future__ import annotations

import hashlib
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from ..images.base import base_image_name

CAPABILITIES = ("SYS_ADMIN", "NET_ADMIN", "SYS_PTRACE", "MKNOD", "SYS_CHROOT")
KIT_MOUNT = "/media/kit"
STATE = "/var/lib/ungp-hub"
CA = f"{STATE}/tls/workshop-ca.crt"
# Two roster trainees, and a course cell that reads the catalogue (mounted read-only from the
# kit's data) in the kernel: what the kit's and the Ansible tests try on a target.
ROSTER = "username,role,full_name\nada,trainee,Ada Lovelace\nbob,trainee,Bob Builder\n"
CATALOGUE_CELL = (
    "import intake\n"
    "cat = intake.open_catalog('/srv/data/catalog.yaml')\n"
    "print('entries', len(list(cat)))"
)
# Runs inside the hub container on the target: log in as a roster trainee, spawn, run a cell.
LOGIN_AND_RUN = """
import json, sys, requests
from ungp_hub.testing.client import HubUser, run_cell
base = "https://127.0.0.1:443"
password = json.load(open("/var/lib/ungp-hub/login-slips.json"))[sys.argv[2]]
user = HubUser(base, sys.argv[2])
assert user.login(password).status_code == 302, "login refused"
assert requests.get(base + "/hub/workshop-ca.crt").text.startswith("-----BEGIN CERTIFICATE")
user.start_server()
user.wait_ready(timeout=300)
print(run_cell(base, user.name, user.new_token(), sys.argv[1], 120))
"""


# What a Debian 12 server installed with "standard system utilities" has and a debootstrap
# minbase lacks: systemd as init, python3 with requests and apt (Ansible), openssl, nftables.
SERVER_DOCKERFILE = """
FROM {base}
ENV container=docker
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \\
      --no-install-recommends systemd systemd-sysv dbus python3 python3-apt python3-requests \\
      openssl ca-certificates nftables \\
 && rm -rf /var/lib/apt/lists/* \\
 && systemctl mask getty.target console-getty.service systemd-logind.service \\
      systemd-udevd.service systemd-udev-trigger.service systemd-firstboot.service
STOPSIGNAL SIGRTMIN+3
CMD ["/lib/systemd/systemd"]
"""


def built_image(dockerfile: str, repository: str) -> str:
    """Build `dockerfile` (no context) once per text; returns ``repository:<hash of text>``."""
    tag = f"{repository}:{hashlib.sha256(dockerfile.encode()).hexdigest()[:12]}"
    if run(["docker", "image", "inspect", tag]).returncode != 0:
        built = run(["docker", "build", "-q", "-t", tag, "-"], input=dockerfile, timeout=900)
        if built.returncode != 0:
            raise RuntimeError(f"building {tag} failed: {built.stderr}")
    return tag


def server_image() -> str:
    """The server target image (built once per Dockerfile text); returns its tag."""
    return built_image(
        SERVER_DOCKERFILE.format(base=base_image_name("bookworm")), "ungp/test-server"
    )


def run(command: list[str], timeout: float = 600, **kwargs) -> subprocess.CompletedProcess:
    """Run a command, never raising on its exit code: callers show its stderr in the failure."""
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, **kwargs)


@dataclass
class BareDebian:
    """One target machine: a container labelled as a test's; ``remove`` takes it away."""

    work: Path  # a host folder for the target's Docker data and the roster
    label: str = "ungp.test=usb"
    name: str = field(default_factory=lambda: f"ungp-usb-target-{uuid.uuid4().hex[:8]}")

    def start(self, kit: Path, roster_csv: str) -> BareDebian:
        """Start as the bare machine an organiser meets, with the kit and a roster on it."""
        (self.work / "roster.csv").write_text(roster_csv)
        self._run(
            "workshop",
            kit,
            ["-v", f"{self.work / 'roster.csv'}:/root/roster.csv:ro"],
            [base_image_name("bookworm"), "sleep", "infinity"],
        )
        return self

    def _run(
        self,
        hostname: str,
        kit: Path | None,
        extra: list[str],
        image: list[str],
        network: str = "none",
    ) -> None:
        """`docker run` the target: no network (or `network`, for an online install), the
        capabilities its own engine needs, the engine's data in a host folder, the kit
        read-only (when there is one)."""
        (self.work / "docker").mkdir(parents=True, exist_ok=True)
        caps = [arg for cap in CAPABILITIES for arg in ("--cap-add", cap)]
        result = run(
            [
                "docker",
                "run",
                "-d",
                "--name",
                self.name,
                "--hostname",
                hostname,
                "--network",
                network,
                "--label",
                self.label,
                *caps,
                "--security-opt",
                "apparmor=unconfined",
                "--security-opt",
                "seccomp=unconfined",
                # Read-only: systemd booting on the host's cgroup v1 tmpfs wrote controller
                # folders into it, and the host engine then stopped reporting OOM kills. The
                # controllers below stay writable for the inner engine.
                "-v",
                "/sys/fs/cgroup:/sys/fs/cgroup:ro",
                "-v",
                f"{self.work / 'docker'}:/var/lib/docker",
                *(["-v", f"{kit}:{KIT_MOUNT}:ro"] if kit else []),
                *extra,
                *image,
            ],
        )
        if result.returncode != 0:
            raise RuntimeError(f"the target {self.name} did not start: {result.stderr}")

    def install(self, expect_key: str) -> tuple[subprocess.CompletedProcess, float]:
        """The kit's own install script, as an organiser runs it with the fingerprint they were
        given (`expect_key`); returns (result, seconds)."""
        started = time.monotonic()
        result = run(
            [
                "docker",
                "exec",
                "-e",
                f"UNGP_DOCKERD_ARGS=--cgroup-parent=/{self.name}",
                self.name,
                f"{KIT_MOUNT}/install",
                "--roster",
                "/root/roster.csv",
                "--hub-url",
                "https://127.0.0.1:443",
                "--expect-key",
                expect_key,
            ],
            timeout=1800,
        )
        return result, time.monotonic() - started

    def shell(self, command: str, timeout: float = 600) -> subprocess.CompletedProcess:
        """A root shell command on the target, as the organiser would type it."""
        return run(["docker", "exec", self.name, "bash", "-c", command], timeout=timeout)

    def login_and_run(self, user: str, code: str) -> subprocess.CompletedProcess:
        """Log in as `user` (password from the slips), spawn, run `code`; stdout is its output."""
        return self.hub_python(LOGIN_AND_RUN, code, user)

    def hub_python(self, code: str, *args: str, ca: str = CA) -> subprocess.CompletedProcess:
        """Run Python `code` in the hub container on the target, trusting the CA at `ca`."""
        return run(
            [
                "docker",
                "exec",
                self.name,
                "docker",
                "exec",
                "-e",
                f"REQUESTS_CA_BUNDLE={ca}",
                "-e",
                f"WEBSOCKET_CLIENT_CA_BUNDLE={ca}",
                "ungp-hub",
                "python",
                "-c",
                code,
                *args,
            ],
            timeout=900,
        )

    def boot_server(self, kit: Path | None = None, network: str = "none") -> BareDebian:
        """Start as a Debian 12 *server* (ServerImage: systemd as PID 1), for Ansible: with
        the kit and no network, or on `network` (a user-defined bridge) for the online mode."""
        tmpfs = ["--tmpfs", "/run", "--tmpfs", "/run/lock"]
        self._run("hubserver", kit, tmpfs, [server_image()], network)
        for _ in range(60):
            state = self.shell("systemctl is-system-running").stdout.strip()
            if state in ("running", "degraded"):
                return self
            time.sleep(1)
        raise RuntimeError(f"systemd did not come up in {self.name}: {state}")

    def remove(self) -> str:
        """Stop the inner containers and engine, then the target; returns the engine's log."""
        stop = "docker rm -f $(docker ps -aq) >/dev/null 2>&1; kill $(cat /var/run/docker.pid)"
        self.shell(stop + "; sleep 3", timeout=180)
        log = self.shell(f"tail -30 {STATE}/logs/dockerd.log").stdout
        run(["docker", "rm", "-f", self.name])
        return log
