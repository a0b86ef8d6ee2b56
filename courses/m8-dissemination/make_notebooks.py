"""Build module 8's notebooks: lessons, the nbgrader source notebook and kept submissions.

Run ``python courses/m8-dissemination/make_notebooks.py`` after editing; commit the .ipynb
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
            "01-from-indicator-to-chart.ipynb": lessons.lesson_indicator,
            "02-widgets-and-voila-dashboards.ipynb": lessons.lesson_dashboard,
        },
        assignment=graded.ASSIGNMENT,
        notebook_name=graded.NOTEBOOK,
        source=graded.assignment,
        wrong={
            "sunday_weeks": graded.WRONG_SUNDAY_WEEKS,
            "change_from_raw": graded.WRONG_CHANGE_FROM_RAW,
        },
    )
