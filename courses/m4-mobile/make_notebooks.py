"""Build module 4's notebooks: lessons, the nbgrader source notebook and kept submissions.

Run ``python courses/m4-mobile/make_notebooks.py`` after editing; commit the .ipynb files it
writes (a test checks they match this script).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from nbcells import main, sibling  # noqa: E402

lessons = sibling(__file__, "lessons")
lessons_coverage = sibling(__file__, "lessons_coverage")
graded = sibling(__file__, "assignment")

if __name__ == "__main__":
    main(
        __file__,
        lessons={
            "01-home-location.ipynb": lessons.lesson_homes,
            "02-od-matrices-and-tourism.ipynb": lessons.lesson_mobility,
            "03-population-coverage.ipynb": lessons_coverage.lesson_coverage,
        },
        assignment=graded.ASSIGNMENT,
        notebook_name=graded.NOTEBOOK,
        source=graded.assignment,
        wrong={
            "all_day_home": graded.WRONG_ALL_DAY,
            "same_day_visitors": graded.WRONG_SAME_DAY,
        },
    )
