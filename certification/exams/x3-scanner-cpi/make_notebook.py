"""Write exam.ipynb, the nbgrader source notebook (template) of this exam.

Placeholders filled per candidate by the hub: ``# {{ungp:setup}}`` (the locked data cell) and
``{{ungp:statement:ID}}`` (each question). Solution cells hold the reference method; the hub
releases the notebook without them (nbgrader's ClearSolutions). Run after editing:
``python certification/exams/x3-scanner-cpi/make_notebook.py``.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent


def _meta(grade_id: str, **flags: object) -> dict:
    base = {"grade": False, "locked": False, "solution": False, "task": False}
    return {"nbgrader": {"grade_id": grade_id, "schema_version": 3, **base, **flags}}


def md(grade_id: str, text: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_markdown_cell(text, metadata=_meta(grade_id, locked=True))
    cell["id"] = grade_id
    return cell


def code(grade_id: str, text: str, **flags: object) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(text, metadata=_meta(grade_id, **flags))
    cell["id"] = grade_id
    return cell


SOLUTIONS = {
    "q1": """\
import numpy as np

### BEGIN SOLUTION
prices = tables["q1"].pivot(index="id", columns="month", values="price")
both = prices[[q1_base, q1_current]].dropna()
q1 = float(np.exp(np.log(both[q1_current] / both[q1_base]).mean()))
### END SOLUTION""",
    "q2": """\
import numpy as np

### BEGIN SOLUTION
t = tables["q2"]
p = t.pivot(index="id", columns="month", values="price")[[q2_base, q2_current]]
q = t.pivot(index="id", columns="month", values="quantity")[[q2_base, q2_current]]
matched = p.notna().all(axis=1)
p, q = p[matched], q[matched]
s0 = p[q2_base] * q[q2_base] / (p[q2_base] * q[q2_base]).sum()
s1 = p[q2_current] * q[q2_current] / (p[q2_current] * q[q2_current]).sum()
q2 = float(np.exp((0.5 * (s0 + s1) * np.log(p[q2_current] / p[q2_base])).sum()))
### END SOLUTION""",
    "q3": """\
import numpy as np

### BEGIN SOLUTION
prices = tables["q3"].pivot(index="id", columns="month", values="price")
months = sorted(prices.columns)
q3 = 1.0
for before, after in zip(months, months[1:], strict=False):
    both = prices[[before, after]].dropna()
    q3 *= float(np.exp(np.log(both[after] / both[before]).mean()))
### END SOLUTION""",
}

TESTS = {
    item: f"""\
assert isinstance({item}, float), "store your answer as a float in {item}"
assert 0.2 < {item} < 5, "a price index near 1 is expected; check the direction of the ratio"
_ungp_record("{item}", {item})"""
    for item in SOLUTIONS
}


def build() -> nbformat.NotebookNode:
    cells = [
        md(
            "intro",
            "# Exam: scanner data and the CPI\n\n"
            "Your tables are generated for you alone: another candidate's numbers will not "
            "pass your exam. Answer each question in its cell, run the whole notebook, and "
            "submit before your time limit ends (the hub's clock counts). You may use "
            "pandas, numpy and `ungp_methods`.",
        ),
        code(
            "setup",
            "# ruff: noqa: F821 (the hub fills in this cell)\n# {{ungp:setup}}",
            locked=True,
        ),
    ]
    points = {"q1": 3, "q2": 4, "q3": 3}
    for item, solution in SOLUTIONS.items():
        cells.append(md(f"statement-{item}", "{{ungp:statement:" + item + "}}"))
        cells.append(code(f"answer-{item}", solution, solution=True))
        cells.append(code(f"test-{item}", TESTS[item], grade=True, locked=True,
                          points=points[item]))  # fmt: skip
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                 "language": "python"}  # fmt: skip
    nb.metadata["language_info"] = {"name": "python"}
    return nb


if __name__ == "__main__":
    notebook = build()
    nbformat.validate(notebook)
    (HERE / "exam.ipynb").write_text(nbformat.writes(notebook) + "\n", encoding="utf-8")
