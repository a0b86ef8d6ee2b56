"""Building the data directory: run domain generators, write catalogues, swap in atomically.

Each domain is generated into `<data>/.staging-<domain>/` and only moved into `<data>/<domain>/`
when its generator and catalogue finished, so an interrupted build never leaves a catalogue
pointing at half-written files. The root catalogue is rewritten from the domains present.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .catalog_files import DOMAIN_FILE, write_domain_catalog, write_root_catalog
from .context import SCALES, BuildContext
from .datapage import write_data_page
from .domains import build_order, discover
from .errors import BuildError

DEFAULT_SEED = 20240101


def repo_root() -> Path:
    """The checkout holding catalogs/ (this file is catalogs/ungp_catalogs/build.py)."""
    return Path(__file__).resolve().parents[2]


def default_reference_dir() -> Path:
    """`<repo>/../shared/data/price-indices`, else the unchanged copy kept in catalogs/reference."""
    shared = repo_root().parent / "shared" / "data" / "price-indices"
    if shared.is_dir():
        return shared
    return repo_root() / "catalogs" / "reference" / "price-indices"


@dataclass
class DomainResult:
    name: str
    entries: int
    files: int
    bytes: int
    seconds: float


@dataclass
class BuildReport:
    data_dir: Path
    root: Path
    domains: list[DomainResult] = field(default_factory=list)


def build_catalog(
    data_dir: Path,
    scale: str = "small",
    seed: int = DEFAULT_SEED,
    domains: list[str] | None = None,
    reference_dir: Path | None = None,
    on_domain: Callable[[str, int, int], None] | None = None,
    on_step: Callable[[str], None] | None = None,
) -> BuildReport:
    """Build the given domains (default: all) and their requirements into `data_dir`.

    `on_domain(name, index, total)` is called before each domain, `on_step(text)` with the
    generator's progress notes; the CLI turns them into progress bars.
    """
    if scale not in SCALES:
        raise BuildError(f"unknown scale '{scale}'; use one of {', '.join(SCALES)}")
    available = discover()
    order = build_order(available, list(domains) if domains else sorted(available))
    data_dir.mkdir(parents=True, exist_ok=True)
    ref = reference_dir if reference_dir is not None else default_reference_dir()
    report = BuildReport(data_dir=data_dir, root=data_dir / "catalog.yaml")
    for index, name in enumerate(order):
        if on_domain is not None:
            on_domain(name, index, len(order))
        gen = available[name]
        start = time.perf_counter()
        staging = data_dir / f".staging-{name}"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        ctx = BuildContext(gen.domain, scale, seed, staging, data_dir, ref, on_step)
        try:
            gen.build(ctx)
            if not ctx.entries:
                raise BuildError(f"domain '{name}' produced no entries")
            write_domain_catalog(ctx)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        _swap_in(staging, data_dir / name)
        report.domains.append(
            DomainResult(
                name=name,
                entries=len(ctx.entries),
                files=sum(len(e.record.files) for e in ctx.entries),
                bytes=sum(e.record.bytes for e in ctx.entries),
                seconds=time.perf_counter() - start,
            )
        )
        write_root_catalog(data_dir)
    write_data_page(data_dir)
    return report


def _swap_in(staging: Path, final: Path) -> None:
    """Replace the contents of `final` with those of `staging`, keeping `final` itself.

    The domain folder is what the hub bind-mounts into running containers; a mount follows
    the folder, not its path, so the folder is kept and its children are swapped (each a
    rename). The domain catalogue moves last, so a reader never sees it before its files.
    """
    old = final.with_name(f".old-{final.name}")
    shutil.rmtree(old, ignore_errors=True)
    if not final.exists():
        staging.rename(final)
        return
    old.mkdir()
    for child in sorted(final.iterdir()):
        child.rename(old / child.name)
    children = sorted(staging.iterdir(), key=lambda p: (p.name == DOMAIN_FILE, p.name))
    for child in children:
        child.rename(final / child.name)
    staging.rmdir()
    shutil.rmtree(old, ignore_errors=True)
