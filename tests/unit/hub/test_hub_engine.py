"""A stale dockerd pid file (its process gone or a zombie) must not block starting the engine."""

from __future__ import annotations

import os
import subprocess

from ungp_hub.engine import remove_stale_pid_file


def test_pid_file_of_a_running_process_is_kept(tmp_path):
    pid_file = tmp_path / "docker.pid"
    pid_file.write_text(str(os.getpid()))
    assert remove_stale_pid_file(pid_file) is False
    assert pid_file.exists()


def test_pid_file_of_an_exited_process_is_removed(tmp_path):
    child = subprocess.Popen(["true"])
    child.wait()
    pid_file = tmp_path / "docker.pid"
    pid_file.write_text(str(child.pid))
    assert remove_stale_pid_file(pid_file) is True
    assert not pid_file.exists()


def test_pid_file_of_a_zombie_is_removed(tmp_path):
    child = subprocess.Popen(["true"])
    os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOWAIT)  # exited, not reaped: a zombie
    pid_file = tmp_path / "docker.pid"
    pid_file.write_text(str(child.pid))
    try:
        assert remove_stale_pid_file(pid_file) is True
    finally:
        child.wait()


def test_missing_or_garbled_pid_file_is_left_alone(tmp_path):
    assert remove_stale_pid_file(tmp_path / "absent.pid") is False
    garbled = tmp_path / "docker.pid"
    garbled.write_text("not a pid")
    assert remove_stale_pid_file(garbled) is False
