"""The host's side of fail-closed scoring: instrumenting test cells and checking tokens."""

from __future__ import annotations

import nbformat
from nbgrader.utils import determine_grade
from ungp_hub.grader.sentinel import (
    RESULT_NAME,
    instructor_imports,
    instrument,
    locked_cells,
    verify,
)


def cell(source: str, grade_id: str, kind: str, points: int = 1) -> nbformat.NotebookNode:
    meta = {
        "grade_id": grade_id,
        "grade": kind == "test",
        "solution": kind == "answer",
        "locked": kind != "answer",
        "schema_version": 3,
    }
    if kind == "test":
        meta["points"] = points
    return nbformat.v4.new_code_cell(source, metadata={"nbgrader": meta})


def notebook(*cells) -> nbformat.NotebookNode:
    return nbformat.v4.new_notebook(cells=list(cells))


def stream(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_output("stream", name="stdout", text=text)


def test_only_test_cells_get_a_token_and_each_its_own():
    nb = notebook(
        cell("x = 1", "a", "answer"),
        cell("assert x", "t1", "test"),
        cell("assert x", "t2", "test"),
        cell("import os", "l", "locked"),
    )
    record = instrument(nb)
    assert record.test_cells == [1, 2]
    assert len(set(record.tokens.values())) == 2
    assert nb.cells[0].source == "x = 1"
    assert record.tokens[1] in nb.cells[1].source and record.tokens[2] not in nb.cells[1].source


def test_instructor_imports_come_first_but_not_the_trainees():
    locked = cell("import numpy as np\nfrom math import *\nx = 2", "l", "locked")
    nb = notebook(locked, cell("import evil as np", "a", "answer"), cell("assert x", "t", "test"))
    assert instructor_imports(nb) == ["import numpy as np"]
    instrument(nb)
    assert nb.cells[2].source.startswith("import numpy as np\nassert x")


def test_last_expression_still_shown_after_the_token():
    nb = notebook(cell("x = 1\nx + 1", "t", "test"))
    record = instrument(nb)
    source = nb.cells[0].source
    assert source.rstrip().endswith(RESULT_NAME)
    assert source.index(record.tokens[0]) < source.rindex(RESULT_NAME)
    nb2 = notebook(cell("x + 1;", "t", "test"))
    instrument(nb2)
    assert not nb2.cells[0].source.rstrip().endswith(RESULT_NAME)


def test_token_present_passes_and_is_removed_with_original_source_back():
    nb = notebook(cell("assert True", "t", "test"))
    record = instrument(nb)
    nb.cells[0].outputs = [stream(f"hello\n{record.tokens[0]}\n")]
    assert verify(nb, record, {}) == {}
    assert nb.cells[0].source == "assert True"
    assert nb.cells[0].outputs[0].text == "hello\n"
    assert determine_grade(nb.cells[0]) == (1, 1)


def test_missing_token_scores_zero_with_the_reason():
    nb = notebook(cell("assert True", "t", "test"))
    record = instrument(nb)
    nb.cells[0].outputs = [stream("no token here\n")]
    failed = verify(nb, record, {})
    assert "did not run to its last line" in failed[0]
    assert nb.cells[0].outputs[-1].ename == "GradingError"
    assert determine_grade(nb.cells[0])[0] == 0


def test_a_token_for_another_cell_does_not_count():
    nb = notebook(cell("assert True", "t1", "test"), cell("assert True", "t2", "test"))
    record = instrument(nb)
    nb.cells[0].outputs = [stream(f"{record.tokens[1]}\n")]
    nb.cells[1].outputs = [stream(f"{record.tokens[1]}\n")]
    assert list(verify(nb, record, {})) == [0]


def test_executor_note_fails_the_cell_even_with_the_token():
    nb = notebook(cell("assert True", "t", "test"))
    record = instrument(nb)
    nb.cells[0].outputs = [stream(f"{record.tokens[0]}\n")]
    failed = verify(nb, record, {0: "the grading guard could not run before this test cell"})
    assert failed == {0: "the grading guard could not run before this test cell"}
    assert determine_grade(nb.cells[0])[0] == 0


def test_only_cells_the_gradebook_knows_are_instructor_cells():
    """A trainee can add a cell that claims to be locked or a test: with the gradebook's
    grade_ids, it is neither (it would otherwise run in the clean test interpreter)."""
    fake_locked = nbformat.v4.new_code_cell("x = 1", metadata={"nbgrader": {"locked": True}})
    tests = [cell("assert True", "t", "test"), cell("assert True", "fake", "test")]
    nb = notebook(cell("import os", "setup", "locked"), fake_locked, *tests)
    assert locked_cells(nb) == [0, 1]  # metadata alone (run_notebook: a trusted template)
    assert locked_cells(nb, {"setup"}) == [0]
    assert instrument(nb, {"t"}).test_cells == [2]


def test_an_r_test_cell_prints_its_token_after_its_checks_and_gets_no_python():
    locked = cell("import numpy as np", "l", "locked")
    nb = notebook(locked, cell("stopifnot(x == 2)\n# a last comment", "t", "test"))
    nb.metadata["kernelspec"] = {"name": "ir", "display_name": "R", "language": "R"}
    record = instrument(nb)
    token = record.tokens[1]
    assert nb.cells[1].source == f'stopifnot(x == 2)\n# a last comment\ncat("{token}\\n")'
    nb.cells[1].outputs = [stream(f"{token}\n")]
    assert verify(nb, record, {}) == {} and nb.cells[1].source.startswith("stopifnot")
