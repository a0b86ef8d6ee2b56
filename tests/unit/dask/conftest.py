"""Settings for the Dask unit tests: defaults only, state in a temporary folder."""

from __future__ import annotations

import pytest
from ungp_hub.settings import load_settings


@pytest.fixture
def make_settings(tmp_path):
    def make(**overrides: str):
        environ = {"UNGP_HUB__STATE_DIR": str(tmp_path / "state"), **overrides}
        return load_settings(None, environ=environ)

    return make
