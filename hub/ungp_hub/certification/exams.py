"""Exams with per-candidate variants, and their server-side grading.

An exam folder (``certification/exams/<id>/``) holds ``exam.yaml`` (items, points,
tolerance), ``items.py`` (``generate``, ``statement``, ``setup_code``, ``reference``) and the
nbgrader source notebook. Each item's parameters come from a random generator seeded with
HMAC-SHA256(exam secret, exam | candidate | attempt | item): deterministic for one candidate
and attempt, unpredictable without the secret, different between candidates.

The notebook a candidate receives has no solutions and no reference answers: locked test cells
only *record* the candidate's answers (a display output of type :data:`ANSWER_MIME`). At
grading time the hub rebuilds the notebook from the template for *this* candidate (so locked
cells and data cannot be tampered with, and another candidate's notebook gets this
candidate's data), keeps only the candidate's solution cells, has it executed (by the
sandboxed grader; :mod:`.runner` on the host only for trusted test fixtures), and
:func:`grade_exam` compares the recorded answers with reference answers computed here with
the trusted methods.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import importlib.util
import json
import math
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import nbformat
import numpy as np
import yaml

from .errors import ExamDefinitionError, ExamRefused

ANSWER_MIME = "application/vnd.ungp.exam-answer+json"
SETUP = "# {{ungp:setup}}"
STATEMENT = "{{ungp:statement:%s}}"
RECORDER = f'''\
def _ungp_record(item, value):
    """Record an answer for the hub's grader (the comparison happens on the hub)."""
    from IPython.display import display

    display({{"{ANSWER_MIME}": {{"item": item, "value": float(value)}},
             "text/plain": f"answer {{item}} recorded: {{float(value)!r}}"}}, raw=True)

