"""Write exam.ipynb, the nbgrader source notebook (template) of the mobile phone data exam.

The locked cells are shared by every exam (:mod:`ungp_hub.certification.exam_source`); this
file gives the intro and the solution cells, which the hub removes on release. Run after
editing: ``python certification/exams/x4-mobile/make_notebook.py``.
"""

from __future__ import annotations

from pathlib import Path

from ungp_hub.certification.exam_source import build_notebook, write_notebook

HERE = Path(__file__).resolve().parent
INTRO = "You may use pandas, numpy and `ungp_methods`."

SOLUTIONS = {
    "q1": """\
### BEGIN SOLUTION
t = tables["q1"]
when = pd.to_datetime(t["timestamp"])
start = pd.Timestamp(q1_hour)
inside = (t["area"] == q1_area) & (when >= start) & (when < start + pd.Timedelta(hours=1))
q1 = int(t.loc[inside, "subscriber"].nunique())
### END SOLUTION""",
    "q2": """\
### BEGIN SOLUTION
t = tables["q2"].copy()
when = pd.to_datetime(t["timestamp"])
t["night"] = (when - pd.Timedelta(hours=7)).dt.date
nightly = t[(when.dt.hour >= 20) | (when.dt.hour < 7)]
stats = (
    nightly.groupby(["subscriber", "area"])
    .agg(events=("night", "size"), nights=("night", "nunique"))
    .reset_index()
)
best = stats.sort_values(
    ["subscriber", "events", "nights", "area"], ascending=[True, False, False, True]
).drop_duplicates("subscriber")
homes = best[best["nights"] >= q2_min_nights]
q2 = int((homes["area"] == q2_area).sum())
### END SOLUTION""",
    "q3": """\
import numpy as np

### BEGIN SOLUTION
grid = tables["q3"]
later = ["2G", "3G", "4G", "5G"]
covered = np.zeros(len(grid), dtype=bool)
for lat, lon, technology, radius in q3_towers:
    if later.index(technology) < later.index(q3_technology):
        continue
    p1, p2 = np.radians(grid["lat"]), np.radians(lat)
    dlon = np.radians(grid["lon"] - lon)
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    covered |= (2 * 6371.0088 * np.arcsin(np.sqrt(a)) <= radius).to_numpy()
q3 = float(100 * grid.loc[covered, "population"].sum() / grid["population"].sum())
### END SOLUTION""",
}
BOUNDS = {"q1": (0, 1000), "q2": (0, 1000), "q3": (0.0, 100.0)}
HINTS = {
    "q1": "a number of subscribers (an integer)",
    "q2": "a number of subscribers (an integer)",
    "q3": "a percentage of the population, between 0 and 100",
}


def build():  # noqa: ANN201 - an nbformat notebook
    return build_notebook(HERE, INTRO, SOLUTIONS, BOUNDS, HINTS)


if __name__ == "__main__":
    write_notebook(HERE, build())
