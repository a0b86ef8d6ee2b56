"""R notebooks for the courses: the cells of `nbcells` with the IR kernel's metadata.

nbgrader reads the notebook's language from ``kernelspec.language`` ("R") to pick the stub
that replaces solutions (``fail()``), and the grader picks the sandbox kernel from
``kernelspec.name`` ("ir", the kernel the user image registers system-wide).
"""

from __future__ import annotations

import nbformat
from nbcells import notebook

R_KERNEL = {"name": "ir", "display_name": "R", "language": "R"}
R_LANGUAGE_INFO = {"name": "R", "file_extension": ".r", "mimetype": "text/x-r-source"}


def r_notebook(cells: list[nbformat.NotebookNode]) -> nbformat.NotebookNode:
    """An nbgrader-ready notebook that runs on the IR kernel."""
    nb = notebook(cells)
    nb.metadata["kernelspec"] = dict(R_KERNEL)
    nb.metadata["language_info"] = dict(R_LANGUAGE_INFO)
    return nb