'''


@dataclass(frozen=True)
class ExamItem:
    id: str
    points: float
    tolerance: float


@dataclass(frozen=True)
class Exam:
    id: str
    title: str
    folder: Path
    notebook: str
    items: tuple[ExamItem, ...]
    module: ModuleType = field(repr=False, compare=False)

    @property
    def max_score(self) -> float:
        return float(sum(item.points for item in self.items))

    def template(self) -> nbformat.NotebookNode:
        return nbformat.read(self.folder / self.notebook, as_version=4)


@dataclass(frozen=True)
class ExamVariant:
    """One candidate's version of an exam: the parameters of every item."""

    exam_id: str
    candidate: str
    attempt: int
    params: dict[str, dict[str, Any]]


@dataclass(frozen=True)
class ItemResult:
    item: str
    points: float
    awarded: float
    answer: float | None
    expected: float
    reason: str


@dataclass(frozen=True)
class ExamGrade:
    exam_id: str
    candidate: str
    score: float
    max_score: float
    items: tuple[ItemResult, ...]

    @property
    def percent(self) -> float:
        return 100.0 * self.score / self.max_score if self.max_score else 0.0

    def to_json(self, with_expected: bool = False) -> dict[str, Any]:
        items = []
        for r in self.items:
            entry = {
                "item": r.item,
                "points": r.points,
                "awarded": r.awarded,
                "answer": r.answer,
                "reason": r.reason,
            }
            if with_expected:
                entry["expected"] = r.expected
            items.append(entry)
        return {
            "exam": self.exam_id,
            "candidate": self.candidate,
            "score": self.score,
            "max_score": self.max_score,
            "percent": self.percent,
            "items": items,
        }


def _load_items_module(path: Path, exam_id: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"ungp_exam_{exam_id.replace('-', '_')}", path)
    if spec is None or spec.loader is None:
        raise ExamDefinitionError(f"{path} cannot be imported")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name in ("generate", "statement", "setup_code", "reference"):
        if not callable(getattr(module, name, None)):
            raise ExamDefinitionError(f"{path} must define a function {name}()")
    return module


def load_exam(folder: Path | str) -> Exam:
    """Read an exam folder; :class:`ExamDefinitionError` says what is missing."""
    folder = Path(folder)
    try:
        data = yaml.safe_load((folder / "exam.yaml").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ExamDefinitionError(f"{folder / 'exam.yaml'} not found") from None
    if not isinstance(data, dict) or data.get("id") != folder.name:
        raise ExamDefinitionError(f"{folder / 'exam.yaml'}: id must be the folder name")
    try:
        items = tuple(
            ExamItem(str(i["id"]), float(i["points"]), float(i.get("tolerance", 1e-6)))
            for i in data["items"]
        )
        exam = Exam(
            data["id"],
            data["title"],
            folder,
            data["notebook"],
            items,
            _load_items_module(folder / "items.py", data["id"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ExamDefinitionError(f"{folder / 'exam.yaml'}: missing or bad key: {exc}") from None
    ids = {c.metadata.get("nbgrader", {}).get("grade_id") for c in exam.template().cells}
    for item in items:
        for cell in (f"answer-{item.id}", f"test-{item.id}"):
            if cell not in ids:
                raise ExamDefinitionError(f"{exam.notebook} has no cell {cell!r}")
    return exam


# -- the secret and the derivation ---------------------------------------------------------
def exam_secret(directory: Path) -> bytes:
    """The exam secret in ``directory/exam-secret`` (0600), made on first use, never shipped."""
    path = Path(directory) / "exam-secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return bytes.fromhex(path.read_text().strip())
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return bytes.fromhex(path.read_text().strip())


def item_seed(secret: bytes, exam_id: str, candidate: str, attempt: int, item_id: str) -> bytes:
    message = json.dumps([exam_id, candidate, attempt, item_id]).encode()
    return hmac.new(secret, message, hashlib.sha256).digest()


def derive_variant(exam: Exam, secret: bytes, candidate: str, attempt: int = 1) -> ExamVariant:
    params = {}
    for item in exam.items:
        seed = item_seed(secret, exam.id, candidate, attempt, item.id)
        rng = np.random.default_rng(int.from_bytes(seed, "big"))
        # A JSON round trip keeps exactly what a stored variant would hold.
        params[item.id] = json.loads(json.dumps(exam.module.generate(item.id, rng)))
    return ExamVariant(exam.id, candidate, attempt, params)


# -- notebooks -----------------------------------------------------------------------------
def _grade_id(cell: nbformat.NotebookNode) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def render_notebook(exam: Exam, variant: ExamVariant, solutions: bool = False):
    """The candidate's notebook (``solutions=False``), or the source with their data."""
    nb = exam.template()
    setup = RECORDER + exam.module.setup_code(variant.params)
    for cell in nb.cells:
        cell.source = cell.source.replace(SETUP, setup)
        for item in exam.items:
            text = exam.module.statement(item.id, variant.params[item.id])
            cell.source = cell.source.replace(STATEMENT % item.id, text)
    nb.metadata["ungp_exam"] = {
        "exam": exam.id,
        "candidate": variant.candidate,
        "attempt": variant.attempt,
    }
    if not solutions:
        from nbgrader.preprocessors import ClearSolutions

        nb, _ = ClearSolutions().preprocess(nb, {})
    return nb


def read_submission(data: bytes) -> nbformat.NotebookNode:
    """Parse the submitted notebook; a refusal with the reason when it is not one."""
    try:
        return nbformat.reads(data.decode("utf-8"), as_version=4)
    except (UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise ExamRefused(f"the submission is not a Jupyter notebook: {exc}", 400) from None


def graded_notebook(exam: Exam, variant: ExamVariant, submitted: nbformat.NotebookNode):
    """What the grader executes: this candidate's released notebook with only their answers
    taken from the submission (everything locked comes from the template)."""
    answers = {
        _grade_id(cell): cell.source
        for cell in submitted.cells
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution") and _grade_id(cell)
    }
    nb = render_notebook(exam, variant)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("solution") and _grade_id(cell) in answers:
            cell.source = answers[_grade_id(cell)]
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb


def reference_answers(exam: Exam, variant: ExamVariant) -> dict[str, float]:
    """The correct answers, computed on the server with the trusted methods."""
    return {
        item.id: float(exam.module.reference(item.id, variant.params[item.id]))
        for item in exam.items
    }


def recorded_answers(executed: nbformat.NotebookNode) -> dict[str, float]:
    """Answers recorded by the locked test cells of an executed notebook (last one wins)."""
    found: dict[str, float] = {}
    for cell in executed.cells:
        grade_id = _grade_id(cell) or ""
        if cell.cell_type != "code" or not grade_id.startswith("test-"):
            continue
        for output in cell.get("outputs", []):
            record = output.get("data", {}).get(ANSWER_MIME)
            if isinstance(record, str):
                record = json.loads(record)
            if isinstance(record, dict) and record.get("item") == grade_id[len("test-") :]:
                try:
                    found[record["item"]] = float(record["value"])
                except (TypeError, ValueError):
                    continue
    return found


def _cell_error(executed: nbformat.NotebookNode, item_id: str) -> str | None:
    for cell in executed.cells:
        if _grade_id(cell) == f"test-{item_id}":
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    return f"{output.get('ename')}: {output.get('evalue')}"
    return None


def grade_exam(exam: Exam, variant: ExamVariant, executed: nbformat.NotebookNode) -> ExamGrade:
    """Score an executed notebook (from the sandboxed grader) against server-side answers."""
    expected = reference_answers(exam, copy.deepcopy(variant))
    answers = recorded_answers(executed)
    results = []
    for item in exam.items:
        want = expected[item.id]
        got = answers.get(item.id)
        if got is None:
            error = _cell_error(executed, item.id)
            reason = f"no answer recorded ({error})" if error else "no answer recorded"
            results.append(ItemResult(item.id, item.points, 0.0, None, want, reason))
        elif math.isclose(got, want, rel_tol=item.tolerance, abs_tol=item.tolerance):
            results.append(ItemResult(item.id, item.points, item.points, got, want, "correct"))
        else:
            results.append(
                ItemResult(item.id, item.points, 0.0, got, want, "incorrect for your exam's data")
            )
    score = float(sum(r.awarded for r in results))
    return ExamGrade(exam.id, variant.candidate, score, exam.max_score, tuple(results))
