"""Build module 7's notebooks: lessons, the nbgrader source notebook and kept submissions.

Run ``python courses/m7-geospatial-sdg/make_notebooks.py`` after editing; commit the .ipynb
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
            "01-rural-access-index.ipynb": lessons.lesson_rai,
            "02-slum-population-share.ipynb": lessons.lesson_slums,
        },
        assignment=graded.ASSIGNMENT,
        notebook_name=graded.NOTEBOOK,
        source=graded.assignment,
        wrong={
            "all_roads": graded.WRONG_ALL_ROADS,
            "household_share": graded.WRONG_HOUSEHOLDS,
        },
    )
