"""The base image: a Debian root file system from debootstrap, imported into Docker.

debootstrap output is not byte-reproducible, so the tag names the suite only and the image is
made once per machine; the user image's tag then includes the base image's id.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import docker
import docker.errors

from .errors import ImageBuildError

BASE_REPOSITORY = "ungp/base"


def base_image_name(suite: str) -> str:
    return f"{BASE_REPOSITORY}:{suite}"


def debian_mirror() -> str:
    """The Debian mirror this machine's apt uses (the only one reachable here)."""
    sources = [Path("/etc/apt/sources.list"), *Path("/etc/apt/sources.list.d").glob("*")]
    for source in sources:
        if not source.is_file():
            continue
        for line in source.read_text(errors="replace").splitlines():
            # Comments may name mirrors this machine cannot reach (e.g. snapshot.debian.org).
            words = line.split("#", 1)[0].split()
            for word in words:
                if word.startswith("http") and "/debian" in word and "security" not in word:
                    return word.rstrip("/")
    return "http://deb.debian.org/debian"


def ensure_base_image(
    client: docker.DockerClient, suite: str = "trixie", log_dir: Path | None = None
) -> str:
    """Return the base image's id, making it with debootstrap if this machine lacks it."""
    name = base_image_name(suite)
    try:
        return client.images.get(name).id
    except docker.errors.ImageNotFound:
        pass
    if not shutil.which("debootstrap"):
        raise ImageBuildError(
            "debootstrap is needed to make the base image: run `apt-get install debootstrap` "
            "(or scripts/system-deps.sh) and build again."
        )
    log_dir = log_dir or Path(tempfile.gettempdir())
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"debootstrap-{suite}.log"
    with tempfile.TemporaryDirectory(prefix="ungp-rootfs-") as rootfs, open(log_path, "w") as log:
        step = ["debootstrap", "--variant=minbase", suite, rootfs, debian_mirror()]
        if subprocess.run(step, stdout=log, stderr=subprocess.STDOUT).returncode != 0:
            raise ImageBuildError(f"debootstrap of Debian {suite} failed; see {log_path}")
        tar = subprocess.Popen(["tar", "-C", rootfs, "-c", "."], stdout=subprocess.PIPE)
        imported = subprocess.run(
            ["docker", "import", "-", name], stdin=tar.stdout, capture_output=True, text=True
        )
        tar.wait()
        if imported.returncode != 0:
            raise ImageBuildError(f"docker import of the base image failed: {imported.stderr}")
    return client.images.get(name).id
