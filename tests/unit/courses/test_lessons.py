"""Every lesson of every module runs top to bottom with papermill on `small` data in < 2 min."""

from __future__ import annotations

import time
from pathlib import Path

import nbformat
import papermill

LESSON_LIMIT_SECONDS = 120


def test_lesson_runs_on_small_data(module_of_lesson, lesson: Path, small_catalog: Path, tmp_path):
    output = tmp_path / lesson.name
    started = time.monotonic()
    papermill.execute_notebook(
        str(lesson),
        str(output),
        parameters={"scale": "small", "catalog_path": str(small_catalog)},
        kernel_name="python3",
        execution_timeout=LESSON_LIMIT_SECONDS,
        cwd=str(tmp_path),
        progress_bar=False,
    )
    elapsed = time.monotonic() - started
    assert elapsed < LESSON_LIMIT_SECONDS, f"{lesson.name} took {elapsed:.0f} s"
    ran = nbformat.read(output, as_version=4)
    errors = [
        o
        for c in ran.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    ]
    assert not errors
    injected = [c for c in ran.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected and str(small_catalog) in injected[0].source
