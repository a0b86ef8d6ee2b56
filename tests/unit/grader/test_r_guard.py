"""Fail-closed scoring for R notebooks, host side: what the sandbox receives and how the
tokens are checked (the R side runs in tests/integration/test_r_kernel.py)."""

from __future__ import annotations

import re

import nbformat
from ungp_hub.grader import r_guard
from ungp_hub.grader.sentinel import instrument, verify

R_KERNEL = {"name": "ir", "display_name": "R", "language": "R"}


def cell(source: str, grade_id: str, kind: str) -> nbformat.NotebookNode:
    meta = {"grade_id": grade_id, "grade": kind == "test", "solution": kind == "answer",
            "locked": kind != "answer", "schema_version": 3}  # fmt: skip
    if kind == "test":
        meta["points"] = 1
    return nbformat.v4.new_code_cell(source, metadata={"nbgrader": meta})


def r_notebook(*cells) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(cells=list(cells))
    nb.metadata["kernelspec"] = dict(R_KERNEL)
    return nb


def test_r_test_cells_run_through_the_guards_runner_with_the_token_last():
    test = "stopifnot(mean(c(1, 2, 3)) == 2)\nlibrary(testthat)\nexpect_equal(f(1), 2)"
    answer = cell("f <- function(x) x + 1", "a", "answer")
    nb = r_notebook(cell("library(ungp)", "setup", "locked"), answer, cell(test, "t", "test"))
    record = instrument(nb)
    sent = nb.cells[2].source
    token = record.tokens[2]
    assert sent.startswith('.ungp_test(r"') and sent.endswith('")')
    assert sent.index(test) < sent.index(f'cat("{token}\\n")')
    # no Python re-imports and no Python line in an R cell
    assert "import" not in sent.replace("library", "") and "print(" not in sent
    assert nb.cells[0].source == "library(ungp)" and nb.cells[1].source.startswith("f <-")


def test_raw_string_delimiter_never_occurs_in_the_test():
    tricky = 'x <- r"-(a)-"\ny <- r"--(b)--"\nstopifnot(TRUE)'
    literal = r_guard.raw_string(tricky)
    dashes = re.match(r'r"(-+)\(', literal).group(1)
    assert len(dashes) == 3 and literal.endswith(f'){dashes}"')
    assert f'){dashes}"' not in tricky


def test_a_token_printed_and_no_error_scores_a_missing_token_does_not():
    nb = r_notebook(cell("stopifnot(TRUE)", "t1", "test"), cell("stopifnot(TRUE)", "t2", "test"))
    record = instrument(nb)
    nb.cells[0].outputs = [nbformat.v4.new_output("stream", name="stdout",
                                                  text=f"{record.tokens[0]}\n")]  # fmt: skip
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="checked\n")]
    failed = verify(nb, record, {})
    assert list(failed) == [1]
    assert nb.cells[0].source == "stopifnot(TRUE)" and nb.cells[0].outputs == []
    assert nb.cells[1].outputs[-1]["ename"] == "GradingError"


def test_python_notebooks_are_instrumented_as_before():
    nb = nbformat.v4.new_notebook(cells=[cell("import math", "l", "locked"),
                                         cell("assert math.pi > 3", "t", "test")])  # fmt: skip
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python"}
    record = instrument(nb)
    assert nb.cells[1].source.startswith("import math\nassert math.pi > 3")
    assert f"print({record.tokens[1] + chr(10)!r}, end='')" in nb.cells[1].source


def test_the_r_guard_is_bound_to_the_executors_secret_name():
    boot = r_guard.boot_code("._ungp_1234abcd")
    assert "GUARD_NAME" not in boot
    assert 'assign("._ungp_1234abcd", guard, envir = globalenv())' in boot
    assert r_guard.guard_call("._ungp_1234abcd") == "`._ungp_1234abcd`()"
    assert r_guard.is_r("R") and r_guard.is_r("r") and not r_guard.is_r("python")
