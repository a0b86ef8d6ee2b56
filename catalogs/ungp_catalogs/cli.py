"""`ungp catalog ...`: build, validate, list and show the data catalogues.

The click group `catalog` is mounted by the hub's `ungp` command. Data directory: `--out` /
`--data`, else $UNGP_DATA_DIR, else the hub's data directory (docker.data_dir of the site
settings named by `--settings`, $UNGP_SETTINGS or /etc/ungp-hub/settings.yaml, when ungp_hub is
installed), else ./state/data. Exit codes: 0 ok, 1 failed, 2 usage.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
import yaml
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from .errors import CatalogError

DATA_ENV = "UNGP_DATA_DIR"
SETTINGS_ENV = "UNGP_SETTINGS"
DEFAULT_DATA = "state/data"
DEFAULT_SETTINGS = "/etc/ungp-hub/settings.yaml"


def hub_data_dir(settings_file: str | None) -> Path | None:
    """The data directory of the hub's site settings, or None without settings or ungp_hub."""
    chosen = settings_file or os.environ.get(SETTINGS_ENV)
    if not chosen and Path(DEFAULT_SETTINGS).is_file():
        chosen = DEFAULT_SETTINGS
    if not chosen:
        return None
    try:
        from ungp_hub.settings import load_settings
    except ImportError:
        raise click.UsageError(
            "--settings needs the ungp-hub package; pass --data/--out DIR instead"
        ) from None
    return Path(load_settings(Path(chosen)).data_dir)


def _resolve(data_dir: Path | None, settings_file: str | None) -> Path:
    if data_dir is not None:
        return data_dir
    return hub_data_dir(settings_file) or Path(DEFAULT_DATA)


def _data_option(flag: str):
    def decorate(func):
        func = click.option(
            "--settings",
            "settings_file",
            type=click.Path(dir_okay=False, exists=True),
            default=None,
            help=f"Hub site settings whose data directory to use (env {SETTINGS_ENV}).",
        )(func)
        return click.option(
            flag,
            "data_dir",
            type=click.Path(file_okay=False, path_type=Path),
            envvar=DATA_ENV,
            default=None,
            help=f"Data directory holding catalog.yaml (env {DATA_ENV}; default: the hub's "
            f"data directory from the settings, else {DEFAULT_DATA}).",
        )(func)

    return decorate


def _fail(exc: CatalogError) -> None:
    Console(stderr=True).print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
    sys.exit(1)


@click.group(name="catalog")
def catalog() -> None:
    """Build, validate and browse the trusted data catalogues."""


@catalog.command()
@click.option(
    "--scale",
    type=click.Choice(["small", "medium", "large"]),
    required=True,
    help="small: tests and lessons (seconds); medium; large: big-data exercises (minutes).",
)
@_data_option("--out")
@click.option("--seed", type=int, default=None, help="Random seed (default 20240101).")
@click.option(
    "--domain",
    "domains",
    multiple=True,
    help="Build only this domain (repeatable); domains it requires are built too.",
)
@click.option(
    "--reference-dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="Folder of the price-index reference set (default <repo>/../shared/data/price-indices, "
    "else catalogs/reference/price-indices).",
)
def build(
    scale: str,
    data_dir: Path | None,
    settings_file: str | None,
    seed: int | None,
    domains: tuple[str, ...],
    reference_dir: Path | None,
) -> None:
    """Generate the data of every domain deterministically and write the catalogues."""
    from .build import DEFAULT_SEED, build_catalog

    data_dir = _resolve(data_dir, settings_file)

    console = Console(stderr=True)
    with Progress(
        TextColumn("[bold]{task.fields[domain]:<12}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
    ) as progress:
        task = progress.add_task("", total=None, domain="")

        def on_domain(name: str, index: int, total: int) -> None:
            progress.update(task, completed=index, total=total, domain=name, description="")

        def on_step(text: str) -> None:
            progress.update(task, description=text)

        try:
            report = build_catalog(
                data_dir,
                scale=scale,
                seed=DEFAULT_SEED if seed is None else seed,
                domains=list(domains) or None,
                reference_dir=reference_dir,
                on_domain=on_domain,
                on_step=on_step,
            )
        except CatalogError as exc:
            progress.stop()
            _fail(exc)
            return
        progress.update(task, completed=len(report.domains), description="done", domain="")
    for d in report.domains:
        console.print(
            f"{d.name:<12} {d.entries:3d} entries {d.files:5d} files "
            f"{d.bytes / 1e6:9.1f} MB {d.seconds:7.1f} s"
        )
    click.echo(str(report.root))


@catalog.command()
@_data_option("--data")
def validate(data_dir: Path | None, settings_file: str | None) -> None:
    """Recompute every file's sha256, size and row count; exit 1 on any mismatch."""
    from .validate import validate_catalog

    data_dir = _resolve(data_dir, settings_file)

    console = Console(stderr=True)
    try:
        with Progress(
            TextColumn("validating"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        ) as progress:
            task = progress.add_task("", total=None)
            report = validate_catalog(
                data_dir,
                on_file=lambda done, total: progress.update(task, completed=done, total=total),
            )
    except CatalogError as exc:
        _fail(exc)
        return
    for p in report.problems:
        console.print(f"[red]{p.kind}[/] {p.message}", highlight=False, soft_wrap=True)
    rate = report.bytes / 1e6 / report.seconds if report.seconds else 0.0
    summary = (
        f"{report.files} files ok, {len(report.problems)} problems, "
        f"{report.bytes / 1e6:.1f} MB in {report.seconds:.1f} s ({rate:.0f} MB/s)"
    )
    if report.problems:
        console.print(f"[bold red]invalid:[/] {summary}", highlight=False)
        sys.exit(1)
    click.echo(f"valid: {summary}")


@catalog.command(name="list")
@_data_option("--data")
def list_entries(data_dir: Path | None, settings_file: str | None) -> None:
    """List every entry with its domain, role, access level, rows and size."""
    from .catalog_files import load_entries

    data_dir = _resolve(data_dir, settings_file)

    try:
        entries = load_entries(data_dir)
    except CatalogError as exc:
        _fail(exc)
        return
    table = Table("entry", "domain", "role", "access", "rows", "MB", "title")
    for name, e in entries.items():
        md = e.metadata
        rows = md.get("rows")
        table.add_row(
            name,
            e.domain,
            md.get("role", ""),
            md.get("access", ""),
            "" if rows is None else f"{rows:,}",
            f"{(md.get('bytes') or 0) / 1e6:.2f}",
            md.get("title", ""),
        )
    Console(width=200).print(table)


@catalog.command()
@click.argument("entry")
@_data_option("--data")
def show(entry: str, data_dir: Path | None, settings_file: str | None) -> None:
    """Show an entry's full metadata (provenance, licence, variables, files and sha256)."""
    from .catalog_files import find_entry

    data_dir = _resolve(data_dir, settings_file)

    try:
        found = find_entry(data_dir, entry)
    except CatalogError as exc:
        _fail(exc)
        return
    doc = {
        "entry": found.name,
        "description": found.description,
        "catalogue": str(found.catalog_path),
    }
    doc.update(found.metadata)
    click.echo(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100))


def main() -> None:
    catalog()


if __name__ == "__main__":
    main()
