"""The user image, tagged by a hash of everything that goes into it.

The tag is ``ungp/user:<hash>`` where the hash covers the Dockerfile and files of
``images/user``, the lock file (which pins every wheel's sha256), the ungp-hub wheel and the
base image's id. Rebuilding with nothing changed finds the tag and reuses the image.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import docker
import docker.errors

from .errors import ImageBuildError

USER_REPOSITORY = "ungp/user"

# Wheels one by one, each as given (dependencies come pinned, from their own lines).
PIP_WHEEL = (sys.executable, "-m", "pip", "wheel", "-q", "--no-deps")


def build_project_wheel(project_root: Path, out_dir: Path) -> Path:
    """Build the ungp-hub wheel (hatchling builds are reproducible, so its hash is stable)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("ungp_hub-*.whl"):
        old.unlink()
    command = [*PIP_WHEEL, "--no-build-isolation", "-w", str(out_dir), str(project_root)]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise ImageBuildError(f"building the ungp-hub wheel failed:\n{result.stderr[-2000:]}")
    (wheel,) = out_dir.glob("ungp_hub-*.whl")
    return wheel


def content_hash(context_files: list[Path], project_wheel: Path, base_image_id: str) -> str:
    digest = hashlib.sha256()
    for path in sorted(context_files):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(hashlib.sha256(project_wheel.read_bytes()).digest())
    digest.update(base_image_id.encode())
    return digest.hexdigest()[:16]


def _context_files(source_dir: Path) -> list[Path]:
    return [p for p in source_dir.iterdir() if p.is_file() and p.name != "requirements.in"]


def expected_tag(
    client: docker.DockerClient,
    source_dir: Path,
    project_wheel: Path,
    base_image: str,
    repository: str = USER_REPOSITORY,
) -> str:
    """The tag the image of this checkout has (built or not): cheap, nothing is downloaded."""
    base_id = client.images.get(base_image).id
    return f"{repository}:{content_hash(_context_files(source_dir), project_wheel, base_id)}"


def image_exists(client: docker.DockerClient, tag: str) -> bool:
    try:
        client.images.get(tag)
        return True
    except docker.errors.ImageNotFound:
        return False


def build_user_image(
    client: docker.DockerClient,
    source_dir: Path,
    wheel_dir: Path,
    project_wheel: Path,
    base_image: str,
    on_progress: Callable[[str], None] = lambda line: None,
    repository: str = USER_REPOSITORY,
) -> tuple[str, bool]:
    """Build (or reuse) the user image; returns (tag, built_now).

    The USB kit's hub image is made the same way from images/hub (repository ``ungp/hub``).
    """
    context_files = _context_files(source_dir)
    tag = expected_tag(client, source_dir, project_wheel, base_image, repository)
    if image_exists(client, tag):
        return tag, False
    with tempfile.TemporaryDirectory(prefix="ungp-user-image-") as context:
        context_dir = Path(context)
        for path in context_files:
            shutil.copy2(path, context_dir / path.name)
        wheels = context_dir / "wheels"
        wheels.mkdir()
        for wheel in wheel_dir.glob("*.whl"):
            (wheels / wheel.name).hardlink_to(wheel) if _same_device(wheel, wheels) else (
                shutil.copy2(wheel, wheels / wheel.name)
            )
        (context_dir / "ungp").mkdir()
        shutil.copy2(project_wheel, context_dir / "ungp" / project_wheel.name)
        _docker_build(client, context_dir, tag, {"BASE_IMAGE": base_image}, on_progress)
    return tag, True


def _same_device(a: Path, b: Path) -> bool:
    return a.stat().st_dev == b.stat().st_dev


def _docker_build(
    client: docker.DockerClient,
    context_dir: Path,
    tag: str,
    build_args: dict[str, str],
    on_progress: Callable[[str], None],
) -> None:
    log_lines: list[str] = []
    stream = client.api.build(
        path=str(context_dir),
        tag=tag,
        buildargs=build_args,
        rm=True,
        forcerm=True,
        decode=True,
        labels={"org.ungp.image": "user"},
    )
    for chunk in stream:
        if "error" in chunk:
            tail = "".join(log_lines[-30:])
            raise ImageBuildError(f"docker build of {tag} failed: {chunk['error']}\n{tail}")
        line = chunk.get("stream", "")
        if line:
            log_lines.append(line)
            on_progress(line.rstrip())


def record_built_images(state_dir: Path, images: dict[str, str]) -> Path:
    """Write which tags the hub should run (read by the spawner configuration)."""
    path = state_dir / "images.json"
    state_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(images, indent=2, sort_keys=True) + "\n")
    return path


def read_built_images(state_dir: Path) -> dict[str, str]:
    path = state_dir / "images.json"
    if not path.exists():
        return {}
    return json.loads(path.read_text())
