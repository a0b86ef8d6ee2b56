"""Shared pieces: the repository's programme, a hub-like certification state in tmp_path."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from ungp_hub.certification.exams import load_exam
from ungp_hub.certification.issuing import Certifier
from ungp_hub.certification.modules import ModuleStatus
from ungp_hub.certification.office import ExamOffice
from ungp_hub.certification.tracks import load_programme

REPO = Path(__file__).resolve().parents[3]
TRACKS = REPO / "certification" / "tracks.yaml"
NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def programme():
    return load_programme(TRACKS)


@pytest.fixture(scope="session")
def cpi_exam(programme):
    return load_exam(programme.exam_dir("x3-scanner-cpi"))


class Modules:
    """Module results a test controls: candidate -> passed module ids."""

    def __init__(self) -> None:
        self.passed: dict[str, set[str]] = {}

    def __call__(self, candidate, module):  # noqa: ANN001, ANN204
        ok = module.id in self.passed.get(candidate, set())
        return ModuleStatus(module.id, ok, "passed" if ok else "no graded submission")


@pytest.fixture
def modules():
    return Modules()


@pytest.fixture
def certifier(tmp_path):
    found = Certifier(tmp_path / "certification", "https://hub.example.org", "Test hub")
    found.install(NOW)
    return found


@pytest.fixture
def office(programme, certifier, modules):
    return ExamOffice(
        programme, certifier.registry, b"s" * 32, modules, certifier.root / "submissions"
    )
