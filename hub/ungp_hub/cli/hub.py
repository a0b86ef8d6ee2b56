"""``ungp hub run``: start the hub (and, in demo mode, what it needs first)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import click
import requests

from ..accounts.hub_api import api_url
from ..state import StateDir
from .options import load, project_root, settings_option, settings_path


def config_file() -> Path:
    checkout = project_root() / "jupyterhub_config.py"
    if checkout.exists():
        return checkout
    return Path(__file__).resolve().parents[1] / "jupyterhub_config.py"


@click.group()
def hub() -> None:
    """Run the hub."""


@hub.command()
@settings_option
@click.option("--no-build", is_flag=True, help="Do not build missing images.")
def run(settings_file: str | None, no_build: bool) -> None:
    """Run JupyterHub in the foreground with the site settings (Ctrl-C stops it)."""
    from .. import demo
    from ..engine import ensure_engine
    from ..images.user import read_built_images

    started = time.monotonic()
    settings = load(settings_file)
    state = StateDir(settings.state_dir)
    state.ensure()
    env = dict(os.environ)
    source = settings_path(settings_file)
    if source:
        env["UNGP_SETTINGS"] = str(source.resolve())
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    if settings.get("hub.spawner") == "docker":
        available, what = ensure_engine(state.logs)
        click.echo(f"docker: {what}", err=True)
        if not available and settings.get("hub.demo"):
            click.secho("DEMO MODE: servers will run as local processes.", fg="yellow", err=True)
        elif available and not no_build:
            # Build or reuse by content hash: a changed checkout runs its own image.
            if not read_built_images(state.path).get("user"):
                click.echo("building the images (first run only: minutes)…", err=True)
            command = [sys.executable, "-m", "ungp_hub.cli.main", "images", "build"]
            subprocess.run(command, env=env, check=True)
    report = demo.DemoReport(log=state.logs / "demo.log")
    if settings.get("hub.demo"):
        report.run("data", lambda: demo.ensure_demo_data(settings))
    process = subprocess.Popen(
        [sys.executable, "-m", "ungp_hub.hub_app", "-f", str(config_file())],
        cwd=state.path,
        env=env,
        # Its own session: Ctrl-C reaches only this command, which stops the hub with one
        # SIGTERM (the terminal's SIGINT as well made JupyterHub run its cleanup twice).
        start_new_session=True,
    )
    signal.signal(signal.SIGTERM, lambda *_: process.terminate())
    try:
        if settings.get("hub.demo"):
            _wait_for_api(settings, process)
            _prepare_demo(settings, report)
            click.echo("Demo set up in:", err=True)
            click.echo("\n".join(report.lines()), err=True)
            click.echo(f"  {'total':<11} {time.monotonic() - started:6.1f} s", err=True)
            _print_accounts(settings, report.passwords)
        code = process.wait()
    except KeyboardInterrupt:
        click.echo("stopping the hub (Ctrl-C again kills it)…", err=True)
        code = 0
    finally:
        # Never leave a hub running behind a command that has stopped.
        _stop(process)
    sys.exit(code)


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM the hub and wait for its cleanup (seconds); a second Ctrl-C kills it."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait()
    except KeyboardInterrupt:
        process.kill()
        process.wait()


def _wait_for_api(settings, process: subprocess.Popen, timeout: float = 120) -> None:
    """Until the proxy routes the hub (asked of the proxy: a request to the public URL before
    then logs an error), then until the hub's API answers."""
    from ..configure.hub import hub_is_routed

    deadline = time.monotonic() + timeout
    url = api_url(settings) + "/"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise click.ClickException("the hub stopped during start-up; see its log above")
        try:
            if hub_is_routed(settings) and requests.get(url, timeout=2).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    raise click.ClickException(f"the hub did not answer at {url} within {timeout:.0f} s")


def _prepare_demo(settings, report) -> None:  # noqa: ANN001 - a Settings, a demo.DemoReport
    """The demo's content, in the order it depends on: accounts (and course groups), the
    course, then what runs in containers."""
    from .. import demo

    passwords: dict[str, str] = {}

    def accounts() -> str:
        passwords.update(demo.ensure_demo_accounts(settings))
        return f"{len(passwords)} demo accounts"

    report.run("accounts", accounts)
    report.run("course", lambda: demo.ensure_demo_course(settings, project_root() / "courses"))
    if settings.get("hub.spawner") == "docker" and demo.docker_available():
        report.run("dashboard", lambda: demo.ensure_demo_dashboard(settings))
    report.run("exam", lambda: demo.demo_exam(settings))
    if settings.get("hub.spawner") == "docker" and demo.docker_available():
        report.run("certificate", lambda: demo.ensure_demo_certificate(settings))
    report.passwords = passwords


def _print_accounts(settings, passwords: dict[str, str]) -> None:
    url = settings.get("hub.bind_url")
    click.secho(f"\nungp-hub is running on {url}  (demo accounts)", fg="green", bold=True)
    for name, password in passwords.items():
        click.echo(f"  {name:<12} {password}")
    click.echo("Stop it with Ctrl-C.\n")
