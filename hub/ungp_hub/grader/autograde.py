"""nbgrader's own autograde, with execution moved into a sandbox.

``SandboxAutograde`` is nbgrader's ``Autograde`` converter unchanged except for one
preprocessor: ``Execute`` is replaced by :class:`SandboxExecute`. So the host does exactly
what ``nbgrader autograde`` does before execution (ClearOutput, DeduplicateIds,
OverwriteKernelspec, OverwriteCells: locked cells and hidden tests restored from the
gradebook, CheckCellMetadata), executes nothing itself, and scores with nbgrader's own
preprocessors after (IgnorePattern, LimitOutput, SaveAutoGrades, AssignLatePenalties), into
the same gradebook and autograded/ folder.

Grading workers run in threads; nbgrader and its SQLite gradebook are not made for that, so
one lock is held by a worker for everything except the time its notebook is in a sandbox.
"""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.converters import Autograde
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    IgnorePattern,
    LimitOutput,
    NbGraderPreprocessor,
    SaveAutoGrades,
)

from .pool import WarmPool
from .sandbox import SandboxResult, pack_folder
from .sentinel import grading_error, instrument, locked_cells, verify

STATUS_REASON = {
    "timed_out": "not run to its end: the notebook time limit was reached",
    "output_limit": "the notebook's output exceeded the limit",
    "failed": "the sandbox stopped without a result (the kernel or the sandbox crashed)",
}


DELETED = "this test cell was deleted from the submission; it scores zero"


@dataclass
class NotebookOutcome:
    status: str
    failed_cells: dict[str, str] = field(default_factory=dict)  # grade_id -> reason
    seconds: float = 0.0
    deleted: list[str] = field(default_factory=list)  # grade_ids of test cells not present
    cpu: dict[str, float] = field(default_factory=dict)  # CPU-s by part in the sandbox


@dataclass
class GradingContext:
    """What every worker shares during one run."""

    pool: WarmPool
    lock: threading.Lock = field(default_factory=threading.Lock)
    outcomes: dict[tuple[str, str], NotebookOutcome] = field(default_factory=dict)
    result_limit: int = 256 << 20


class SandboxExecute(NbGraderPreprocessor):
    """Send the prepared notebook to a sandbox; take back only outputs; check the sentinels."""

    context: GradingContext | None = None  # set on a subclass per run (see bind)

    @classmethod
    def bind(cls, context: GradingContext) -> type[SandboxExecute]:
        return type("BoundSandboxExecute", (cls,), {"context": context})

    def preprocess(self, nb: nbformat.NotebookNode, resources: dict[str, Any]):
        context = self.context
        student = resources["nbgrader"]["student"]
        notebook_id = resources["nbgrader"]["notebook"]
        kernel = nb.metadata.get("kernelspec", {}).get("name")
        expected = context.pool.limits.kernel
        if kernel != expected:  # restored from the gradebook: only the instructor can cause it
            raise RuntimeError(
                f"notebook {notebook_id} uses kernel {kernel!r}, the sandboxes run {expected!r}"
            )
        tests, locked = _gradebook_cells(resources)
        record = instrument(nb, tests)
        instructor = locked_cells(nb, locked)
        files = pack_folder(Path(resources["metadata"]["path"]))
        sent = copy.deepcopy(nb)
        context.lock.release()
        try:
            sandbox = context.pool.take()
            try:
                result = sandbox.run(
                    sent,
                    files,
                    record.test_cells,
                    context.result_limit,
                    instructor_cells=instructor,
                )
            finally:
                sandbox.destroy()
        finally:
            context.lock.acquire()
        notes = _merge_outputs(nb, result, record.test_cells)
        failed = verify(nb, record, notes)
        by_id = {
            nb.cells[i].metadata["nbgrader"].get("grade_id", str(i)): reason
            for i, reason in failed.items()
        }
        deleted = _deleted_tests(nb, resources)
        by_id.update(dict.fromkeys(deleted, DELETED))
        status = result.status
        if status == "ok" and result.timed_out_cells:
            status = "timed_out"
        context.outcomes[(student, notebook_id)] = NotebookOutcome(
            status, by_id, result.seconds, deleted, result.cpu
        )
        return nb, resources


