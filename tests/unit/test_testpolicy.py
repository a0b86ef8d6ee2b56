"""The test policy itself: a missing component fails under CI=true and skips elsewhere."""

from __future__ import annotations

import pytest
from testpolicy import require, require_module


def test_a_missing_component_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="reference data is missing"):
        require(False, "reference data")
    with pytest.raises(pytest.fail.Exception, match="no_such_package_xyz"):
        require_module("no_such_package_xyz", "no_such_package_xyz (pip install it)")


def test_a_missing_component_skips_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="reference data is missing"):
        require(False, "reference data")


def test_a_present_component_neither_fails_nor_skips(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    require(True, "anything")
    assert require_module("json", "json").dumps([1]) == "[1]"
