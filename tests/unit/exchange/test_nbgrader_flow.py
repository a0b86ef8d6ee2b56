"""nbgrader's own commands against a real service (in a thread), with our client classes.

The same flow as the integration test minus containers: it checks that the classes fit
nbgrader's apps (release, fetch, submit, collect, autograde, feedback without hidden tests).
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from exchange_support import COURSE
from nbgrader.api import Gradebook
from ungp_hub.courses.folders import create_course_folder
from ungp_hub.exchange.grades import export_grades
from ungp_hub.testing.nbgrader_assignment import HIDDEN_MARK, answer, source_notebook

CONFIG = "import os\nfrom ungp_hub.exchange.client.config import configure\nconfigure(get_config(), os.environ)\n"  # noqa: E501


def nbgrader(cwd: Path, token: str, url: str, *args: str, courses: Path | None = None) -> str:
    env = {key: value for key, value in os.environ.items() if not key.startswith("UNGP_")}
    env.update(
        UNGP_EXCHANGE_URL=url,
        JUPYTERHUB_API_TOKEN=token,
        HOME=str(cwd),
        JUPYTER_CONFIG_DIR=str(cwd / ".jupyter"),
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    )
    if courses:
        env.update(UNGP_COURSES=COURSE, UNGP_COURSES_ROOT=str(courses))
    cwd.mkdir(parents=True, exist_ok=True)
    (cwd / "nbgrader_config.py").write_text(CONFIG)
    result = subprocess.run(
        [str(Path(sys.executable).parent / "nbgrader"), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    return output


@pytest.mark.slow
def test_release_submit_collect_grade_feedback(tmp_path, service):
    courses = tmp_path / "state" / "courses"
    folder = create_course_folder(tmp_path / "state", COURSE)
    (folder / "source" / "ps1").mkdir(parents=True)
    (folder / "source" / "ps1" / "ps1.ipynb").write_text(source_notebook())
    instructor = tmp_path / "ines"

    def teach(*args):
        return nbgrader(instructor, "tok-ines", service, *args, courses=courses)

    teach("generate_assignment", "ps1")
    assert "Released as" in teach("release_assignment", "ps1")
    released = (folder / "release" / "ps1" / "ps1.ipynb").read_text()
    assert HIDDEN_MARK not in released

    for token, home, correct in (("tok-ana", "ana", True), ("tok-ben", "ben", False)):
        work = tmp_path / home
        nbgrader(work, token, service, "fetch_assignment", "ps1", f"--course={COURSE}")
        notebook = work / "ps1" / "ps1.ipynb"
        notebook.write_text(answer(notebook.read_text(), correct))
        out = nbgrader(work, token, service, "submit", "ps1", f"--course={COURSE}")
        (receipt_file,) = (work / "ps1" / "receipts").glob("*.json")
        receipt = json.loads(receipt_file.read_text())
        assert receipt["student"] == home and receipt["id"] in out and receipt["sha256"] in out

    teach("collect", "ps1")
    teach("autograde", "ps1")
    with Gradebook(f"sqlite:///{folder}/gradebook.db", COURSE) as gradebook:
        named = {s.id: (s.first_name, s.last_name) for s in gradebook.students}
    # The hub's full name, whole; ben has none on the hub, so nbgrader's empty fields stay.
    assert named == {"ana": ("", "Ana María de la Cruz"), "ben": (None, None)}
    assert HIDDEN_MARK in (folder / "autograded" / "ben" / "ps1" / "ps1.ipynb").read_text()
    teach("generate_feedback", "ps1")
    teach("release_feedback", "ps1")

    for token, home in (("tok-ana", "ana"), ("tok-ben", "ben")):
        work = tmp_path / home
        nbgrader(work, token, service, "fetch_feedback", "ps1", f"--course={COURSE}")
        (html,) = (work / "ps1" / "feedback").glob("*/ps1.html")
        text = html.read_text()
        assert HIDDEN_MARK not in text and "HIDDEN TESTS" not in text
        listing = nbgrader(work, token, service, "list", "--cached", f"--course={COURSE}")
        assert f"{COURSE} {home} ps1" in listing
        assert ("ben" in listing) == (home == "ben")

    out = tmp_path / "grades.csv"
    export_grades(f"sqlite:///{folder}/gradebook.db", COURSE, out)
    scores = {row["student"]: float(row["score"]) for row in csv.DictReader(out.open())}
    assert scores == {"ana": 2.0, "ben": 1.0}
