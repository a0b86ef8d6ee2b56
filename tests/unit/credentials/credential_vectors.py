"""Helpers to read the W3C vectors in ``vectors/`` (a uniquely named module, not conftest)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

VECTORS = Path(__file__).parent / "vectors"


def read_vector(relative: str) -> str:
    return (VECTORS / relative).read_text(encoding="utf-8")


def load_vector(relative: str) -> Any:
    return json.loads(read_vector(relative))
