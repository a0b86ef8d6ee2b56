"""Cells for course notebooks, written from Python so that nbgrader metadata stays right.

Each module's ``make_notebooks.py`` builds its lessons, its nbgrader source notebook and its
kept submissions with these functions and hands them to :func:`main`, which writes and formats
every file (``--out DIR`` writes elsewhere, as the up-to-date test does). Cell ids are
derived from the position (or the grade id), so running a generator twice gives byte-identical
files and a test can check that the committed notebooks are up to date.
"""

from __future__ import annotations

import argparse
import copy
import importlib.util
import re
import subprocess
import sys
import types
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from textwrap import dedent

import nbformat

SCHEMA_VERSION = 3
HIDDEN = re.compile(r"\n?### BEGIN HIDDEN TESTS\n.*?### END HIDDEN TESTS\n?", re.S)
SOLUTION_MARKERS = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n", re.M)
KERNEL = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def _text(text: str) -> str:
    return dedent(text).strip("\n")


def md(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_markdown_cell(_text(text))


def code(text: str, *, hidden: bool = False, tags: Iterable[str] = ()) -> nbformat.NotebookNode:
    """A code cell; ``hidden`` collapses its source in JupyterLab (worked exercise answers)."""
    cell = nbformat.v4.new_code_cell(_text(text))
    if tags:
        cell.metadata["tags"] = list(tags)
    if hidden:
        cell.metadata["jupyter"] = {"source_hidden": True}
    return cell


def parameters(text: str) -> nbformat.NotebookNode:
    """The cell papermill overrides (``-p scale large -p catalog_path ...``)."""
    return code(text, tags=["parameters"])


LESSON_PARAMETERS = """
scale = "small"  # data scale the lesson was written for: small | medium | large
catalog_path = None  # None: $UNGP_CATALOG, else /srv/data/catalog.yaml
"""


def opening(
    domain: str, imports: Sequence[str] = (), extra_parameters: str = "", open_note: str = ""
) -> list[nbformat.NotebookNode]:
    """The two cells every lesson starts with: its parameters (the data scale, the catalogue,
    then ``extra_parameters``) and the catalogue opened, with a note when the catalogue holds
    another scale than the lesson was written for."""
    opened = f"cat = open_catalog(catalog_path){open_note}"
    lines = [
        *imports,
        "from ungp_catalogs import open_catalog, read_entry",
        "",
        opened,
        f'data_scale = cat.{domain}.metadata["scale"]',
        "if data_scale != scale:",
        '    print(f"Note: this catalogue holds {data_scale!r} data; the lesson was written for '
        '{scale!r}.")',
    ]
    extra = dedent(extra_parameters).lstrip("\n")
    return [parameters(LESSON_PARAMETERS + extra), code("\n".join(lines))]


def _nbgrader(cell: nbformat.NotebookNode, grade_id: str, **flags: object) -> None:
    meta = {"grade": False, "locked": False, "solution": False, "task": False}
    meta.update(flags)
    cell.metadata["nbgrader"] = {"grade_id": grade_id, "schema_version": SCHEMA_VERSION, **meta}


def solution(grade_id: str, text: str) -> nbformat.NotebookNode:
    """A cell the trainee completes; the part between ``### BEGIN/END SOLUTION`` is removed
    from the released notebook."""
    cell = code(text)
    if "### BEGIN SOLUTION" not in cell.source:
        raise ValueError(f"solution cell {grade_id!r} has no ### BEGIN SOLUTION marker")
    _nbgrader(cell, grade_id, solution=True)
    return cell


def tests(grade_id: str, points: int, visible: str, hidden: str = "") -> nbformat.NotebookNode:
    """An autograded, locked test cell worth ``points`` (all or nothing).

    ``hidden`` runs only at grading time: nbgrader strips it from the released notebook and
    puts it back from the gradebook when it autogrades.
    """
    source = _text(visible)
    if hidden:
        source += "\n### BEGIN HIDDEN TESTS\n" + _text(hidden) + "\n### END HIDDEN TESTS"
    cell = nbformat.v4.new_code_cell(source)
    _nbgrader(cell, grade_id, grade=True, locked=True, points=points)
    return cell


def readonly(grade_id: str, text: str) -> nbformat.NotebookNode:
    """A locked markdown cell (task statement) that a trainee cannot edit away."""
    cell = md(text)
    _nbgrader(cell, grade_id, locked=True)
    return cell


def notebook(cells: list[nbformat.NotebookNode]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = dict(KERNEL)
    nb.metadata["language_info"] = {"name": "python"}
    seen: set[str] = set()
    for i, cell in enumerate(cells):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        cell["id"] = grade_id or f"cell-{i:02d}"
        if cell["id"] in seen:
            raise ValueError(f"duplicate cell id {cell['id']!r}")
        seen.add(cell["id"])
    nb.cells = cells
    return nb


def submission(source: nbformat.NotebookNode, answers: dict[str, str]) -> nbformat.NotebookNode:
    """What a trainee hands in: the released notebook (no hidden tests, no solution markers)
    with ``answers`` (grade id -> cell source) in place of the reference solutions."""
    nb = copy.deepcopy(source)
    unknown = set(answers) - {c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells}
    if unknown:
        raise ValueError(f"answers for unknown cells: {sorted(unknown)}")
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            text = answers.get(meta["grade_id"])
            cell.source = _text(text) if text is not None else SOLUTION_MARKERS.sub("", cell.source)
        elif meta.get("grade"):
            cell.source = HIDDEN.sub("\n", cell.source).rstrip("\n")
    return nb


def write(nb: nbformat.NotebookNode, path: Path) -> Path:
    nbformat.validate(nb)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
    return path


def format_code(paths: list[Path]) -> None:
    """Format the notebooks' code cells with ruff, with the project's settings spelled out, so
    that `ruff format` over the repository leaves generated notebooks unchanged."""
    command = [sys.executable, "-m", "ruff", "format", "--isolated", "--quiet"]
    command += ["--line-length", "100", "--target-version", "py311", *map(str, paths)]
    try:
        subprocess.run(command, check=True)
    except (OSError, subprocess.CalledProcessError) as err:
        raise SystemExit(
            f"formatting the notebooks with ruff failed ({err}); pip install ruff"
        ) from err


Cells = list[nbformat.NotebookNode]


def sibling(script_file: str, name: str) -> types.ModuleType:
    """Load ``<folder of script_file>/<name>.py`` under a name unique to its module folder.

    Every module has its own ``lessons.py``; the up-to-date test runs all generators in one
    process, where a plain ``import lessons`` would return the first module's.
    """
    path = Path(script_file).resolve().parent / f"{name}.py"
    folder = re.sub(r"\W", "_", path.parent.name)
    unique = f"ungp_course_{folder}_{name}"
    if unique in sys.modules:
        return sys.modules[unique]
    spec = importlib.util.spec_from_file_location(unique, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[unique] = module
    spec.loader.exec_module(module)
    return module


def write_module(
    out: Path,
    *,
    lessons: dict[str, Callable[[], Cells]],
    assignment: str,
    notebook_name: str,
    source: Callable[[], Cells],
    wrong: dict[str, dict[str, str]],
) -> list[Path]:
    """Write a module's notebooks under ``out`` in the layout of courses/README.md.

    ``lessons`` maps a file name in lessons/ to the function building its cells; ``wrong``
    maps a kept submission's folder name to its answers (grade id -> cell source).
    """
    written = [write(notebook(build()), out / "lessons" / name) for name, build in lessons.items()]
    written += write_assignment(out, assignment, notebook_name, notebook(source()), wrong)
    format_code(written)
    return written


def write_assignment(
    out: Path,
    assignment: str,
    notebook_name: str,
    reference: nbformat.NotebookNode,
    wrong: dict[str, dict[str, str]],
) -> list[Path]:
    """The nbgrader source notebook and the kept wrong submissions made from it."""
    written = [write(reference, out / "source" / assignment / notebook_name)]
    kept = out / "submissions" / assignment
    for label, answers in wrong.items():
        written.append(write(submission(reference, answers), kept / label / notebook_name))
    return written


def main(
    generator: str,
    *,
    lessons: dict[str, Callable[[], Cells]],
    assignment: str,
    notebook_name: str,
    source: Callable[[], Cells],
    wrong: dict[str, dict[str, str]],
    argv: Sequence[str] | None = None,
) -> list[Path]:
    """Command line of every ``make_notebooks.py``: write into its module folder or ``--out``.

    ``generator`` is the script's ``__file__``; its folder is the module folder.
    """
    folder = Path(generator).resolve().parent
    parser = argparse.ArgumentParser(description=f"Write the notebooks of module {folder.name}.")
    parser.add_argument("--out", type=Path, default=folder, help="folder to write into")
    out = parser.parse_args(argv).out
    return write_module(
        out,
        lessons=lessons,
        assignment=assignment,
        notebook_name=notebook_name,
        source=source,
        wrong=wrong,
    )
