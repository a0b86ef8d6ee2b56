"""Write exam.ipynb, the nbgrader source notebook (template) of the AIS exam.

The locked cells are shared by every exam (:mod:`ungp_hub.certification.exam_source`); this
file gives the intro and the solution cells, which the hub removes on release. Run after
editing: ``python certification/exams/x2-ais/make_notebook.py``.
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
lat1, lon1 = np.radians(q1_vessel)
lat2, lon2 = np.radians(q1_port_position)
a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
q1 = float(2 * 6371.0088 * np.arcsin(np.sqrt(a)))
### END SOLUTION""",
    "q2": """\
### BEGIN SOLUTION
def displacement(d):
    cb = 1 - (1 - q2_block_coefficient) * (q2_design_draught / d) ** (1 / 3)
    return cb * q2_length * q2_beam * d * 1.025


q2 = float(displacement(q2_departure) - displacement(q2_arrival))
### END SOLUTION""",
    "q3": """\
### BEGIN SOLUTION
mmsi = tables["q3"]["mmsi"]
valid = (mmsi >= 100_000_000) & (mmsi <= 999_999_999) & (mmsi // 1_000_000).between(201, 775)
q3 = int(mmsi[valid].nunique())
### END SOLUTION""",
}
BOUNDS = {"q1": (0.0, 20_037.6), "q2": (-500_000.0, 500_000.0), "q3": (0, 100)}
HINTS = {
    "q1": "a distance on the Earth is between 0 and half its circumference (km)",
    "q2": "a payload in tonnes: check the units (metres, t/m³)",
    "q3": "count distinct vessels (an integer)",
}


def build():  # noqa: ANN201 - an nbformat notebook
    return build_notebook(HERE, INTRO, SOLUTIONS, BOUNDS, HINTS)


if __name__ == "__main__":
    write_notebook(HERE, build())
