"""Unit tests build the hub's configuration, but never change the machine's firewall."""

from __future__ import annotations

import pytest
from ungp_hub.configure import containment


@pytest.fixture(autouse=True)
def applied_containment(monkeypatch) -> list:
    """The containment plans the configuration would apply, instead of applying them."""
    plans: list = []
    monkeypatch.setattr(containment, "apply_rules", plans.append)
    return plans
