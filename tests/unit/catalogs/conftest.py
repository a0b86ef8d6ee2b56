"""Fixtures for the catalogue tests: one `small` build per session, shared read-only.

Entry names are only known after a build, so the build happens once, lazily, at collection
time (to parametrize the folder-driven tests by entry) and is reused by every fixture. Tests
that damage files work on a copy (`damaged_copy`).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from catalog_support import REPO, SEED, remove_builds, small_build  # noqa: F401
from ungp_catalogs.catalog_files import load_entries


def pytest_unconfigure(config: pytest.Config) -> None:
    remove_builds()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "entry_name" in metafunc.fixturenames:
        names = sorted(load_entries(small_build()))
        metafunc.parametrize("entry_name", names)


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return small_build()


@pytest.fixture(scope="session")
def entries(data_dir: Path) -> dict:
    return load_entries(data_dir)


@pytest.fixture
def damaged_copy(data_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the small build that a test may corrupt."""
    copy = tmp_path / "data"
    shutil.copytree(data_dir, copy)
    return copy
