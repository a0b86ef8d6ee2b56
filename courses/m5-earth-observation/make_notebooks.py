"""Build module 5's notebooks: lessons, the nbgrader source notebook and kept submissions.

Run ``python courses/m5-earth-observation/make_notebooks.py`` after editing; commit the .ipynb
files it writes (a test checks they match this script).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from nbcells import main, sibling  # noqa: E402

lessons = sibling(__file__, "lessons")
graded = sibling(__file__, "assignment")


if __name__ == "__main__":
    main(
        __file__,
        lessons={
            "01-ndvi-time-series.ipynb": lessons.lesson_time_series,
            "02-crop-maps-and-area-estimation.ipynb": lessons.lesson_area,
        },
        assignment=graded.ASSIGNMENT,
        notebook_name=graded.NOTEBOOK,
        source=graded.assignment,
        wrong={
            "forward_fill": graded.WRONG_FORWARD_FILL,
            "mapped_area": graded.WRONG_MAPPED_AREA,
        },
    )