def _gradebook_cells(resources: dict[str, Any]) -> tuple[set[str], set[str]]:
    """(grade_ids of test cells, of locked non-test cells) as the gradebook knows them.

    The submission's metadata says which cells are locked or tests, but a trainee can add a
    cell with ``"locked": true`` and no grade_id (nbgrader leaves it alone): only cells the
    gradebook knows, whose sources nbgrader has just restored, run in the clean interpreter.
    """
    from nbgrader.api import Gradebook

    info = resources["nbgrader"]
    with Gradebook(info["db_url"]) as gb:
        notebook = gb.find_notebook(info["notebook"], info["assignment"])
        solutions = {c.name for c in notebook.solution_cells}
        grades = {c.name for c in notebook.grade_cells}
        locked = {c.name for c in notebook.source_cells if c.locked}
    return grades - solutions, locked - grades - solutions


def _deleted_tests(nb: nbformat.NotebookNode, resources: dict[str, Any]) -> list[str]:
    """Test cells the gradebook knows for this notebook that the submission no longer has.

    nbgrader restores the source of locked cells that are present but cannot restore a
    deleted one; their grades would stay empty (and wait for manual grading). We score
    them zero instead (see GradingRun).
    """
    from nbgrader.api import Gradebook

    info = resources["nbgrader"]
    present = {c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells}
    with Gradebook(info["db_url"]) as gb:
        notebook = gb.find_notebook(info["notebook"], info["assignment"])
        solutions = {c.name for c in notebook.solution_cells}
        tests = [c.name for c in notebook.grade_cells if c.name not in solutions]
    return sorted(t for t in tests if t not in present)


def _merge_outputs(nb: nbformat.NotebookNode, result: SandboxResult, tests: list[int]) -> dict:
    """Copy outputs from the sandbox's notebook onto the host's copy, cell by cell.

    Sources and metadata stay the host's: nothing but outputs is taken from the sandbox.
    """
    notes = dict(result.notes)
    executed = (result.notebook or {}).get("cells")
    if executed is None or len(executed) != len(nb.cells):
        reason = STATUS_REASON.get(result.status, STATUS_REASON["failed"])
        for index in tests:
            notes.setdefault(index, reason)
        return notes
    for cell, done in zip(nb.cells, executed, strict=True):
        if cell.cell_type != "code":
            continue
        cell.outputs = [nbformat.from_dict(o) for o in done.get("outputs", [])]
        cell.execution_count = done.get("execution_count")
    for index, note in result.notes.items():
        cell = nb.cells[index] if 0 <= index < len(nb.cells) else None
        if cell is not None and index not in tests and cell.cell_type == "code":
            cell.outputs.append(grading_error(note))
    return notes


class ThreadedAutograde(Autograde):
    """nbgrader's Autograde without its per-notebook ``setenv`` (not safe across threads).

    nbgrader 0.9.6 wraps the execution phase in ``utils.setenv(NBGRADER_EXECUTION=...)``,
    which deletes the variable afterwards even while another thread is inside it. The run
    sets NBGRADER_EXECUTION=autograde once for its whole duration instead; the two phases
    below are nbgrader's own.
    """

    def convert_single_notebook(self, notebook_filename: str) -> None:
        self._sanitizing = True
        self._init_preprocessors()
        super(Autograde, self).convert_single_notebook(notebook_filename)
        built = Path(self.writer.build_directory) / Path(notebook_filename).name
        self._sanitizing = False
        self._init_preprocessors()
        try:
            super(Autograde, self).convert_single_notebook(str(built))
        finally:
            self._sanitizing = True


def sandbox_autograde(context: GradingContext, **kwargs: Any) -> Autograde:
    """An nbgrader Autograde converter whose Execute step is the sandbox."""
    converter = ThreadedAutograde(**kwargs)
    converter.autograde_preprocessors = [
        SandboxExecute.bind(context),
        IgnorePattern,
        ClearMetadataPreprocessor,
        LimitOutput,
        SaveAutoGrades,
        AssignLatePenalties,
        CheckCellMetadata,
    ]
    return converter
