"""Every Python assignment of the courses scores, through the sandboxed grader (test cells in
the clean interpreter, trainee values as data), exactly what its expected-grades.yaml says:
the reference solution full marks, the released notebook zero, each kept wrong answer its
partial score. expected-grades.yaml is what stock nbgrader gives them
(tests/unit/courses/test_assignments.py), so this is the equivalence issue 16 asks for."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sandbox_course import grade_kept_submissions
from testpolicy import REPO_ROOT
from ungp_hub.grader.limits import SandboxLimits

pytestmark = pytest.mark.integration

DATA = "/srv/data"
PYTHON_ASSIGNMENTS = [
    (folder.parent.parent.name, folder.name, next(folder.glob("*.ipynb")).name)
    for folder in sorted(REPO_ROOT.glob("courses/m*/source/*"))
    if not folder.name.endswith("_r")
]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    from ungp_catalogs.build import build_catalog

    data = tmp_path_factory.mktemp("course-data") / "data"
    build_catalog(data, scale="small")
    return data


@pytest.mark.parametrize(
    "module,assignment,notebook", PYTHON_ASSIGNMENTS, ids=[a[1] for a in PYTHON_ASSIGNMENTS]
)
def test_python_assignments_get_their_expected_grades_from_the_sandboxed_grader(
    docker_client, user_image, data_dir, tmp_path, module, assignment, notebook
):
    expected_file = (
        REPO_ROOT / "courses" / module / "submissions" / assignment / "expected-grades.yaml"
    )
    expected = {k: float(v) for k, v in yaml.safe_load(expected_file.read_text()).items()}
    limits = SandboxLimits(
        image=user_image,
        memory="1G",  # the site defaults (settings schema, grader:)
        pids=128,
        cell_timeout=180,
        notebook_timeout=600,
        volumes={str(data_dir): {"bind": DATA, "mode": "ro"}},
    )
    scores = grade_kept_submissions(
        tmp_path / "state", module, assignment, notebook, limits, docker_client
    )
    assert scores == expected, f"grader scores {scores}, {expected_file.name} says {expected}"
