"""Fixtures for the course tests: one `small` catalogue per session, and the course folders.

Lessons and assignments are discovered from courses/*/module.yaml at collection time, so a new
module is tested by just existing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from course_folders import modules


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    found = modules()
    if "module" in metafunc.fixturenames:
        metafunc.parametrize("module", found, ids=[m.id for m in found])
    if "lesson" in metafunc.fixturenames:
        lessons = [(m, path) for m in found for path in m.lessons()]
        ids = [f"{m.id}/{path.stem}" for m, path in lessons]
        metafunc.parametrize("module_of_lesson,lesson", lessons, ids=ids)
    if "assignment" in metafunc.fixturenames:
        # R assignments (kernel: ir) are graded in the user image, which has R, by
        # tests/integration/test_r_kernel.py; the host running the unit tests has no R.
        assignments = [
            (m, name) for m in found for name in m.assignments() if m.kernel(name) == "python3"
        ]
        ids = [f"{m.id}/{name}" for m, name in assignments]
        metafunc.parametrize("module_of_assignment,assignment", assignments, ids=ids)


@pytest.fixture(scope="session")
def small_catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Root catalogue file of a fresh `small` build (a few seconds)."""
    from ungp_catalogs.build import build_catalog

    report = build_catalog(tmp_path_factory.mktemp("catalog") / "data", scale="small")
    return report.root


@pytest.fixture(scope="session")
def gradebook_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One empty nbgrader gradebook per session; each assignment test grades in a copy."""
    from nbgrader_course import empty_gradebook

    return empty_gradebook(tmp_path_factory.mktemp("gradebook") / "gradebook.db")
