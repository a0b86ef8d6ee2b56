"""The hub image ``ungp/hub:<hash>``: the hub's Python on the target, whatever Debian 12 has.

Built exactly like the user image (same base, same wheelhouse machinery, same content hash),
from images/hub and its own lock file. A few locked packages exist on PyPI only as source
(images/hub/built-from-sdist.txt); their wheels are built here from the hash-checked sdist.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import docker

from ..images import base as base_image
from ..images import user as user_image
from ..images import wheelhouse
from .errors import KitError

HUB_REPOSITORY = "ungp/hub"
# The widget manager public dashboards load from the hub (ungp_hub.dashboards.assets): a file
# of the build context, unpacked by the Dockerfile where the service looks for it.
WIDGET_MANAGER_TAR = "html-manager.tar"


def _pack_widget_manager(target: Path) -> None:
    """A reproducible tar of the host's @jupyter-widgets/html-manager (what `make` installs):
    fixed order, times and owners, so the image's content hash does not change by itself."""
    import tarfile

    from ..dashboards.assets import HTML_MANAGER_PACKAGE, default_node_modules

    package = default_node_modules() / HTML_MANAGER_PACKAGE
    if not (package / "dist").is_dir():
        raise KitError(
            f"{package} is missing: run `make up` or `make test` once (they install it), then "
            "build again; public dashboards need it to draw widgets without a CDN"
        )

    def plain(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.mtime, info.uid, info.gid, info.uname, info.gname = 0, 0, 0, "", ""
        return info

    with tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as archive:
        for path in sorted(package.rglob("*")):
            if path.is_file():
                name = "html-manager/" + path.relative_to(package).as_posix()
                archive.add(path, arcname=name, recursive=False, filter=plain)


def lock(source: Path) -> None:
    wheelhouse.lock(source / "requirements.in", source / "requirements.lock")


def split_lock(lock_text: str, names: set[str]) -> tuple[str, str]:
    """(the lock without `names`, the lock's entries of `names`), block by block."""
    kept: list[str] = []
    taken: list[str] = []
    target = kept
    for line in lock_text.splitlines(keepends=True):
        if line.strip() and not line[0].isspace() and not line.startswith("#"):
            name = line.split("==", 1)[0].split("[", 1)[0].strip().lower()
            target = taken if name in names else kept
        target.append(line)
    return "".join(kept), "".join(taken)


def sdist_names(source: Path) -> set[str]:
    path = source / "built-from-sdist.txt"
    lines = path.read_text().splitlines() if path.exists() else []
    return {line.strip().lower() for line in lines if line.strip() and not line.startswith("#")}


def build_hub_image(
    client: docker.DockerClient,
    project_root: Path,
    state_path: Path,
    wheel_dir: Path,
    offline: bool = False,
    on_progress: Callable[[str], None] = lambda line: None,
) -> str:
    """Build (or reuse by tag) the hub image; returns its tag."""
    source = project_root / "images" / "hub"
    logs = state_path / "logs"
    base_image.ensure_base_image(client, "trixie", log_dir=logs)
    # The build context: images/hub with the lock split into wheels and source-only packages.
    context = state_path / "build" / "hub-image"
    shutil.rmtree(context, ignore_errors=True)
    context.mkdir(parents=True)
    for path in source.iterdir():
        if path.is_file() and path.name != "requirements.lock":
            shutil.copy2(path, context / path.name)
    wheels_lock, sdists_lock = split_lock(
        (source / "requirements.lock").read_text(), sdist_names(source)
    )
    (context / "requirements.lock").write_text(wheels_lock)
    if not offline:
        wheelhouse.download(context / "requirements.lock", wheel_dir, logs / "hub-wheels.log")
        if sdists_lock:
            _wheels_from_sdists(sdists_lock, context, wheel_dir, logs / "hub-sdists.log")
    _pack_widget_manager(context / WIDGET_MANAGER_TAR)
    project_wheel = user_image.build_project_wheel(project_root, state_path / "build")
    tag, _ = user_image.build_user_image(
        client,
        context,
        wheel_dir,
        project_wheel,
        base_image.base_image_name("trixie"),
        on_progress=on_progress,
        repository=HUB_REPOSITORY,
    )
    return tag


def _wheels_from_sdists(sdists_lock: str, context: Path, wheel_dir: Path, log_path: Path) -> None:
    requirements = context.parent / "hub-sdists.lock"
    requirements.write_text(sdists_lock)
    command = [
        *user_image.PIP_WHEEL,
        "--require-hashes",
        "--no-binary",
        ":all:",
        "-r",
        str(requirements),
        "-w",
        str(wheel_dir),
    ]
    with open(log_path, "w") as log:
        if subprocess.run(command, stdout=log, stderr=subprocess.STDOUT).returncode != 0:
            raise KitError(f"building wheels from source packages failed; see {log_path}")
