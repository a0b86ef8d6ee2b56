"""Build module 2's notebooks: lessons, the nbgrader source notebook and kept submissions.

Run ``python courses/m2-ais/make_notebooks.py`` after editing; commit the .ipynb files it
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
            "01-ais-messages-and-cleaning.ipynb": lessons.lesson_messages,
            "02-port-calls.ipynb": lessons.lesson_port_calls,
            "03-payloads-and-weekly-indicators.ipynb": lessons.lesson_payloads,
        },
        assignment=graded.ASSIGNMENT,
        notebook_name=graded.NOTEBOOK,
        source=graded.assignment,
        wrong={
            "design_cb": graded.WRONG_DESIGN_CB,
            "no_buffer": graded.WRONG_NO_BUFFER,
        },
    )
