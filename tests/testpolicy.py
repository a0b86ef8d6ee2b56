"""Shared test policy: a missing component is a failure, never a skip.

A skipped integration test reads as green while nothing was tested; `make test` installs every
component (Docker engine, Chromium, configurable-http-proxy), so a missing one is a set-up
problem to fix, on a developer's machine as in CI.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO_ROOT / "test-artifacts"


def require(available: bool, what: str) -> None:
    """Fail, naming the missing component and how to get it."""
    if not available:
        pytest.fail(
            f"{what} is missing: run `make test` (as root on Debian it installs it)", pytrace=False
        )


def require_module(name: str, what: str):
    """Import `name`, or fail naming the package to install."""
    try:
        return importlib.import_module(name)
    except ImportError:
        require(False, what)
