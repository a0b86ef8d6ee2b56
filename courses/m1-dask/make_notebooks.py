"""Build module 1's notebooks: lessons, the nbgrader source notebook and kept submissions.

Run ``python courses/m1-dask/make_notebooks.py`` after editing; commit the .ipynb files it
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
            "01-clusters-partitions-and-lazy-evaluation.ipynb": lessons.lesson_partitions,
            "02-groupby-and-aggregations.ipynb": lessons.lesson_groupby,
        },
        assignment=graded.ASSIGNMENT,
        notebook_name=graded.NOTEBOOK,
        source=graded.assignment,
        wrong={
            "sum_of_daily_counts": graded.WRONG_SUM_OF_DAYS,
            "utc_days": graded.WRONG_UTC_DAYS,
        },
    )
