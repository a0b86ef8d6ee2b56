"""The docs test's terminal client against a real Jupyter server on 127.0.0.1 (no Docker).

If the client got exit codes or output wrong, every docs test would pass or fail for the wrong
reason: these tests pin what it reports.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import requests
from terminal_client import HostShell, Terminal, TerminalError, strip_ansi
from ungp_hub.testing.client import run_in_kernel
from ungp_hub.testing.hub import free_port_block
from ungp_hub.testing.wait import wait_for


@pytest.fixture(scope="module")
def jupyter_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("jupyter-root")
    port, token = free_port_block(1), uuid.uuid4().hex
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter_server",
            f"--ServerApp.port={port}",
            "--ServerApp.ip=127.0.0.1",
            f"--IdentityProvider.token={token}",
            "--ServerApp.open_browser=False",
            "--ServerApp.allow_root=True",
            f"--ServerApp.root_dir={root}",
            "--ServerApp.terminado_settings={'shell_command': ['bash', '--norc']}",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(
            lambda: (
                requests.get(
                    f"{url}/api/status", timeout=2, headers={"Authorization": f"token {token}"}
                ).ok
            ),
            60,
            "the Jupyter server",
        )
        yield url, token, root
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def test_exit_codes_output_and_shell_state_of_one_terminal(jupyter_server):
    url, token, root = jupyter_server
    with Terminal(url, token) as terminal:
        assert terminal.run("false")[0] == 1
        code, output = terminal.run("printf '\\033[1;31mred\\033[0m %s\\n' done")
        assert code == 0 and "red done" in output and "\x1b" not in output
        assert terminal.run("cd /tmp && (exit 3)")[0] == 3
        assert terminal.run("pwd") == (0, "/tmp"), "only what the command printed"
        assert terminal.run("echo one \\\n  two") == (0, "one two")
        with pytest.raises(TerminalError, match="no end after 2 s"):
            terminal.run("sleep 30", timeout=2)
        assert terminal.run("true")[0] == 0, "the interrupted command left the shell usable"
        name = terminal.name
    listed = requests.get(f"{url}/api/terminals", headers={"Authorization": f"token {token}"})
    assert name not in [t["name"] for t in listed.json()], "the terminal was deleted after"


def test_a_notebook_cell_returns_output_or_raises_with_the_error(jupyter_server):
    url, token, _ = jupyter_server
    assert run_in_kernel(url, token, "print(6 * 7)", "python3").strip() == "42"
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        run_in_kernel(url, token, "1 / 0", "python3")


def test_strip_ansi_keeps_text_and_drops_escapes():
    raw = "\x1b]0;jovyan@c: ~\x07\x1b[?2004h$ ls\r\n\x1b[01;34mdir\x1b[0m\r\n"
    assert strip_ansi(raw) == "$ ls\ndir\n"


def test_a_host_shell_keeps_its_state_and_stops_a_command_that_hangs(tmp_path):
    shell = HostShell(tmp_path, {**os.environ, "PS1": "$ "})
    try:
        assert shell.run("false")[0] == 1
        assert shell.run("cd /tmp && export DOCS_X=1") == (0, "")
        assert shell.run('pwd; echo "$DOCS_X"') == (0, "/tmp\n1")
        assert shell.run("cat; echo after") == (0, "after"), "stdin is not the next command"
        assert shell.run("echo one \\\n  two # a comment") == (0, "one two")
        with pytest.raises(TerminalError, match="no end after 1 s"):
            shell.run("sleep 30", timeout=1)
        with pytest.raises(TerminalError, match="has ended"):
            shell.run("true")
    finally:
        shell.close()
