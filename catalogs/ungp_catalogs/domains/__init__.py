"""Domain generators: one module per domain, found by scanning this package.

Every module `ungp_catalogs/domains/<name>.py` (not starting with "_") is a domain; it must
define `DOMAIN = Domain(...)` and `build(ctx: BuildContext) -> None`. Adding a file is all it
takes: no central list to edit. `requires` names domains whose entries this one reads (the
official benchmarks read the AIS truth); they are built first and pulled in automatically.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

from ..errors import BuildError

if TYPE_CHECKING:
    from ..context import BuildContext


@dataclass(frozen=True)
class Domain:
    """A domain's identity; `version` is the generator version recorded in provenance."""

    name: str
    title: str
    task_team: str
    description: str
    version: str
    module: str = ""
    requires: tuple[str, ...] = ()


@dataclass(frozen=True)
class DomainGenerator:
    domain: Domain
    build: Callable[[BuildContext], None]


def _load(module: ModuleType) -> DomainGenerator:
    domain = getattr(module, "DOMAIN", None)
    build = getattr(module, "build", None)
    if not isinstance(domain, Domain) or not callable(build):
        raise BuildError(
            f"{module.__name__} must define DOMAIN = Domain(...) and build(ctx); "
            "see the ungp_catalogs package docstring"
        )
    if domain.module != module.__name__:
        domain = Domain(**{**domain.__dict__, "module": module.__name__})
    return DomainGenerator(domain, build)


def discover() -> dict[str, DomainGenerator]:
    """All domain generators by name, in alphabetical order of module."""
    found: dict[str, DomainGenerator] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        gen = _load(importlib.import_module(f"{__name__}.{info.name}"))
        found[gen.domain.name] = gen
    return found


def build_order(available: dict[str, DomainGenerator], wanted: list[str]) -> list[str]:
    """`wanted` plus everything they require, dependencies first."""
    order: list[str] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if name in order:
            return
        if name not in available:
            known = ", ".join(sorted(available))
            raise BuildError(f"unknown domain '{name}'; known domains: {known}")
        if name in visiting:
            raise BuildError(f"domains require each other in a cycle through '{name}'")
        visiting.add(name)
        for dep in available[name].domain.requires:
            visit(dep)
        order.append(name)

    for name in wanted:
        visit(name)
    return order
