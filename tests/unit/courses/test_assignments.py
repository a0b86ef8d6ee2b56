"""Every assignment goes through the real nbgrader pipeline and each kept submission gets the
score its expected-grades.yaml states (source: full marks, released: zero, wrong ones: partial)."""

from __future__ import annotations

from pathlib import Path

import yaml
from nbgrader_course import grade_assignment


def test_kept_submissions_get_their_expected_grades(
    module_of_assignment,
    assignment: str,
    small_catalog: Path,
    gradebook_template: Path,
    tmp_path: Path,
):
    folder = module_of_assignment.folder
    expected_file = folder / "submissions" / assignment / "expected-grades.yaml"
    expected = {k: float(v) for k, v in yaml.safe_load(expected_file.read_text()).items()}
    scores = grade_assignment(
        folder, assignment, tmp_path / "course", small_catalog, gradebook_template
    )
    assert scores == expected, f"nbgrader scores {scores}, {expected_file.name} says {expected}"
