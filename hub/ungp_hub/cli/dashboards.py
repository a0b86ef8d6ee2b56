"""`ungp dashboards`: publish a notebook as a Voila dashboard, list, unpublish, schedule."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import yaml
from rich.console import Console
from rich.table import Table

from ..dashboards.client import DashboardsClient
from ..dashboards.errors import DashboardError

URL = click.option("--url", default="", help="Service URL (default: $UNGP_DASHBOARDS_URL).")
TOKEN = click.option(
    "--token", default="", help="Your hub token (default: $UNGP_TOKEN or $JUPYTERHUB_API_TOKEN)."
)
PARAMS = click.option(
    "-p",
    "--parameter",
    "parameters",
    multiple=True,
    metavar="NAME=VALUE",
    help="A papermill parameter, e.g. -p week=2024-W10 (repeatable; values read as YAML).",
)


def parse_parameters(pairs: tuple[str, ...]) -> dict[str, Any]:
    parsed = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip().isidentifier():
            raise DashboardError(f"bad parameter {pair!r}: write NAME=VALUE, e.g. week=2024-W10")
        parsed[name.strip()] = yaml.safe_load(value) if value else ""
    return parsed


def _client(url: str, token: str) -> DashboardsClient:
    return DashboardsClient.from_environment(url=url, token=token)


@click.group()
def dashboards() -> None:
    """Voila dashboards: publish a notebook to a group, all users or the public."""


@dashboards.command()
@click.argument("notebook", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--to", "to", required=True, help="A group name, 'all' (every user) or 'public'.")
@click.option("--title", default="", help="Title on the dashboards page (default: file name).")
@click.option("--description", default="", help="One or two sentences for the list.")
@click.option("--slug", default="", help="Name in the URL (default: made from the title).")
@PARAMS
@URL
@TOKEN
def publish(notebook, to, title, description, slug, parameters, url, token) -> None:  # noqa: ANN001
    """Run NOTEBOOK in a container and, if it runs cleanly, publish (or update) it."""
    click.echo(f"Running {notebook.name} in a container of the user image ...", err=True)
    result = _client(url, token).publish(
        notebook, to, title, description, slug, parse_parameters(parameters)
    )
    click.echo(f"Published '{result['title']}' for {result['audience']}: {result['url']}")
    if result.get("public_url"):
        click.echo(f"Public page: {result['public_url']}")


@dashboards.command("list")
@URL
@TOKEN
def list_(url, token) -> None:  # noqa: ANN001
    """The dashboards you may open (yours with their last run)."""
    table = Table("name", "title", "owner", "audience", "updated", "last run")
    for item in _client(url, token).list():
        run = item.get("last_run") or {}
        status = run.get("status", "")
        if status == "failed":
            status = f"[red]FAILED {run.get('started', '')}[/red]: " + (run.get("error") or "")[:80]
        table.add_row(
            item["slug"], item["title"], item["owner"], item["audience"], item["updated"], status
        )
    Console().print(table)


@dashboards.command()
@click.argument("slug")
@URL
@TOKEN
def unpublish(slug, url, token) -> None:  # noqa: ANN001
    """Withdraw a dashboard: access ends at once and its server is removed."""
    _client(url, token).unpublish(slug)
    click.echo(f"Unpublished {slug}.")


@dashboards.command()
@click.argument("slug")
@click.option("--every", type=int, default=None, help="Refresh every N seconds (at least 300).")
@click.option("--cron", default=None, help="Refresh on a cron expression in UTC, e.g. '0 6 * * 1'.")
@click.option("--off", is_flag=True, help="Stop refreshing.")
@click.option("--now", is_flag=True, help="Also run once now and report the result.")
@PARAMS
@URL
@TOKEN
def schedule(slug, every, cron, off, now, parameters, url, token) -> None:  # noqa: ANN001
    """Refresh a dashboard on a schedule with papermill parameters; failures keep the last
    good version online and show on the dashboards page and in `ungp dashboards runs`."""
    client = _client(url, token)
    if off:
        client.unschedule(slug)
        click.echo(f"{slug} is no longer refreshed.")
    elif every is not None or cron:
        client.schedule(slug, every, cron, parse_parameters(parameters))
        click.echo(f"{slug} is refreshed {'every ' + str(every) + ' s' if every else cron}.")
    elif not now:
        raise click.UsageError("give --every SECONDS, --cron 'EXPR', --off or --now")
    if now:
        run = client.refresh(slug)
        click.echo(f"run {run['id']}: {run['status']} in {run['duration_s']} s")
        if run["status"] != "succeeded":
            raise DashboardError(f"the run failed (the last good version stays):\n{run['error']}")


@dashboards.command()
@click.argument("slug")
@URL
@TOKEN
def runs(slug, url, token) -> None:  # noqa: ANN001
    """Every run of a dashboard you own: trigger, status, duration, error."""
    table = Table("run", "trigger", "status", "seconds", "parameters", "error")
    for run in _client(url, token).runs(slug):
        error = (run["error"] or "").strip().splitlines()
        table.add_row(
            run["id"],
            run["trigger"],
            run["status"],
            str(run["duration_s"]),
            str(run["parameters"]),
            error[0] if error else "",
        )
    Console().print(table)


@dashboards.command()
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path), default=".")
def examples(dest: Path) -> None:
    """Copy the example dashboards (AIS weekly ports, scanner-data CPI) into DEST."""
    import shutil

    from ..dashboards.examples import EXAMPLES, example_paths

    dest.mkdir(parents=True, exist_ok=True)
    for path in example_paths():
        target = dest / path.name
        if target.exists():
            click.echo(f"{target} exists; left as it is")
            continue
        shutil.copyfile(path, target)
        click.echo(f"{target}: {EXAMPLES[path.name]}")
