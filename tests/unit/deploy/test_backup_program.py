"""The server's backup program (ansible/roles/backup/files/ungp-backup) without Docker: the
state archive holds consistent SQLite copies, restores byte-identical files, and rotation
keeps the newest backups."""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import json
import sqlite3
import tarfile
from pathlib import Path

import pytest
from testpolicy import REPO_ROOT

PROGRAM = REPO_ROOT / "ansible" / "roles" / "backup" / "files" / "ungp-backup"


@pytest.fixture(scope="module")
def backup():
    loader = importlib.machinery.SourceFileLoader("ungp_backup", str(PROGRAM))
    spec = importlib.util.spec_from_loader("ungp_backup", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_live_wal_database_is_archived_with_its_uncheckpointed_rows(backup, tmp_path):
    state = tmp_path / "state"
    (state / "exchange" / "course1").mkdir(parents=True)
    submission = state / "exchange" / "course1" / "ada.ipynb"
    submission.write_bytes(bytes(range(256)) * 40)
    db = sqlite3.connect(state / "jupyterhub.sqlite")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA wal_autocheckpoint=0")  # rows stay in the -wal file, as in a live hub
    db.execute("CREATE TABLE users (name TEXT)")
    db.executemany("INSERT INTO users VALUES (?)", [("ada",), ("bob",)])
    db.commit()
    assert (state / "jupyterhub.sqlite-wal").stat().st_size > 0

    archive = tmp_path / "state.tar.gz"
    backup.archive_state(state, archive)
    db.close()
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert "jupyterhub.sqlite-wal" not in names and "jupyterhub.sqlite" in names

    restored = tmp_path / "restored"
    restored.mkdir()
    backup.unpack(archive, restored)
    copy = sqlite3.connect(restored / "jupyterhub.sqlite")
    assert sorted(row[0] for row in copy.execute("SELECT name FROM users")) == ["ada", "bob"]
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    copy.close()
    assert digest(restored / "exchange" / "course1" / "ada.ipynb") == digest(submission)


def test_rotation_keeps_the_newest_and_latest_picks_the_newest(backup, tmp_path):
    for name in ("20260101T000000Z", "20260102T000000Z", "20260103T000000Z"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "backup.json").write_text('{"sha256": {}}')
    (tmp_path / ".20260104T000000Z.partial").mkdir()  # an interrupted backup
    backup.rotate(tmp_path, keep=2)
    assert [p.name for p in backup.backups(tmp_path)] == ["20260102T000000Z", "20260103T000000Z"]
    assert not (tmp_path / ".20260104T000000Z.partial").exists()
    assert backup.pick(tmp_path, "latest").name == "20260103T000000Z"
    with pytest.raises(backup.BackupError, match="there are: 20260102T000000Z"):
        backup.pick(tmp_path, "20250101T000000Z")


def test_a_damaged_backup_is_refused_before_anything_is_stopped(backup, tmp_path):
    folder = tmp_path / "20260101T000000Z"
    folder.mkdir()
    (folder / "state.tar.gz").write_bytes(b"not what was written")
    good = hashlib.sha256(b"what was written").hexdigest()
    (folder / "backup.json").write_text(json.dumps({"sha256": {"state.tar.gz": good}}))
    with pytest.raises(backup.BackupError, match="damaged"):
        backup.check(folder)


def test_planted_fifos_links_and_hard_links_in_a_course_folder(backup, tmp_path):
    """An instructor writes courses/NAME: a FIFO must not hang the backup, and a link or hard
    link to the hub database must not become a plain copy that a restore hands to them."""
    import os
    import threading

    state = tmp_path / "state"
    course = state / "courses" / "c1"
    course.mkdir(parents=True)
    hub = sqlite3.connect(state / "jupyterhub.sqlite")
    hub.execute("CREATE TABLE secrets (value TEXT)")
    hub.execute("INSERT INTO secrets VALUES ('cookie-secret-value')")
    hub.commit()
    hub.close()
    gradebook = sqlite3.connect(course / "gradebook.db")
    gradebook.execute("CREATE TABLE grade (score REAL)")
    gradebook.execute("INSERT INTO grade VALUES (1.5)")
    gradebook.commit()
    gradebook.close()
    os.mkfifo(course / "gradebook.db-journal.fifo")
    os.mkfifo(course / "notes.sqlite")
    (course / "hub.sqlite").symlink_to(state / "jupyterhub.sqlite")
    (course / "copy.sqlite").hardlink_to(state / "jupyterhub.sqlite")
    archive = tmp_path / "state.tar.gz"
    done: list = []
    worker = threading.Thread(target=lambda: done.append(backup.archive_state(state, archive)))
    worker.daemon = True
    worker.start()
    worker.join(30)
    assert done, "the backup hung on a FIFO in a course folder"
    with tarfile.open(archive) as tar:
        members = {m.name: m for m in tar.getmembers()}
        assert members["courses/c1/hub.sqlite"].issym()
        assert members["courses/c1/notes.sqlite"].isfifo()
        assert "courses/c1/copy.sqlite" not in members
        for member in tar.getmembers():
            if member.isfile() and member.name.startswith("courses/"):
                assert b"cookie-secret-value" not in tar.extractfile(member).read(), member.name
    restored = tmp_path / "restored"
    restored.mkdir()
    backup.unpack(archive, restored)
    copy = sqlite3.connect(restored / "courses" / "c1" / "gradebook.db")
    assert copy.execute("SELECT score FROM grade").fetchone()[0] == 1.5
    copy.close()


def test_a_gradebook_is_copied_between_commits_not_during_one(backup, tmp_path, monkeypatch):
    """The copy waits for SQLite's shared lock, and gives up after LOCK_WAIT seconds."""
    import subprocess
    import sys
    import time

    course = tmp_path / "state" / "courses" / "c1"
    course.mkdir(parents=True)
    db = sqlite3.connect(course / "gradebook.db")
    db.execute("CREATE TABLE grade (score REAL)")
    db.commit()
    db.close()
    holder = subprocess.Popen(  # a writer in the middle of a commit (EXCLUSIVE lock)
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time\n"
            f"db = sqlite3.connect({str(course / 'gradebook.db')!r}, isolation_level=None)\n"
            "db.execute('BEGIN EXCLUSIVE'); print('locked', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        monkeypatch.setattr(backup, "LOCK_WAIT", 1)
        started = time.monotonic()
        backup.archive_state(tmp_path / "state", tmp_path / "state.tar.gz")
        assert 1 <= time.monotonic() - started < 10
    finally:
        holder.kill()
        holder.wait()
