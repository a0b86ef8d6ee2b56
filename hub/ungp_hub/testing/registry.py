"""A throwaway image registry on its own Docker network: what an online deployment pulls from.

No public registry is reachable on the project's machines, yet ``ungp_source: online`` pulls
the hub and user images from ``ungp_registry``. Debian's own ``docker-registry`` (Docker
Distribution 2.8), in an image built from the locally built bookworm base image, stands in for
a site's registry. It speaks plain HTTP: the host's engine pushes to it on a port published on
127.0.0.1 only (an engine trusts 127.0.0.0/8 registries without TLS), and a server target on
the same network pulls from ``<name>:5000`` (its engine lists that as an insecure registry; a
real site puts TLS on its registry, or installs from the kit). Everything it makes (the
container, its data volume, the network) carries one label, so clean-up is by label.
"""

from __future__ import annotations

import hashlib
import subprocess
import time
import urllib.request
import uuid
from dataclasses import dataclass, field

from ..images.base import base_image_name

PORT = 5000
DATA = "/var/lib/docker-registry"
# Debian's package runs the registry as a service with htpasswd logins; here it is the
# container's only process, open to anyone on its network (filesystem storage in DATA).
REGISTRY_DOCKERFILE = """
FROM {base}
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \\
      --no-install-recommends docker-registry \\
 && rm -rf /var/lib/apt/lists/* \\
 && printf '%s\\n' 'version: 0.1' 'storage:' '  filesystem:' '    rootdirectory: {data}' \\
      'http:' '  addr: :{port}' > /etc/docker/registry/test.yml
EXPOSE {port}
CMD ["/usr/bin/docker-registry", "serve", "/etc/docker/registry/test.yml"]
"""


class RegistryError(RuntimeError):
    """The local registry could not be built, started or pushed to."""


def _run(command: list[str], timeout: float = 600, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, **kwargs)


def built_image(dockerfile: str, repository: str) -> str:
    """Build `dockerfile` (no context) once per text; returns ``repository:<hash of text>``."""
    tag = f"{repository}:{hashlib.sha256(dockerfile.encode()).hexdigest()[:12]}"
    if _run(["docker", "image", "inspect", tag]).returncode != 0:
        built = _run(["docker", "build", "-q", "-t", tag, "-"], input=dockerfile, timeout=900)
        if built.returncode != 0:
            raise RegistryError(f"building {tag} failed: {built.stderr}")
    return tag


def registry_image() -> str:
    text = REGISTRY_DOCKERFILE.format(base=base_image_name("bookworm"), port=PORT, data=DATA)
    return built_image(text, "ungp/test-registry")


def remove_labelled(label: str) -> None:
    """Remove the containers, volumes and networks carrying `label` (key=value), in the order
    Docker allows (a network or volume in use cannot go first)."""
    for kind in ("container", "volume", "network"):
        listed = _run(["docker", kind, "ls", "-q", *(["-a"] if kind == "container" else []),
                       "--filter", f"label={label}"])  # fmt: skip
        ids = listed.stdout.split()
        if ids:
            _run(["docker", kind, "rm", *(["-f", "-v"] if kind == "container" else []), *ids])


@dataclass
class LocalRegistry:
    """A registry container on a dedicated network, reachable from the host on 127.0.0.1."""

    label: str = "ungp.test=registry"
    name: str = field(default_factory=lambda: f"ungp-registry-{uuid.uuid4().hex[:8]}")
    host_port: int = 0  # set by start(): the port published on 127.0.0.1

    @property
    def network(self) -> str:
        return self.name + "-net"

    @property
    def address(self) -> str:
        """What an engine on the network puts before an image name (``ungp_registry``)."""
        return f"{self.name}:{PORT}"

    def start(self, timeout: float = 60) -> LocalRegistry:
        image = registry_image()
        label = ["--label", self.label]
        steps = [
            ["docker", "network", "create", *label, self.network],
            ["docker", "volume", "create", *label, self.name],
            ["docker", "run", "-d", "--name", self.name, *label, "--network", self.network,
             "-p", f"127.0.0.1::{PORT}", "-v", f"{self.name}:{DATA}", image],
        ]  # fmt: skip
        for step in steps:
            done = _run(step)
            if done.returncode != 0:
                raise RegistryError(f"{' '.join(step[:3])} failed: {done.stderr}")
        published = _run(["docker", "port", self.name, f"{PORT}/tcp"]).stdout.split()
        self.host_port = int(published[0].rsplit(":", 1)[1])
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.host_port}/v2/") as answer:
                    if answer.status == 200:
                        return self
            except OSError:
                time.sleep(0.5)
        logs = _run(["docker", "logs", "--tail", "20", self.name])
        raise RegistryError(f"the registry {self.name} did not answer: {logs.stderr}")

    def push(self, tag: str) -> float:
        """Push a local image under the same name; returns seconds. The temporary
        127.0.0.1:<port>/ tag is removed again (only the tag, not the image)."""
        local = f"127.0.0.1:{self.host_port}/{tag}"
        started = time.monotonic()
        tagged = _run(["docker", "tag", tag, local])
        pushed = _run(["docker", "push", "-q", local], timeout=1800)
        _run(["docker", "image", "rm", local])
        if tagged.returncode != 0 or pushed.returncode != 0:
            raise RegistryError(f"pushing {tag} failed: {tagged.stderr}{pushed.stderr}")
        return time.monotonic() - started

    def remove(self) -> None:
        remove_labelled(self.label)
