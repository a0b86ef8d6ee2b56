"""Shared by the exchange tests (a uniquely named module: `conftest` names collide)."""

COURSE = "stats101"
