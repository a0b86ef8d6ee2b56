"""Course-folder files as untrusted input: links, FIFOs, hard links and sizes, on real files.

Each test plants what an instructor's container can make in a course folder next to a
"secret" outside it (standing for the issuer key or the hub database) and checks the secret's
bytes are not read, copied, overwritten, deleted or handed over.
"""

from __future__ import annotations

import os
import threading

import pytest
from ungp_hub.courses import safe_files, safe_trees
from ungp_hub.courses.safe_files import RefusedFile

SECRET = b"-----BEGIN PRIVATE KEY----- issuer"


@pytest.fixture
def place(tmp_path):
    """(course folder, secret file outside it)."""
    secret = tmp_path / "state" / "certification" / "issuer.key"
    secret.parent.mkdir(parents=True)
    secret.write_bytes(SECRET)
    course = tmp_path / "state" / "courses" / "c1"
    (course / "submitted" / "ana" / "ps1").mkdir(parents=True)
    return course, secret


def test_reads_a_plain_file(place):
    course, _ = place
    (course / "submitted" / "ana" / "ps1" / "timestamp.txt").write_text("2026-01-10")
    assert safe_files.read_text(course, "submitted/ana/ps1/timestamp.txt") == "2026-01-10"


@pytest.mark.parametrize("plant", ["symlink", "hardlink", "fifo"])
def test_refuses_to_read_a_planted_file(place, plant):
    course, secret = place
    name = course / "submitted" / "ana" / "ps1" / "timestamp.txt"
    if plant == "symlink":
        name.symlink_to(secret)
    elif plant == "hardlink":
        name.hardlink_to(secret)
    else:
        os.mkfifo(name)
    with pytest.raises(RefusedFile, match="timestamp.txt is"):
        safe_files.read_bytes(course, "submitted/ana/ps1/timestamp.txt")


def test_refuses_a_link_on_the_way(place):
    course, secret = place
    (course / "autograded").symlink_to(secret.parent, target_is_directory=True)
    (secret.parent / "ana").mkdir()
    (secret.parent / "ana" / "x").write_bytes(SECRET)
    with pytest.raises(RefusedFile, match="autograded is a symbolic link"):
        safe_files.read_bytes(course, "autograded/ana/x")
    with pytest.raises(RefusedFile, match="symbolic link"):
        safe_files.write_bytes(course, "autograded/ana/x", b"overwritten")
    assert (secret.parent / "ana" / "x").read_bytes() == SECRET


def test_refuses_a_file_over_the_limit(place):
    course, _ = place
    big = course / "submitted" / "ana" / "ps1" / "big.csv"
    with open(big, "wb") as handle:
        handle.truncate(10 << 30)  # 10 GB, sparse
    with pytest.raises(RefusedFile, match="larger than"):
        safe_files.read_bytes(course, "submitted/ana/ps1/big.csv", limit=1 << 20)


def test_a_write_replaces_a_planted_link_instead_of_writing_through_it(place):
    course, secret = place
    record = course / ".ungp-grader" / "ps1" / "ana.json"
    record.parent.mkdir(parents=True)
    record.symlink_to(secret)
    safe_files.write_bytes(course, ".ungp-grader/ps1/ana.json", b"{}")
    assert secret.read_bytes() == SECRET
    assert not record.is_symlink() and record.read_bytes() == b"{}"


def test_a_lock_file_must_be_plain(place):
    course, secret = place
    lock = course / ".ungp-grader" / "run.lock"
    lock.parent.mkdir()
    os.mkfifo(lock)
    result: list = []
    worker = threading.Thread(target=lambda: result.append(_try_lock(course)), daemon=True)
    worker.start()
    worker.join(10)
    assert result and isinstance(result[0], RefusedFile), "a FIFO lock file hung or was accepted"
    lock.unlink()
    lock.symlink_to(secret)
    with pytest.raises(RefusedFile, match="symbolic link"):
        safe_files.open_lock(course, ".ungp-grader/run.lock")
    lock.unlink()
    os.close(safe_files.open_lock(course, ".ungp-grader/run.lock"))
    assert lock.is_file()


def _try_lock(course):
    try:
        os.close(safe_files.open_lock(course, ".ungp-grader/run.lock"))
    except RefusedFile as error:
        return error
    return None


