"""Harness code stays in ``ungp_hub.testing``: no product module imports it.

The harness ships inside the package (benchmarks use it, and the kit's and Ansible's checks
run it inside the hub image), so nothing but this rule keeps a product path from depending on
test helpers. Imports are read with ``ast``, not by importing: a module that only a service
process loads is checked too, and so is Python source that product code passes to an
interpreter as a string.
"""

from __future__ import annotations

import ast
from pathlib import Path

import ungp_hub

PACKAGE = Path(ungp_hub.__file__).parent
HARNESS = "ungp_hub.testing"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(tree: ast.AST, importer: str, is_package: bool) -> set[str]:
    """Every module an ``import`` or ``from ... import`` names, relative ones made absolute."""
    package = importer if is_package else importer.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def code_in_strings(tree: ast.AST) -> list[ast.AST]:
    """Python source held in string constants (e.g. a script run in a container), parsed."""
    parsed = []
    for node in ast.walk(tree):
        text = node.value if isinstance(node, ast.Constant) else None
        if isinstance(text, str) and "import" in text:
            try:
                parsed.append(ast.parse(text))
            except SyntaxError:
                continue  # prose or another language
    return parsed


def harness_imports(path: Path) -> set[str]:
    """The harness modules that the module at `path` imports, in its code or its strings."""
    tree = ast.parse(path.read_text(), str(path))
    name = module_name(path)
    is_package = path.name == "__init__.py"
    found = imported_modules(tree, name, is_package)
    for script in code_in_strings(tree):
        found |= imported_modules(script, name, is_package)
    return {m for m in found if m == HARNESS or m.startswith(HARNESS + ".")}


def product_modules() -> list[Path]:
    harness = PACKAGE / "testing"
    return [path for path in sorted(PACKAGE.rglob("*.py")) if harness not in path.parents]


def test_the_rule_sees_relative_absolute_and_scripted_imports():
    source = (
        "from ..testing.client import HubUser\n"
        "import ungp_hub.testing.wait\n"
        "SCRIPT = 'from ungp_hub.testing.hub import free_port_block'\n"
        "from ..courses.names import check_id\n"
    )
    module = PACKAGE / "usb" / "example.py"
    tree = ast.parse(source)
    found = imported_modules(tree, module_name(module), False)
    for script in code_in_strings(tree):
        found |= imported_modules(script, module_name(module), False)
    assert {"ungp_hub.testing.client", "ungp_hub.testing.wait", "ungp_hub.testing.hub"} <= found
    assert "ungp_hub.courses.names" in found


def test_no_product_module_imports_the_harness():
    modules = product_modules()
    assert len(modules) > 100, "the walk found too few modules to mean anything"
    offenders = {
        module_name(path): sorted(found) for path in modules if (found := harness_imports(path))
    }
    assert not offenders, f"product modules import test harness code: {offenders}"
