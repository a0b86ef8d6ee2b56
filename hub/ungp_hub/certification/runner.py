"""Execute an exam notebook on the hub host: ONLY for trusted notebooks (tests, fixtures).

Candidates' submissions must run in the sandboxed grader (``ungp_hub.grader``): a notebook
is arbitrary code. This runner exists so that the grading pipeline can be tested end to end
without containers; the service uses it only when ``certification.grading`` is ``host``,
which the settings document as test-only.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

import nbformat


def run_on_host(nb: nbformat.NotebookNode, timeout: int = 120) -> nbformat.NotebookNode:
    """The executed notebook; errors in cells stay in the outputs (as nbgrader's autograde)."""
    from nbclient import NotebookClient

    executed = copy.deepcopy(nb)
    client = NotebookClient(
        executed,
        timeout=timeout,
        kernel_name="python3",
        allow_errors=True,
        interrupt_on_timeout=True,
    )
    client.execute()
    return executed


RESET = "get_ipython().run_line_magic('reset', '-f')  # the next notebook starts from nothing"


def run_together(
    notebooks: dict[str, nbformat.NotebookNode],
    runner: Callable[[nbformat.NotebookNode], nbformat.NotebookNode] = run_on_host,
) -> dict[str, nbformat.NotebookNode]:
    """Execute several trusted notebooks in ONE kernel, in order, with the namespace reset
    between them; return each one executed. A kernel (or sandbox) start costs seconds, and
    the exams' tests run every exam's reference solution."""
    cells = []
    for name, nb in notebooks.items():
        cells.append(nbformat.v4.new_code_cell(RESET))
        for cell in copy.deepcopy(nb.cells):
            cell["id"] = f"{name}-{cell['id']}"  # ids (and grade ids) must be unique
            nbgrader = cell.get("metadata", {}).get("nbgrader")
            if nbgrader and "grade_id" in nbgrader:
                nbgrader["grade_id"] = f"{name}-{nbgrader['grade_id']}"
            cells.append(cell)
    first = next(iter(notebooks.values()))
    executed = iter(runner(nbformat.v4.new_notebook(cells=cells, metadata=first.metadata)).cells)
    done = {}
    for name, nb in notebooks.items():
        next(executed)  # the reset cell
        done[name] = copy.deepcopy(nb)
        for cell in done[name].cells:
            ran = next(executed)
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = ran.outputs, ran.execution_count
    return done