def test_copy_out_takes_plain_files_and_says_what_it_left(place, tmp_path):
    course, secret = place
    folder = course / "submitted" / "ana" / "ps1"
    (folder / "answers.ipynb").write_text("{}")
    (folder / "data").mkdir()
    (folder / "data" / "prices.csv").write_text("a,b\n")
    (folder / "key.pem").symlink_to(secret)
    (folder / "hub.sqlite").hardlink_to(secret)
    os.mkfifo(folder / "timestamp.txt")
    (folder / "elsewhere").symlink_to(secret.parent, target_is_directory=True)
    out = tmp_path / "private"
    skipped = safe_trees.copy_out(course, "submitted/ana/ps1", out)
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*")) == [
        "answers.ipynb",
        "data",
        "data/prices.csv",
    ]
    reasons = {s.path: s.reason for s in skipped}
    assert reasons == {
        "elsewhere": "a symbolic link",
        "hub.sqlite": "a hard link (another name of the same file exists)",
        "key.pem": "a symbolic link",
        "timestamp.txt": "not a regular file (a FIFO, socket or device)",
    }
    assert not any(SECRET in p.read_bytes() for p in out.rglob("*") if p.is_file())


def test_copy_in_replaces_the_tree_without_touching_what_links_point_to(place, tmp_path):
    course, secret = place
    made = tmp_path / "made"
    (made / "sub").mkdir(parents=True)
    (made / "answers.ipynb").write_text("graded")
    (made / "sub" / "f.txt").write_text("f")
    target = course / "autograded" / "ana" / "ps1"
    target.mkdir(parents=True)
    (target / "answers.ipynb").symlink_to(secret)
    (target / "old").symlink_to(secret.parent, target_is_directory=True)
    safe_trees.copy_in(made, course, "autograded/ana/ps1")
    assert (target / "answers.ipynb").read_text() == "graded"
    assert not (target / "answers.ipynb").is_symlink()
    assert (target / "sub" / "f.txt").read_text() == "f" and not (target / "old").exists()
    assert secret.read_bytes() == SECRET
    # a link in place of the student's folder: removed as a link, its target stays
    safe_files.remove(course, "autograded/ana")
    (course / "autograded" / "ana").symlink_to(secret.parent, target_is_directory=True)
    (secret.parent / "ps1").mkdir()
    with pytest.raises(RefusedFile, match="symbolic link"):
        safe_trees.copy_in(made, course, "autograded/ana/ps1")
    assert (secret.parent / "ps1").is_dir() and secret.read_bytes() == SECRET


@pytest.mark.skipif(os.geteuid() != 0, reason="chown needs root")  # the hub and CI run as root
def test_hand_over_never_gives_away_a_hard_linked_file(place):
    course, secret = place
    folder = course / "submitted" / "ana" / "ps1"
    (folder / "mine.txt").write_text("x")
    (folder / "key").hardlink_to(secret)
    (folder / "link").symlink_to(secret)
    os.mkfifo(folder / "pipe")
    skipped = safe_trees.hand_over(course, 1000, 1000)
    assert os.stat(secret).st_uid == 0
    assert os.stat(folder / "mine.txt").st_uid == 1000
    assert os.lstat(folder / "link").st_uid == 1000
    assert {s.path for s in skipped} == {"submitted/ana/ps1/key", "submitted/ana/ps1/pipe"}


@pytest.mark.parametrize("plant", ["gradebook.db", "gradebook.db-journal", "gradebook.db-shm"])
def test_a_gradebook_reached_through_a_link_is_not_opened(place, plant):
    """SQLite would open the hub database (and write nbgrader's tables into it), or write a
    journal into the issuer key, through a link planted in the course folder."""
    import sqlite3

    from ungp_hub.courses.folders import gradebook_url, open_gradebook

    course, secret = place
    hub = course.parent.parent / "jupyterhub.sqlite"
    sqlite3.connect(hub).close()
    target = hub if plant == "gradebook.db" else secret
    (course / plant).symlink_to(target)
    with pytest.raises(RefusedFile, match=f"{plant} is a symbolic link"):
        with open_gradebook(gradebook_url("", "c1", course), "c1"):
            pass
    assert secret.read_bytes() == SECRET
    with sqlite3.connect(hub) as db:
        assert db.execute("SELECT name FROM sqlite_master").fetchall() == []


def test_copy_out_stops_at_its_size_budget(place, tmp_path):
    course, _ = place
    folder = course / "submitted" / "ana" / "ps1"
    (folder / "a.csv").write_bytes(b"x" * 600)
    (folder / "b.csv").write_bytes(b"y" * 600)
    with open(folder / "huge.bin", "wb") as handle:
        handle.truncate(10 << 30)  # 10 GB, sparse: never read
    skipped = safe_trees.copy_out(course, "submitted/ana/ps1", tmp_path / "out", limit=1000)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.csv"]
    assert {s.path: s.reason for s in skipped} == {
        "b.csv": "over the size a copy may hold",
        "huge.bin": "over the size a copy may hold",
    }
