"""Find course modules, lessons and assignments by walking courses/ (folder-driven tests)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[3]
COURSES = REPO / "courses"


@dataclass(frozen=True)
class Module:
    folder: Path
    spec: dict

    @property
    def id(self) -> str:
        return self.spec["id"]

    def lessons(self) -> list[Path]:
        return [self.folder / lesson["file"] for lesson in self.spec.get("lessons", [])]

    def assignments(self) -> list[str]:
        return [a["name"] for a in self.spec.get("assignments", [])]

    def kernel(self, assignment: str) -> str:
        """The Jupyter kernel of an assignment's notebooks (module.yaml `kernel`)."""
        (entry,) = [a for a in self.spec["assignments"] if a["name"] == assignment]
        return entry.get("kernel", "python3")


def modules(root: Path = COURSES) -> list[Module]:
    """Every folder of courses/ with a module.yaml, in name order."""
    return [
        Module(path.parent, yaml.safe_load(path.read_text(encoding="utf-8")))
        for path in sorted(root.glob("*/module.yaml"))
    ]
