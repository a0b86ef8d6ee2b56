"""A grading run over a course folder an instructor has booby-trapped (issue 17).

The instructor's container writes the course folder, and the grader works on it as root. Links,
FIFOs and hard links to a secret outside the folder (standing for the issuer key) are planted
where the grader reads and writes; the secret must stay unread, unchanged and undeleted, its
bytes must appear nowhere in the course folder, and every run must end (bounded by a timeout).
Real nbgrader and gradebook; the sandbox is the fake of test_run (no Docker).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from unittest import mock

import pytest
from fake_sandbox import FakePool
from ungp_hub.courses.safe_files import RefusedFile
from ungp_hub.grader import run as run_module
from ungp_hub.grader.limits import SandboxLimits
from ungp_hub.grader.run import Assignment, GradingRun
from ungp_hub.testing.course import TestCourse
from ungp_hub.testing.nbgrader_assignment import CORRECT, source_notebook

SECRET = b"-----BEGIN PRIVATE KEY----- the issuer's signing key"
RUN_SECONDS = 60


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    state = tmp_path_factory.mktemp("state")
    return TestCourse.make(state, "trap", "ps1", source_notebook())


@pytest.fixture
def secret(course):
    path = course.folder.parent.parent / "certification" / "issuer.key"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(SECRET)
    yield path
    assert path.read_bytes() == SECRET, "the secret was changed"
    assert leaked(course.folder, path) == [], "the secret's bytes are in the course folder"


@pytest.fixture
def grading(course, monkeypatch):
    monkeypatch.setattr(run_module, "WarmPool", FakePool)
    work = Assignment(course.folder, course.name, course.assignment, course.db_url)
    grader = GradingRun(work, SandboxLimits(image="x"), 2, mock.MagicMock())
    grader.remove_leftovers = lambda: 0
    return grader


def leaked(folder: Path, secret: Path) -> list[str]:
    """Copies of the secret in FOLDER (plain files, not links, not the planted hard links)."""
    found = []
    for root, _, files in os.walk(folder):
        for name in files:
            path = Path(root, name)
            if path.is_symlink() or not path.is_file() or path.samefile(secret):
                continue
            if SECRET in path.read_bytes():
                found.append(str(path.relative_to(folder)))
    return found


def bounded(grading: GradingRun, students: list[str]):
    """grade() in a thread: a run that hangs on a FIFO fails the test instead of hanging it."""
    out: list = []

    def target() -> None:
        try:
            out.append(grading.grade(students, force=True))
        except Exception as error:  # noqa: BLE001 - handed to the test
            out.append(error)

    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    worker.join(RUN_SECONDS)
    assert out, f"the grading run did not end within {RUN_SECONDS} s"
    if isinstance(out[0], Exception):
        raise out[0]
    return {r.student: r for r in out[0].results}


def test_links_fifos_and_hard_links_in_a_submission_are_left_out(course, secret, grading):
    folder = course.submit("ana", course.answer({"answer": CORRECT}))
    (folder / "data.csv").symlink_to(secret)
    (folder / "hub.sqlite").hardlink_to(secret)
    os.mkfifo(folder / "pipe.csv")
    (folder / "more").symlink_to(secret.parent, target_is_directory=True)
    nb = course.submit("ben", course.answer({"answer": CORRECT})) / "answers.ipynb"
    nb.unlink()
    nb.symlink_to(secret)
    (course.folder / "submitted" / "ben" / "ps1" / "timestamp.txt").unlink()
    os.mkfifo(course.folder / "submitted" / "ben" / "ps1" / "timestamp.txt")
    by = bounded(grading, ["ana", "ben"])
    assert (by["ana"].status, by["ana"].score) == ("graded", 2)
    assert "symbolic link" in by["ana"].reasons["file data.csv"]
    assert "hard link" in by["ana"].reasons["file hub.sqlite"]
    assert "not a regular file" in by["ana"].reasons["file pipe.csv"]
    assert "symbolic link" in by["ana"].reasons["file more"]
    assert by["ben"].status == "error"  # nbgrader: "No notebooks were matched"
    assert "symbolic link" in by["ben"].reasons["file answers.ipynb"]
    assert (course.folder / "autograded" / "ana" / "ps1" / "answers.ipynb").is_file()
    assert not (course.folder / "autograded" / "ana" / "ps1" / "data.csv").exists()


def test_a_link_in_the_autograded_folder_is_replaced_not_written_through(course, secret, grading):
    course.submit("cai", course.answer({"answer": CORRECT}))
    outside = secret.parent / "ps1"
    outside.mkdir()
    (outside / "keep.txt").write_bytes(b"keep")
    (course.folder / "autograded").mkdir(exist_ok=True)
    (course.folder / "autograded" / "cai").symlink_to(secret.parent, target_is_directory=True)
    by = bounded(grading, ["cai"])
    assert by["cai"].status == "error"
    assert "autograded/cai is a symbolic link" in by["cai"].reasons[""]
    assert (outside / "keep.txt").read_bytes() == b"keep"
    assert not (outside / "answers.ipynb").exists()
    (course.folder / "autograded" / "cai").unlink()
    planted = course.folder / "autograded" / "cai" / "ps1"
    planted.mkdir(parents=True)
    (planted / "answers.ipynb").symlink_to(secret)
    by = bounded(grading, ["cai"])
    assert by["cai"].status == "graded" and not (planted / "answers.ipynb").is_symlink()


def test_records_and_the_run_lock_are_never_opened_through_a_link(course, secret, grading):
    course.submit("dee", course.answer({"answer": CORRECT}))
    records = course.folder / ".ungp-grader"
    (records / "ps1").mkdir(parents=True, exist_ok=True)
    (records / "ps1" / "dee.json").symlink_to(secret)
    (records / "run.lock").unlink(missing_ok=True)
    (records / "run.lock").symlink_to(secret)
    with pytest.raises(RefusedFile, match="run.lock is a symbolic link"):
        bounded(grading, ["dee"])
    (records / "run.lock").unlink()
    os.mkfifo(records / "run.lock")
    with pytest.raises(RefusedFile, match="run.lock is not a regular file"):
        bounded(grading, ["dee"])
    (records / "run.lock").unlink()
    by = bounded(grading, ["dee"])
    assert by["dee"].status == "graded"
    assert not (records / "ps1" / "dee.json").is_symlink()


@pytest.mark.parametrize("name", ["gradebook.db-journal", "gradebook.db-wal"])
def test_a_link_beside_the_gradebook_stops_the_run_before_sqlite_opens_it(
    course, secret, grading, name
):
    planted = course.folder / name
    planted.symlink_to(secret)
    try:
        with pytest.raises(RefusedFile, match=f"{name} is a symbolic link"):
            bounded(grading, ["nobody"])
    finally:
        planted.unlink()


def test_a_link_among_the_assignment_source_files_is_not_copied(course, secret, grading):
    """nbgrader's autograde copies the source folder's other files over the submission's."""
    planted = course.folder / "source" / "ps1" / "prices.csv"
    planted.symlink_to(secret)
    try:
        course.submit("eve", course.answer({"answer": CORRECT}))
        by = bounded(grading, ["eve"])
        assert by["eve"].status == "graded"
        assert not (course.folder / "autograded" / "eve" / "ps1" / "prices.csv").exists()
    finally:
        planted.unlink()


def test_the_staging_folder_is_the_hubs_and_a_killed_runs_copies_go(course, secret, grading):
    leftover = course.folder.parent / ".grading" / "trap" / "submitted" / "old" / "ps1"
    leftover.mkdir(parents=True)
    (leftover / "answers.ipynb").write_text("{}")  # as a killed run leaves it
    course.submit("fay", course.answer({"answer": CORRECT}))
    assert bounded(grading, ["fay"])["fay"].status == "graded"
    staging = course.folder.parent / ".grading"
    assert oct(staging.stat().st_mode & 0o777) == "0o700"
    assert list(staging.iterdir()) == []
