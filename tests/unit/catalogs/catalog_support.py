"""Shared by the catalogue tests (a uniquely named module: `conftest` names collide)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from ungp_catalogs.build import build_catalog

REPO = Path(__file__).resolve().parents[3]
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


def remove_builds() -> None:
    for tmp in _TMP:
        shutil.rmtree(tmp, ignore_errors=True)
