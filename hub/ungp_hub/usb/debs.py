"""The Debian 12 packages a bare bookworm machine lacks to run the kit (the Docker engine).

Asked of apt itself, inside a container of the minimal bookworm base image (debootstrap
minbase), so the list is exactly what a bare Debian 12 needs, resolved by apt, not guessed.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import docker

from ..images.base import base_image_name, ensure_base_image
from .errors import KitError

TARGET_SUITE = "bookworm"
# docker.io's recommends are left out (git, needrestart...); iptables for its networks, zstd
# for the image archives, openssl for the workshop CA.
PACKAGES = ("docker.io", "iptables", "zstd", "openssl", "ca-certificates")


def download_debs(
    client: docker.DockerClient, cache_root: Path, log_dir: Path, packages=PACKAGES
) -> Path:
    """A folder of .deb files for `packages` and their dependencies (cached per package list)."""
    key = hashlib.sha256(" ".join(sorted(packages)).encode()).hexdigest()[:12]
    cache = cache_root / f"debs-{TARGET_SUITE}-{key}"
    if (cache / ".complete").exists():
        return cache
    ensure_base_image(client, TARGET_SUITE, log_dir=log_dir)
    shutil.rmtree(cache, ignore_errors=True)
    cache.mkdir(parents=True)
    script = (
        "set -e; apt-get update -qq; "
        "apt-get install -y -qq --download-only --no-install-recommends "
        f"-o Dir::Cache::archives=/debs/ {' '.join(packages)}; "
        "rm -rf /debs/partial /debs/lock"
    )
    try:
        output = client.containers.run(
            base_image_name(TARGET_SUITE),
            ["sh", "-c", script],
            remove=True,
            volumes={str(cache.resolve()): {"bind": "/debs", "mode": "rw"}},
            environment={"DEBIAN_FRONTEND": "noninteractive"},
            stderr=True,
            labels={"ungp.usb": "debs"},
        )
    except docker.errors.ContainerError as error:
        raise KitError(f"downloading the Debian packages failed:\n{error.stderr}") from None
    (log_dir / "usb-debs.log").write_bytes(output or b"")
    if not any(cache.glob("docker.io_*.deb")):
        raise KitError(f"apt downloaded no docker.io package; see {log_dir / 'usb-debs.log'}")
    (cache / ".complete").touch()
    return cache
