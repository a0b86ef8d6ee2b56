"""Shared test policy: under CI=true a missing component is a failure, never a skip."""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO_ROOT / "test-artifacts"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def require(available: bool, what: str) -> None:
    """Fail (in CI) or skip (on a developer's machine) when a component is missing."""
    if available:
        return
    if in_ci():
        pytest.fail(f"{what} is missing, and CI=true: .ci/run must install it", pytrace=False)
    pytest.skip(f"{what} is missing (install it, or run `make test` as root to get it)")


def require_module(name: str, what: str):
    """Import `name`, or fail (in CI) / skip (elsewhere) naming the package to install."""
    try:
        return importlib.import_module(name)
    except ImportError:
        require(False, what)
