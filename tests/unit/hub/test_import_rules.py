"""Import rules between the hub's packages: no service imports another service's package.

The four services (exchange, grader, certification, dashboards) share what they need through
packages of their own (``courses``, ``service``, ``settings``, ``accounts``, ``spawner``...),
so each can be split into its own account or container (issue 14) without dragging another
service's code and rights along. Read from the source with `ast`, so a lazy import inside a
function counts as much as one at the top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import ungp_hub

PACKAGE = Path(ungp_hub.__file__).parent
SERVICES = ("exchange", "grader", "certification", "dashboards")
# The sandboxed autograder is a library inside the grader's package: the certification
# service grades exam notebooks with it. Only its public entry points may be used.
LIBRARY_ENTRY_POINTS = {"ungp_hub.grader", "ungp_hub.grader.limits"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path) -> set[str]:
    """Absolute names of the ungp_hub modules `path` imports (relative imports resolved)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if node.module is None or node.level and not node.module:
                found.update(f"{target}.{alias.name}" for alias in node.names)
            found.add(target)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {m for m in found if m == "ungp_hub" or m.startswith("ungp_hub.")}


def owner(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in SERVICES else None


def crossings() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        home = owner(module_name(path))
        if home is None:
            continue
        for target in sorted(imported_modules(path)):
            other = owner(target)
            if other and other != home and target not in LIBRARY_ENTRY_POINTS:
                found.append(f"{module_name(path)} imports {target}")
    return found


def test_no_service_imports_another_services_package():
    assert crossings() == []


def test_the_rule_sees_relative_and_lazy_imports(tmp_path, monkeypatch):
    """The checker itself: a lazy relative import of another service is reported."""
    fake = tmp_path / "ungp_hub"
    (fake / "exchange").mkdir(parents=True)
    (fake / "__init__.py").write_text("")
    (fake / "exchange" / "__init__.py").write_text("")
    lazy = "def f():\n    from ..dashboards.registry import Registry\n"
    (fake / "exchange" / "x.py").write_text(lazy + "    from ..courses import names\n")
    monkeypatch.setitem(globals(), "PACKAGE", fake)
    assert crossings() == ["ungp_hub.exchange.x imports ungp_hub.dashboards.registry"]
