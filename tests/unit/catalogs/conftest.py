"""Fixtures for the catalogue tests: one `small` build per session, shared read-only.

Entry names are only known after a build, so the build happens once, lazily, at collection
time (to parametrize the folder-driven tests by entry) and is reused by every fixture. Tests
that damage files work on a copy (`damaged_copy`).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
if str(REPO / "catalogs") not in sys.path:
    sys.path.insert(0, str(REPO / "catalogs"))

from ungp_catalogs.build import build_catalog  # noqa: E402
from ungp_catalogs.catalog_files import load_entries  # noqa: E402

SEED = 7
_BUILDS: dict[str, Path] = {}
_TMP: list[str] = []


def small_build(key: str = "first") -> Path:
    """The data directory of a small build with SEED (built on first use)."""
    if key not in _BUILDS:
        tmp = tempfile.mkdtemp(prefix=f"ungp-catalog-{key}-")
        _TMP.append(tmp)
        build_catalog(Path(tmp) / "data", scale="small", seed=SEED)
        _BUILDS[key] = Path(tmp) / "data"
    return _BUILDS[key]


def pytest_unconfigure(config: pytest.Config) -> None:
    for tmp in _TMP:
        shutil.rmtree(tmp, ignore_errors=True)


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
