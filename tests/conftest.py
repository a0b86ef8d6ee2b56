"""Markers by folder, and tests that stop the Docker engine run last."""

from __future__ import annotations

from pathlib import Path

import pytest
from testpolicy import ARTIFACTS, REPO_ROOT

# Real-hub fixtures, shared by tests/integration and tests/browser.
pytest_plugins = ["integration_fixtures", "demo_fixtures"]


def pytest_collection_modifyitems(config, items):
    for item in items:
        parts = Path(str(item.fspath)).relative_to(REPO_ROOT).parts
        if len(parts) > 1 and parts[1] in ("integration", "browser"):
            item.add_marker(getattr(pytest.mark, parts[1]))
    items.sort(key=lambda item: item.get_closest_marker("engine_outage") is not None)


def pytest_configure(config):
    config.addinivalue_line("markers", "engine_outage: stops and restarts the Docker engine")
    ARTIFACTS.mkdir(exist_ok=True)
