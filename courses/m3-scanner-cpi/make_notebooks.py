"""Build module 3's notebooks: lessons, the nbgrader source notebook and kept submissions.

Run ``python courses/m3-scanner-cpi/make_notebooks.py`` after editing; commit the .ipynb files
it writes (a test checks they match this script).
"""

from __future__ import annotations

import runpy
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
            "01-unit-values-and-bilateral-indices.ipynb": lessons.lesson_bilateral,
            "02-chain-drift-and-geks.ipynb": lessons.lesson_geks,
            "03-rolling-windows-and-splicing.ipynb": lessons.lesson_splicing,
        },
        assignment=graded.ASSIGNMENT,
        notebook_name=graded.NOTEBOOK,
        source=graded.assignment,
        wrong={
            "laspeyres": graded.WRONG_LASPEYRES,
            "movement_splice": graded.WRONG_MOVEMENT,
        },
    )
    # The R version of the assignment: its own script, same --out (not formatted by ruff).
    runpy.run_path(str(Path(__file__).with_name("make_r_notebooks.py")), run_name="__main__")
