"""Writing an exam: its nbgrader source notebook and the candidate's locked data cell.

Every exam under ``certification/exams/<id>/`` has the same shape (see :mod:`.exams`): an
intro, a locked data cell the hub fills per candidate, and per item a statement, a solution
cell and a locked test cell that only *records* the answer. The exam's ``make_notebook.py``
gives its intro and solutions and calls :func:`write_notebook`; its ``items.py`` builds the
data cell with :func:`data_cell`. Sharing them here keeps every exam's locked cells identical,
so the grading rules (which cells come from the template, what a record looks like) hold for
all of them.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd
import yaml

from .errors import ExamDefinitionError
from .exams import SETUP, STATEMENT

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
RULES = (
    "Your data are generated for you alone: another candidate's numbers will not pass your "
    "exam. Answer each question in its cell, run the whole notebook, and submit before your "
    "time limit ends (the hub's clock counts)."
)


def _meta(grade_id: str, **flags: object) -> dict[str, Any]:
    base = {"grade": False, "locked": False, "solution": False, "task": False}
    return {"nbgrader": {"grade_id": grade_id, "schema_version": 3, **base, **flags}}


def markdown_cell(grade_id: str, text: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_markdown_cell(text, metadata=_meta(grade_id, locked=True))
    cell["id"] = grade_id
    return cell


def code_cell(grade_id: str, text: str, **flags: object) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(text, metadata=_meta(grade_id, **flags))
    cell["id"] = grade_id
    return cell


def recording_check(item: str, bounds: tuple[float, float] | None = None, hint: str = "") -> str:
    """The locked test cell: a plausibility check (never the answer) and the record."""
    lines = [
        "import numbers",
        "",
        f"assert isinstance({item}, numbers.Real) and not isinstance({item}, bool), "
        f'"store your answer as a number in {item}"',
    ]
    if bounds is not None:
        message = hint or f"{item} is far from any plausible value; check your method"
        lines.append(f"assert {bounds[0]!r} <= {item} <= {bounds[1]!r}, {message!r}")
    lines.append(f'_ungp_record("{item}", {item})')
    return "\n".join(lines)


def exam_points(folder: Path) -> tuple[str, dict[str, int | float]]:
    """The exam's title and the points of each item, from its exam.yaml."""
    data = yaml.safe_load((folder / "exam.yaml").read_text(encoding="utf-8"))
    try:
        return str(data["title"]), {str(i["id"]): i["points"] for i in data["items"]}
    except (KeyError, TypeError) as exc:
        raise ExamDefinitionError(f"{folder / 'exam.yaml'}: missing or bad key: {exc}") from None


def build_notebook(
    folder: Path,
    intro: str,
    solutions: Mapping[str, str],
    bounds: Mapping[str, tuple[float, float]] | None = None,
    hints: Mapping[str, str] | None = None,
) -> nbformat.NotebookNode:
    """The source notebook: ``solutions`` maps item id to its solution cell (with nbgrader's
    ``### BEGIN/END SOLUTION`` markers); items and points come from exam.yaml."""
    title, points = exam_points(folder)
    if set(points) != set(solutions):
        raise ExamDefinitionError(
            f"{folder}: exam.yaml items {sorted(points)} differ from the solutions "
            f"{sorted(solutions)} of make_notebook.py"
        )
    bounds, hints = bounds or {}, hints or {}
    cells = [
        markdown_cell("intro", f"# {title}\n\n{RULES} {intro}".rstrip()),
        code_cell(
            "setup", f"# ruff: noqa: F821 (the hub fills in this cell)\n{SETUP}", locked=True
        ),
    ]
    for item, solution in solutions.items():
        cells.append(markdown_cell(f"statement-{item}", STATEMENT % item))
        cells.append(code_cell(f"answer-{item}", solution, solution=True))
        test = recording_check(item, bounds.get(item), hints.get(item, ""))
        cells.append(code_cell(f"test-{item}", test, grade=True, locked=True, points=points[item]))
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def write_notebook(folder: Path, nb: nbformat.NotebookNode) -> Path:
    nbformat.validate(nb)
    path = Path(folder) / "exam.ipynb"
    path.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
    return path


# -- the data cell -----------------------------------------------------------------------------
def csv_text(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A table as CSV; floats keep their shortest exact form, so the candidate reads exactly
    the numbers the server computes the reference answer from."""
    buffer = io.StringIO()
    pd.DataFrame(list(rows), columns=list(columns)).to_csv(buffer, index=False)
    return buffer.getvalue()


def data_cell(
    params: Mapping[str, Mapping[str, Any]],
    columns: Mapping[str, Sequence[str]],
    scalars: Sequence[str] = (),
) -> str:
    """The locked data cell: ``tables[ITEM]`` for every item with ``rows`` (its columns from
    ``columns``) and a variable ``ITEM_KEY`` for every key of ``scalars`` an item has."""
    lines = ["import io", "", "import pandas as pd", "", "tables = {}"]
    for item_id in sorted(params):
        item = params[item_id]
        if "rows" in item:
            csv = csv_text(columns[item_id], item["rows"])
            lines.append(f"tables[{item_id!r}] = pd.read_csv(io.StringIO({csv!r}))")
        for key in scalars:
            if key in item:
                lines.append(f"{item_id}_{key} = {item[key]!r}")
    return "\n".join(lines)


def frame(params: Mapping[str, Any], columns: Sequence[str]) -> pd.DataFrame:
    """The item's table as the server sees it (for the reference answer)."""
    return pd.read_csv(io.StringIO(csv_text(columns, params["rows"])))
