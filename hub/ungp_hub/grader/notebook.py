"""Run ONE notebook in a fresh sandbox and hand it back executed (the certification's runner).

An exam submission is arbitrary code, so it runs exactly like an autograded submission: a
fresh container of the user image (no network, limits, uid 1000, read-only root), test cells
in the clean interpreter (Python; the kernel guard for R), and the fail-closed sentinels of
:mod:`sentinel`. The notebook's metadata says which cells are tests and locked cells: the
caller passes a trusted notebook (the exam's template with only the answers taken in). What comes
back is the notebook with outputs and errors in its cells, as nbclient gives with
``allow_errors=True``; a test cell that did not run to its last line (time limit, crash,
tampering) carries a ``GradingError`` output with the reason, so it scores nothing.

A sandbox that cannot start is the hub's problem, not the candidate's: it raises
:class:`SandboxFailed` instead of returning a notebook that would score zero.
"""

from __future__ import annotations

import copy
import json
from dataclasses import replace

import docker.errors
import nbformat

from .autograde import _merge_outputs
from .limits import GraderSetupError, SandboxLimits
from .sandbox import HOME, LABEL, Sandbox, SandboxFailed
from .sentinel import instructor_imports, instrument, locked_cells, verify

WORKDIR = f"{HOME}/notebook"
RESULT_LIMIT = 256 << 20
API_TIMEOUT = 120  # seconds; a busy engine answers create/remove slowly, not wrongly


def _packages(nb: nbformat.NotebookNode) -> set[str]:
    """Top-level packages the instructor's cells import (warm them in the kernel)."""
    found = set()
    for line in instructor_imports(nb):
        words = line.split()
        if len(words) > 1:
            found.add(words[1].split(".")[0].rstrip(","))
    return found


def run_notebook(
    nb: nbformat.NotebookNode,
    *,
    timeout: int = 120,
    limits: SandboxLimits,
    client=None,  # noqa: ANN001 - a docker.DockerClient; None: the local engine
    start_timeout: float = 120,
) -> nbformat.NotebookNode:
    """Execute ``nb`` in a fresh sandbox; returns an executed copy (``nb`` is not changed).

    ``timeout`` is the time limit of one cell in seconds (as nbclient's); the whole notebook
    gets ``limits.notebook_timeout`` (at least ``timeout``). ``limits``: the site settings'
    ``grader`` section (``SandboxLimits.from_settings``), which the caller has read.
    """
    if client is None:
        from ..engine import docker_client_or_none, how_to_get_docker

        client = docker_client_or_none(timeout=API_TIMEOUT)
        if client is None:
            raise GraderSetupError(f"the grader needs Docker: {how_to_get_docker()}")
    executed = nbformat.from_dict(copy.deepcopy(dict(nb)))
    limits = replace(
        limits.for_packages(_packages(executed)),
        cell_timeout=int(timeout),
        notebook_timeout=max(int(timeout), limits.notebook_timeout),
    )
    record = instrument(executed)
    sent = json.loads(json.dumps(executed))
    sandbox = Sandbox(client, limits, WORKDIR, labels={f"{LABEL}.notebook": "1"})
    try:
        sandbox.start().wait_ready(start_timeout)
        result = sandbox.run(
            sent, b"", record.test_cells, RESULT_LIMIT, instructor_cells=locked_cells(executed)
        )
    except docker.errors.DockerException as error:
        raise SandboxFailed(f"the sandbox did not start ({limits.image}): {error}") from error
    finally:
        sandbox.destroy()
    notes = _merge_outputs(executed, result, record.test_cells)
    verify(executed, record, notes)
    return executed
