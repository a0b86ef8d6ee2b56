"""Write exam.ipynb, the nbgrader source notebook (template) of the foundation exam.

The locked cells are shared by every exam (:mod:`ungp_hub.certification.exam_source`); this
file gives the intro and the solution cells, which the hub removes on release. Run after
editing: ``python certification/exams/x0-foundations/make_notebook.py``.
"""

from __future__ import annotations

from pathlib import Path

from ungp_hub.certification.exam_source import build_notebook, write_notebook

HERE = Path(__file__).resolve().parent
INTRO = "You may use pandas and numpy."

SOLUTIONS = {
    "q1": """\
### BEGIN SOLUTION
t = tables["q1"]
cell = t[(t["date"].str[:7] == q1_month) & (t["coicop"] == q1_coicop)]
q1 = float(cell["turnover"].sum() / cell["quantity"].sum())
### END SOLUTION""",
    "q2": """\
### BEGIN SOLUTION
kept = tables["q2"].drop_duplicates()
q2 = int((kept["quantity"] > 0).sum())
### END SOLUTION""",
    "q3": """\
### BEGIN SOLUTION
t = tables["q3"]
totals = t.groupby(t["date"].str[:7])["turnover"].sum()
q3 = float(100 * (totals[q3_current] / totals[q3_base] - 1))
### END SOLUTION""",
}
BOUNDS = {"q1": (0.01, 100.0), "q2": (1, 200), "q3": (-100.0, 1000.0)}
HINTS = {
    "q1": "a unit value is a price per unit: check that you divided turnover by quantity",
    "q2": "count the rows that remain (an integer between 1 and the table's length)",
    "q3": "a change in % of a total turnover: check the direction of the ratio",
}


def build():  # noqa: ANN201 - an nbformat notebook
    return build_notebook(HERE, INTRO, SOLUTIONS, BOUNDS, HINTS)


if __name__ == "__main__":
    write_notebook(HERE, build())
