"""Write exam.ipynb, the nbgrader source notebook (template) of the privacy exam.

The locked cells are shared by every exam (:mod:`ungp_hub.certification.exam_source`); this
file gives the intro and the solution cells, which the hub removes on release. Run after
editing: ``python certification/exams/x6-privacy/make_notebook.py``.
"""

from __future__ import annotations

from pathlib import Path

from ungp_hub.certification.exam_source import build_notebook, write_notebook

HERE = Path(__file__).resolve().parent
INTRO = "You may use pandas, numpy and `ungp_methods`."
KEYS = '["age_group", "sex", "region"]'

SOLUTIONS = {
    "q1": f"""\
### BEGIN SOLUTION
sizes = tables["q1"].groupby({KEYS})["record"].transform("size")
q1 = int((sizes < q1_k).sum())
### END SOLUTION""",
    "q2": f"""\
import numpy as np

### BEGIN SOLUTION
cells = tables["q2"].groupby({KEYS})
fk = cells["record"].transform("size").to_numpy(float)
Fk = cells["weight"].transform("sum").to_numpy(float)
p = fk / Fk
odds = p / (1 - p)
risk = np.where(fk == 1, odds * np.log(1 / p), odds - odds**2 * np.log(1 / p))
risk = np.where(fk >= 3, p / (fk - (1 - p)), risk)
risk = np.where(np.isclose(fk, Fk), 1 / fk, risk)
q2 = float(risk.sum())
### END SOLUTION""",
    "q3": """\
### BEGIN SOLUTION
keys = ["age_group", "sex", "region", "occupation"]
q3 = int((tables["q3"].groupby(keys)["record"].transform("size") == 1).sum())
### END SOLUTION""",
}
BOUNDS = {"q1": (0, 1000), "q2": (0.0, 1000.0), "q3": (0, 1000)}
HINTS = {
    "q1": "a number of records (an integer)",
    "q2": "a sum of probabilities: at least 0, at most the number of records",
    "q3": "a number of records (an integer)",
}


def build():  # noqa: ANN201 - an nbformat notebook
    return build_notebook(HERE, INTRO, SOLUTIONS, BOUNDS, HINTS)


if __name__ == "__main__":
    write_notebook(HERE, build())
