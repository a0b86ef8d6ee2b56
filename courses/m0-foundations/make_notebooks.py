"""Build module 0's notebooks: lessons, the nbgrader source notebook and kept submissions.

Run ``python courses/m0-foundations/make_notebooks.py`` after editing; commit the .ipynb files
it writes (a test checks they match this script).
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from nbcells import main, sibling  # noqa: E402

lessons = sibling(__file__, "lessons")
lessons_quality = sibling(__file__, "lessons_quality")
graded = sibling(__file__, "assignment")

if __name__ == "__main__":
    main(
        __file__,
        lessons={
            "01-jupyter-and-pandas.ipynb": lessons.lesson_pandas,
            "02-data-catalogue.ipynb": lessons.lesson_catalogue,
            "03-quality-and-reproducibility.ipynb": lessons_quality.lesson_quality,
        },
        assignment=graded.ASSIGNMENT,
        notebook_name=graded.NOTEBOOK,
        source=graded.assignment,
        wrong={
            "mean_of_ratios": graded.WRONG_MEAN_OF_RATIOS,
        },
    )
    # The R version of the assignment: its own script, same --out (not formatted by ruff).
    runpy.run_path(str(Path(__file__).with_name("make_r_notebooks.py")), run_name="__main__")
