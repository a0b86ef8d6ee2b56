"""``ungp images``: make the base image and build the user image."""

from __future__ import annotations

import subprocess
from pathlib import Path

import click
from rich.console import Console

from ..images import ImageBuildError, wheelhouse
from ..state import StateDir
from .options import load, project_root, settings_option

console = Console(stderr=True)


@click.group()
def images() -> None:
    """Build the container images the hub runs."""


@images.command()
@settings_option
@click.option("--suite", default="trixie", show_default=True, help="Debian suite of the base.")
@click.option(
    "--wheelhouse",
    "wheel_dir",
    type=click.Path(file_okay=False),
    help="Folder of wheels (default: STATE_DIR/wheelhouse). Filled when online.",
)
@click.option("--offline", is_flag=True, help="Use the wheelhouse as it is; download nothing.")
def build(settings_file: str | None, suite: str, wheel_dir: str | None, offline: bool) -> None:
    """Build (or reuse) the base and user images; record the tags for the hub."""
    from ..engine import docker_client_or_none, how_to_get_docker
    from ..images import base as base_image
    from ..images import user as user_image

    settings = load(settings_file)
    state = StateDir(settings.state_dir)
    state.ensure()
    client = docker_client_or_none()
    if client is None:
        raise ImageBuildError(how_to_get_docker())
    source = project_root() / "images" / "user"
    wheels = Path(wheel_dir) if wheel_dir else state.path / "wheelhouse"
    with console.status("Base image (debootstrap, first time only)…"):
        base_image.ensure_base_image(client, suite, log_dir=state.logs)
    with console.status("Building the ungp-hub wheel…"):
        project_wheel = user_image.build_project_wheel(project_root(), state.path / "build")
    tag = user_image.expected_tag(client, source, project_wheel, base_image.base_image_name(suite))
    if user_image.image_exists(client, tag):
        # Verified when it was built; nothing to download or check again.
        user_image.record_built_images(state.path, {"user": tag})
        click.echo(f"{tag} up to date (reused)")
        return
    if not offline:
        with console.status("Wheelhouse: downloading the locked wheels…"):
            wheelhouse.download(source / "requirements.lock", wheels, state.logs / "wheels.log")
    with console.status("User image…") as status:
        tag, built = user_image.build_user_image(
            client,
            source,
            wheels,
            project_wheel,
            base_image.base_image_name(suite),
            on_progress=lambda line: status.update(f"User image: {line[:100]}"),
        )
    verify = subprocess.run(
        ["docker", "run", "--rm", "--network", "none", tag, "ungp-verify-image"],
        capture_output=True,
        text=True,
    )
    if verify.returncode != 0:
        raise ImageBuildError(f"{tag} failed its checks:\n{verify.stdout}{verify.stderr}")
    user_image.record_built_images(state.path, {"user": tag})
    click.echo(f"{tag} {'built' if built else 'up to date (reused)'} and verified")


@images.command()
def lock() -> None:
    """Re-resolve images/user/requirements.in into the hash-pinned lock file."""
    source = project_root() / "images" / "user"
    wheelhouse.lock(source / "requirements.in", source / "requirements.lock")
    click.echo(f"wrote {source / 'requirements.lock'}")
