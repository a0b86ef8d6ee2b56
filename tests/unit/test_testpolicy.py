"""The test policy itself: a missing component fails the test (never a skip), CI or not."""

from __future__ import annotations

import pytest
from testpolicy import require, require_module


@pytest.mark.parametrize("ci", ["true", ""])
def test_a_missing_component_fails(monkeypatch: pytest.MonkeyPatch, ci: str) -> None:
    monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.fail.Exception, match="reference data is missing"):
        require(False, "reference data")
    with pytest.raises(pytest.fail.Exception, match="no_such_package_xyz"):
        require_module("no_such_package_xyz", "no_such_package_xyz (pip install it)")


def test_a_present_component_passes() -> None:
    require(True, "anything")
    assert require_module("json", "json").dumps([1]) == "[1]"
