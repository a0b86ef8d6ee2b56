"""Build module 6's notebooks: lessons, the nbgrader source notebook and kept submissions.

Run ``python courses/m6-privacy/make_notebooks.py`` after editing; commit the .ipynb files it
writes (a test checks they match this script).
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
            "01-disclosure-risk-of-microdata.ipynb": lessons.lesson_microdata,
            "02-cell-key-and-differential-privacy.ipynb": lessons.lesson_tables,
        },
        assignment=graded.ASSIGNMENT,
        notebook_name=graded.NOTEBOOK,
        source=graded.assignment,
        wrong={
            "unweighted_fk": graded.WRONG_UNWEIGHTED,
            "no_budget": graded.WRONG_NO_BUDGET,
        },
    )
