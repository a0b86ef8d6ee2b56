"""Write exam.ipynb, the nbgrader source notebook (template) of this exam.

The locked cells and placeholders are shared by every exam
(:mod:`ungp_hub.certification.exam_source`); this file gives the intro and the solution
cells, which the hub removes on release (nbgrader's ClearSolutions). Run after editing:
``python certification/exams/x3-scanner-cpi/make_notebook.py``.
"""

from __future__ import annotations

from pathlib import Path

from ungp_hub.certification.exam_source import build_notebook, write_notebook

HERE = Path(__file__).resolve().parent
INTRO = "You may use pandas, numpy and `ungp_methods`."

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

# A price index near 1 is expected; a value far from it means an inverted ratio.
BOUNDS = dict.fromkeys(SOLUTIONS, (0.2, 5.0))
HINTS = dict.fromkeys(
    SOLUTIONS, "a price index near 1 is expected; check the direction of the ratio"
)


def build():  # noqa: ANN201 - an nbformat notebook
    return build_notebook(HERE, INTRO, SOLUTIONS, BOUNDS, HINTS)


if __name__ == "__main__":
    write_notebook(HERE, build())
