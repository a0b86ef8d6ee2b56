"""Write exam.ipynb, the nbgrader source notebook (template) of the Earth observation exam.

The locked cells are shared by every exam (:mod:`ungp_hub.certification.exam_source`); this
file gives the intro and the solution cells, which the hub removes on release. Run after
editing: ``python certification/exams/x5-earth-observation/make_notebook.py``.
"""

from __future__ import annotations

from pathlib import Path

from ungp_hub.certification.exam_source import build_notebook, write_notebook

HERE = Path(__file__).resolve().parent
INTRO = "You may use pandas, numpy and `ungp_methods`."

SOLUTIONS = {
    "q1": """\
### BEGIN SOLUTION
clear = tables["q1"][tables["q1"]["cloud"] == 0]
q1 = float(((clear["nir"] - clear["red"]) / (clear["nir"] + clear["red"])).mean())
### END SOLUTION""",
    "q2": """\
### BEGIN SOLUTION
sample = tables["q2"]
q2 = float(100 * (sample["map"] == sample["reference"]).mean())
### END SOLUTION""",
    "q3": """\
### BEGIN SOLUTION
sample = tables["q3"]
total = sum(q3_map_pixels.values())
p_crop = 0.0
for stratum, units in sample.groupby("map"):
    weight = q3_map_pixels[stratum] / total
    p_crop += weight * (units["reference"] == "crop").mean()
q3 = float(p_crop * total * q3_pixel_ha)
### END SOLUTION""",
}
BOUNDS = {"q1": (-1.0, 1.0), "q2": (0.0, 100.0), "q3": (0.0, 1e7)}
HINTS = {
    "q1": "an NDVI lies between -1 and 1",
    "q2": "an overall accuracy in %, between 0 and 100",
    "q3": "an area in hectares (pixels x hectares per pixel)",
}


def build():  # noqa: ANN201 - an nbformat notebook
    return build_notebook(HERE, INTRO, SOLUTIONS, BOUNDS, HINTS)


if __name__ == "__main__":
    write_notebook(HERE, build())
