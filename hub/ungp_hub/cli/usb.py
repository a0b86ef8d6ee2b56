"""``ungp usb``: build the offline workshop kit, install it, and bring the results back."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ..state import StateDir
from ..usb.errors import KitError
from .options import load, project_root, settings_option

console = Console(stderr=True)


@click.group()
def usb() -> None:
    """The offline workshop kit (a USB stick that installs a complete hub)."""


@usb.command()
@settings_option
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--data-scale",
    type=click.Choice(["small", "medium", "large"]),
    default="small",
    show_default=True,
    help="Size of the catalogue data on the kit.",
)
@click.option("--progress/--no-progress", default=True, help="Show a progress bar.")
@click.option(
    "--wheelhouse",
    "wheel_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of wheels (default: STATE_DIR/wheelhouse).",
)
def build(
    settings_file: str | None, out: Path, data_scale: str, progress: bool, wheel_dir: Path | None
) -> None:
    """Write the kit into the folder OUT (needs `ungp images build` first)."""
    from ..engine import docker_client_or_none, how_to_get_docker
    from ..usb.build import build_kit

    settings = load(settings_file)
    state = StateDir(settings.state_dir)
    state.ensure()
    client = docker_client_or_none()
    if client is None:
        raise KitError(how_to_get_docker())
    with Progress(
        TextColumn("[bold]{task.description:<10}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=not progress,
    ) as bar:
        task = bar.add_task("kit", total=None)
        report = build_kit(
            out,
            client,
            project_root(),
            state.path,
            data_scale,
            wheel_dir,
            on_step=lambda text, done, total: bar.update(
                task, description=text, completed=done, total=total
            ),
        )
    for part, size in report.sizes().items():
        click.echo(f"{part:<14} {size / 1e6:10.1f} MB")
    for step, seconds in report.seconds.items():
        click.echo(f"{step:<14} {seconds:10.1f} s")
    click.echo(f"kit: {report.kit}")
    click.echo(f"signing key fingerprint (give it to the installer): {report.fingerprint}")
    click.echo(f"the same key as gpgv names it (OpenPGP): {report.openpgp_fingerprint}")


@usb.command()
@click.argument("kit", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--roster", type=click.Path(exists=True, dir_okay=False), help="Roster CSV.")
@click.option("--hub-url", default="", help="Address on the slips (default: https://<LAN IP>).")
@click.option("--port", type=int, default=443, show_default=True)
@click.option(
    "--expect-key",
    default="",
    help="The organiser's key fingerprint (without it, you are asked to confirm the kit's).",
)
def install(kit: Path, roster: str | None, hub_url: str, port: int, expect_key: str) -> None:
    """Check KIT against its signed manifest, then run its install script (as root)."""
    from ..usb.verify import verify_kit

    expect_key = expect_key or _confirm_kit_key(kit)
    with console.status("checking every file of the kit…"):
        fingerprint = verify_kit(kit, [expect_key])
    click.echo(f"kit verified (key {fingerprint})")
    command = [str(kit / "install"), "--port", str(port), "--expect-key", fingerprint]
    command += ["--roster", roster] if roster else []
    command += ["--hub-url", hub_url] if hub_url else []
    raise SystemExit(subprocess.run(command).returncode)


def _confirm_kit_key(kit: Path) -> str:
    """Ask the person at the keyboard to compare the kit's key with the organiser's; with no
    one to ask, refuse (a kit's own key proves nothing about who made it)."""
    from ..usb.verify import kit_fingerprint

    fingerprint = kit_fingerprint(kit)
    if not sys.stdin.isatty():
        raise click.UsageError(
            f'the kit says it is signed by key {fingerprint}: pass --expect-key "FINGERPRINT" '
            "with the fingerprint the organiser gave you (nothing was installed)."
        )
    click.echo(f"The kit is signed by key\n\n    {fingerprint}\n")
    prompt = "Is this exactly the fingerprint the organiser gave you (on paper, by phone)?"
    if not click.confirm(prompt, default=False):
        raise KitError(
            "the kit's key was not confirmed, nothing was installed: get the kit again from the "
            "organiser, or their fingerprint, and retry."
        )
    return fingerprint


@usb.command(hidden=True)
@click.argument("kit", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--state-dir", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.option("--roster", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--hub-url", default="")
@click.option("--port", type=int, default=443)
def setup(kit: Path, state_dir: Path, roster: Path | None, hub_url: str, port: int) -> None:
    """The hub side of the kit's install (the install script runs it in the hub image)."""
    from ..engine import docker_client_or_none
    from ..usb.install import Workshop, set_up_hub

    client = docker_client_or_none()
    if client is None:
        raise KitError("the Docker engine does not answer on /var/run/docker.sock")
    StateDir(state_dir).ensure()
    workshop = Workshop(kit, state_dir, port, hub_url)
    result = set_up_hub(workshop, client, roster, say=lambda text: click.echo(text, err=True))
    click.secho(f"\nungp-hub is running at {result['url']}", fg="green", bold=True)
    click.echo(
        f"workshop CA certificate: {result['ca']} (also at {result['url']}/hub/workshop-ca.crt)"
    )
    if "slips" in result:
        click.echo(f"login slips to print: {result['slips']}")
        click.echo(f"passwords (keep private): {result['passwords']}")


@usb.command("public-key")
@settings_option
def public_key(settings_file: str | None) -> None:
    """Print the fingerprint of the key that signs this hub's kits and results bundles.

    Give it to whoever installs a kit (`install --expect-key`, Ansible's ungp_kit_fingerprint)
    or imports results (certification.trusted_workshop_keys), by another route than the kit.
    """
    from ..usb import openpgp, signing

    state = StateDir(load(settings_file).state_dir)
    key = signing.signing_key(state.path / "secrets")
    click.echo(signing.public_pem(key).decode(), nl=False)
    click.echo(f"fingerprint: {signing.fingerprint(signing.public_pem(key))}")
    click.echo(f"OpenPGP fingerprint (what gpgv prints for a kit): {openpgp.fingerprint(key)}")


@usb.command("export-results")
@settings_option
@click.option("--workshop", required=True, help="A name for the workshop, e.g. accra-2026-11.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The bundle file (default: STATE_DIR/results-<workshop>.tar).",
)
def export_results(settings_file: str | None, workshop: str, out: Path | None) -> None:
    """Write the signed results bundle of this workshop hub (to carry to the central hub)."""
    from ..usb import signing
    from ..usb.results import export_results as export

    state = StateDir(load(settings_file).state_dir)
    key = signing.signing_key(state.path / "secrets")
    out = out or state.path / f"results-{workshop}.tar"
    with console.status("collecting gradebooks, submissions, certificates and logs…"):
        export(state.path, out, workshop, key)
    click.echo(f"results bundle: {out}")
    click.echo(f"signed by key {signing.fingerprint(signing.public_pem(key))}")


@click.group()
def results() -> None:
    """Results brought back from offline workshops."""


@results.command("import")
@settings_option
@click.argument("bundle", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--expect-key",
    default="",
    help="The workshop key's fingerprint, if not in certification.trusted_workshop_keys.",
)
def import_(settings_file: str | None, bundle: Path, expect_key: str) -> None:
    """Merge a workshop's results BUNDLE into this hub (safe to repeat).

    Only a bundle signed by a pinned workshop key is imported: one listed in the settings
    (certification.trusted_workshop_keys) or given with --expect-key.
    """
    from ..usb.results import import_results

    settings = load(settings_file)
    trusted = [*settings.get("certification.trusted_workshop_keys"), expect_key]
    report = import_results(bundle, StateDir(settings.state_dir).path, [k for k in trusted if k])
    click.echo(f"workshop {report.workshop} (key {report.fingerprint})")
    click.echo(f"files: {len(report.added)} added, {len(report.unchanged)} already here")
    click.echo(
        f"certificates: {report.certificates_added} added; "
        f"{report.certificates_verified} imported certificates verify"
    )
    for problem in report.conflicts + report.certificates_failed:
        click.secho(f"conflict: {problem}", fg="yellow", err=True)
    if report.conflicts or report.certificates_failed:
        raise SystemExit(1)


@results.command("verify")
@settings_option
def verify(settings_file: str | None) -> None:
    """Verify every imported workshop certificate with its workshop's keys."""
    from ..usb.results import verify_imported

    state = StateDir(load(settings_file).state_dir)
    verdicts = verify_imported(state.path)
    click.echo(f"{verdicts.count(True)} of {len(verdicts)} imported certificates verify")
    if not all(verdicts):
        raise SystemExit(1)


@usb.command()
def lock() -> None:
    """Re-resolve images/hub/requirements.in into the hub image's hash-pinned lock file."""
    from ..usb.hub_image import lock as lock_hub

    source = project_root() / "images" / "hub"
    lock_hub(source)
    click.echo(f"wrote {source / 'requirements.lock'}")
