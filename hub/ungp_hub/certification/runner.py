"""Execute an exam notebook on the hub host: ONLY for trusted notebooks (tests, fixtures).

Candidates' submissions must run in the sandboxed grader (``ungp_hub.grader``): a notebook
is arbitrary code. This runner exists so that the grading pipeline can be tested end to end
without containers; the service uses it only when ``certification.grading`` is ``host``,
which the settings document as test-only.
"""

from __future__ import annotations

import copy

import nbformat


def run_on_host(nb: nbformat.NotebookNode, timeout: int = 120) -> nbformat.NotebookNode:
    """The executed notebook; errors in cells stay in the outputs (as nbgrader's autograde)."""
    from nbclient import NotebookClient

    executed = copy.deepcopy(nb)
    client = NotebookClient(
        executed, timeout=timeout, kernel_name="python3", allow_errors=True,
        interrupt_on_timeout=True,
    )  # fmt: skip
    client.execute()
    return executed
