"""A throwaway image registry on its own Docker network: what an online deployment pulls from.

No public registry is reachable on the project's machines, yet ``ungp_source: online`` pulls
the hub and user images from ``ungp_registry``. Debian's own ``docker-registry`` (Docker
Distribution 2.8), in an image built from the locally built bookworm base image, stands in for
a site's registry. It speaks plain HTTP: the host uploads to it on a port published on
127.0.0.1 only, and a server target on the same network pulls from ``<name>:5000`` (its engine
lists that as an insecure registry; a real site puts TLS on its registry, or installs from the
kit). Everything it makes (the
container, its data volume, the network) carries one label, so clean-up is by label.
"""

from __future__ import annotations

import hashlib
import json
import shlex
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from ..images.base import base_image_name
from .target import built_image, run

PORT = 5000
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar"  # uncompressed
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
    """The local registry could not be started or pushed to."""


def registry_image() -> str:
    text = REGISTRY_DOCKERFILE.format(base=base_image_name("bookworm"), port=PORT, data=DATA)
    return built_image(text, "ungp/test-registry")


def remove_labelled(label: str) -> None:
    """Remove the containers, volumes and networks carrying `label` (key=value), in the order
    Docker allows (a network or volume in use cannot go first)."""
    for kind in ("container", "volume", "network"):
        listed = run(
            [
                "docker",
                kind,
                "ls",
                "-q",
                *(["-a"] if kind == "container" else []),
                "--filter",
                f"label={label}",
            ]
        )
        ids = listed.stdout.split()
        if ids:
            run(["docker", kind, "rm", *(["-f", "-v"] if kind == "container" else []), *ids])


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
            [
                "docker",
                "run",
                "-d",
                "--name",
                self.name,
                *label,
                "--network",
                self.network,
                "-p",
                f"127.0.0.1::{PORT}",
                "-v",
                f"{self.name}:{DATA}",
                image,
            ],
        ]
        for step in steps:
            done = run(step)
            if done.returncode != 0:
                raise RegistryError(f"{' '.join(step[:3])} failed: {done.stderr}")
        published = run(["docker", "port", self.name, f"{PORT}/tcp"]).stdout.split()
        self.host_port = int(published[0].rsplit(":", 1)[1])
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.host_port}/v2/") as answer:
                    if answer.status == 200:
                        return self
            except OSError:
                time.sleep(0.5)
        logs = run(["docker", "logs", "--tail", "20", self.name])
        raise RegistryError(f"the registry {self.name} did not answer: {logs.stderr}")

    def push(self, tag: str) -> float:
        """Put a local image into the registry under the same name; returns seconds.

        Not `docker push`: it gzips every layer, single-threaded per layer, which took 229 s
        for the hub and user images on two cores. Here the layers go up as `docker save`
        writes them, uncompressed, under OCI's media type for uncompressed layers (pulling
        engines accept it and skip the gunzip too); their digests are the image's own
        diff_ids, which the registry checks on upload."""
        started = time.monotonic()
        repository, reference = tag.rsplit(":", 1)
        api = f"http://127.0.0.1:{self.host_port}/v2/{repository}"
        with tempfile.TemporaryDirectory(prefix="ungp-registry-push-") as folder:
            saved = subprocess.run(
                f"docker save {shlex.quote(tag)} | tar -x -C {shlex.quote(folder)}",
                shell=True,
                capture_output=True,
                text=True,
                timeout=1800,
            )
            if saved.returncode != 0:
                raise RegistryError(f"docker save {tag} failed: {saved.stderr}")
            saved_image = json.loads((Path(folder) / "manifest.json").read_text())[0]
            config = Path(folder) / saved_image["Config"]
            diff_ids = json.loads(config.read_bytes())["rootfs"]["diff_ids"]
            layers = [
                self._blob(api, Path(folder) / path, digest, OCI_LAYER)
                for path, digest in zip(saved_image["Layers"], diff_ids, strict=True)
            ]
            digest = "sha256:" + hashlib.sha256(config.read_bytes()).hexdigest()
            manifest = {
                "schemaVersion": 2,
                "mediaType": OCI_MANIFEST,
                "config": self._blob(api, config, digest, OCI_CONFIG),
                "layers": layers,
            }
            self._request(
                f"{api}/manifests/{reference}",
                "PUT",
                json.dumps(manifest).encode(),
                {"Content-Type": OCI_MANIFEST},
            )
        return time.monotonic() - started

    def _blob(self, api: str, path: Path, digest: str, media_type: str) -> dict:
        """Upload one blob (monolithic upload) unless the registry has it; its descriptor."""
        size = path.stat().st_size
        try:
            self._request(f"{api}/blobs/{digest}", "HEAD")
        except urllib.error.HTTPError as error:
            if error.code != 404:
                raise
            started = self._request(f"{api}/blobs/uploads/", "POST", b"")
            location = urllib.parse.urljoin(api, started.headers["Location"])
            separator = "&" if "?" in location else "?"
            with path.open("rb") as body:
                self._request(
                    f"{location}{separator}digest={urllib.parse.quote(digest)}",
                    "PUT",
                    body,
                    {"Content-Type": "application/octet-stream", "Content-Length": str(size)},
                )
        return {"mediaType": media_type, "size": size, "digest": digest}

    @staticmethod
    def _request(url: str, method: str, data=None, headers: dict | None = None):
        request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
        with urllib.request.urlopen(request, timeout=600) as answer:
            return answer

    def remove(self) -> None:
        remove_labelled(self.label)
