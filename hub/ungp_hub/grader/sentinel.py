"""Fail-closed test cells: a test scores only if its last line ran, proven by a secret token.

Before a notebook leaves the host, every autograded test cell (nbgrader: graded, not a
solution) gets (1) the import statements of the instructor's locked cells in front, so a
submission that rebound ``np`` or ``pd`` to a fake gets the real modules back, and (2) at
its end a line that prints a random token made for this cell in this run. The token exists
only in the host's memory and in that cell's source, which reaches the kernel only when the
cell runs. After execution, :func:`verify` puts the original source back, removes the token
line from the output, and gives every test cell whose token is missing an error output (with
the reason), which nbgrader's own scoring turns into zero points.
"""

from __future__ import annotations

import ast
import secrets
from dataclasses import dataclass, field

from nbformat import NotebookNode

TOKEN_PREFIX = "UNGP-SENTINEL-"
RESULT_NAME = "_ungp_last_value"


def notebook_language(nb: dict) -> str:
    """The notebook's language, lower case ("r" for IRkernel's notebooks)."""
    meta = nb.get("metadata", {})
    language = meta.get("kernelspec", {}).get("language") or meta.get("language_info", {})
    return str(language.get("name", "") if isinstance(language, dict) else language).lower()


def is_test_cell(cell: NotebookNode) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def locked_cells(nb: NotebookNode, known: set[str] | None = None) -> list[int]:
    """Indices of locked code cells that are not tests (instructor code, run in both
    interpreters); ``known`` as in :func:`instrument` (the gradebook's locked cells)."""
    found = []
    for index, cell in enumerate(nb.cells):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type != "code" or not meta.get("locked") or meta.get("grade"):
            continue
        if meta.get("solution") or (known is not None and meta.get("grade_id") not in known):
            continue
        found.append(index)
    return found


def is_instructor_cell(cell: NotebookNode) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.cell_type == "code" and bool(meta.get("locked") or meta.get("grade"))


def instructor_imports(nb: NotebookNode) -> list[str]:
    """Top-level imports of locked and test cells (restored from the gradebook: trusted)."""
    lines: list[str] = []
    for cell in nb.cells:
        if not is_instructor_cell(cell) or (cell.metadata["nbgrader"].get("solution")):
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.Import) or (
                isinstance(node, ast.ImportFrom) and all(a.name != "*" for a in node.names)
            ):
                line = ast.unparse(node)
                if line not in lines:
                    lines.append(line)
    return lines


def _keep_last_value(source: str) -> tuple[str, bool]:
    """Rewrite a final bare expression so its value is still displayed after the token line."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source, False
    if not tree.body or not isinstance(tree.body[-1], ast.Expr) or source.rstrip().endswith(";"):
        return source, False
    last = tree.body[-1]
    lines = source.splitlines()
    head = lines[: last.lineno - 1]
    expression = ast.get_source_segment(source, last.value)
    if expression is None or last.end_lineno != len(source.rstrip().splitlines()):
        return source, False
    prefix = lines[last.lineno - 1][: last.col_offset]
    if prefix.strip():
        return source, False
    return "\n".join([*head, f"{RESULT_NAME} = (\n{expression}\n)"]), True


@dataclass
class Instrumented:
    """What the host remembers about one prepared notebook (never sent anywhere)."""

    originals: dict[int, str] = field(default_factory=dict)
    tokens: dict[int, str] = field(default_factory=dict)

    @property
    def test_cells(self) -> list[int]:
        return sorted(self.tokens)


def instrument(nb: NotebookNode, known: set[str] | None = None) -> Instrumented:
    """Add re-imports and the token line to every test cell of ``nb`` (in place).

    ``known``: the grade_ids of test cells the gradebook knows (autograde): a cell that only
    claims to be a test in the submission's metadata is not one. None: the metadata is
    trusted (run_notebook: the exam's template)."""
    record = Instrumented()
    r_kernel = notebook_language(nb) == "r"
    imports = [] if r_kernel else instructor_imports(nb)
    for index, cell in enumerate(nb.cells):
        if not is_test_cell(cell):
            continue
        if known is not None and cell.metadata["nbgrader"].get("grade_id") not in known:
            continue
        token = TOKEN_PREFIX + secrets.token_hex(16)
        record.originals[index] = cell.source
        record.tokens[index] = token
        if r_kernel:  # the clean R process stops at a cell's first error, as Python does
            cell.source = f'{cell.source}\ncat("{token}\\n")'
            continue
        body, keeps_value = _keep_last_value(cell.source)
        parts = [*imports, body, f"print({token + chr(10)!r}, end='')"]
        if keeps_value:
            parts.append(RESULT_NAME)
        cell.source = "\n".join(parts)
    return record


def _strip_token(cell: NotebookNode, token: str) -> bool:
    """Remove the token line from the cell's stream output; True if it was there."""
    found = False
    kept = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream" and output.get("name") == "stdout":
            text = output.get("text", "")
            if f"{token}\n" in text:
                found = True
                text = text.replace(f"{token}\n", "", 1)
                if not text:
                    continue
                output["text"] = text
        kept.append(output)
    cell["outputs"] = kept
    return found


def has_error(cell: NotebookNode) -> bool:
    return any(o.get("output_type") == "error" for o in cell.get("outputs", []))


def grading_error(reason: str) -> NotebookNode:
    return NotebookNode(
        output_type="error",
        ename="GradingError",
        evalue=reason,
        traceback=[f"\x1b[0;31mGradingError\x1b[0m: {reason}"],
    )


def verify(nb: NotebookNode, record: Instrumented, notes: dict[int, str]) -> dict[int, str]:
    """Restore sources, check tokens; returns {cell index: reason} for test cells that fail."""
    failed: dict[int, str] = {}
    for index in record.test_cells:
        cell = nb.cells[index]
        cell.source = record.originals[index]
        reached = _strip_token(cell, record.tokens[index])
        note = notes.get(index)
        if reached and not has_error(cell) and not note:
            continue
        if has_error(cell) and not note:
            failed[index] = "the test raised an error"
            continue
        reason = note or "the test cell did not run to its last line (its checks did not all run)"
        failed[index] = reason
        cell.setdefault("outputs", []).append(grading_error(reason))
    return failed
