"""Run commands where a person types them: a JupyterLab terminal or a shell on the hub host (a
notebook's kernel: ``ungp_hub.testing.client.run_in_kernel``).

Test harness, not product code. A terminal is opened through jupyter_server's terminal REST API
and driven over its terminado websocket (["stdin", text] in, ["stdout", text] out), so the
command runs in the same login shell a trainee gets from File → New → Terminal (with echo and
prompts turned off, so the output is the command's own). Each command is followed by a line that
prints a unique sentinel with `$?`, built from two halves so that the line itself, should it be
echoed, never matches.
"""

from __future__ import annotations

import json
import os
import re
import selectors
import signal
import subprocess
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

import requests
import websocket

# CSI sequences, OSC sequences (window titles), and two-character escapes.
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")


def strip_ansi(text: str) -> str:
    return ANSI.sub("", text).replace("\r", "")


class TerminalError(AssertionError):
    pass


def with_sentinel(command: str) -> tuple[str, re.Pattern[str]]:
    """What to type to run command and learn its `$?`, and the pattern of the sentinel line."""
    head, tail = "__docs_done_", f"{uuid.uuid4().hex}__"
    typed = f"{command}\nprintf '\\n%s%s:%s\\n' '{head}' '{tail}' \"$?\"\n"
    return typed, re.compile(re.escape(head + tail) + r":(\d+)")


def finished(output: str, done: re.Pattern[str]) -> tuple[int, str] | None:
    """(exit code, what the command printed) once the sentinel is in output, else None."""
    found = done.search(output)
    return (int(found[1]), output[: found.start()].strip("\n")) if found else None


class HostShell:
    """One bash on the hub host, like a terminal of its own: `cd` and `source` hold for the
    next commands. Each command's stdin is /dev/null, so a command that reads input cannot eat
    the next line; a command that does not end in time ends the shell."""

    def __init__(self, cwd: Path, env: dict[str, str]):
        self.process = subprocess.Popen(
            ["bash"],
            cwd=cwd,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def run(self, command: str, timeout: float = 120) -> tuple[int, str]:
        if self.process.poll() is not None:
            raise TerminalError("the block's shell has ended (an earlier command timed out)")
        typed, done = with_sentinel(f"{{ {command}\n}} < /dev/null")
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(typed.encode())
        self.process.stdin.flush()
        output = b""
        deadline = time.monotonic() + timeout
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            while (left := deadline - time.monotonic()) > 0:
                if not selector.select(left):
                    continue
                chunk = os.read(self.process.stdout.fileno(), 65536)
                if not chunk:
                    break
                output += chunk
                if ended := finished(strip_ansi(output.decode(errors="replace")), done):
                    return ended
        self.close()
        text = strip_ansi(output.decode(errors="replace"))[-3000:]
        raise TerminalError(f"no end after {timeout:.0f} s (shell stopped); it printed:\n{text}")

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()


class Terminal:
    """One JupyterLab terminal on a user's server; use as a context manager (deleted after)."""

    def __init__(self, server_url: str, token: str, connect_timeout: float = 60):
        self.server = server_url.rstrip("/")
        self.headers = {"Authorization": f"token {token}"}
        self.connect_timeout = connect_timeout
        self.name = ""
        self.conn: websocket.WebSocket | None = None

    def __enter__(self) -> Terminal:
        response = requests.post(
            f"{self.server}/api/terminals", headers=self.headers, timeout=self.connect_timeout
        )
        if response.status_code != 200:
            raise TerminalError(f"the server refused a terminal: {response.status_code}")
        self.name = response.json()["name"]
        parsed = urlparse(self.server)
        scheme = "wss" if parsed.scheme == "https" else "ws"
        url = f"{scheme}://{parsed.netloc}{parsed.path}/terminals/websocket/{self.name}"
        self.conn = websocket.create_connection(
            url,
            header=[f"{key}: {value}" for key, value in self.headers.items()],
            timeout=self.connect_timeout,
        )
        # Wide lines: long commands and messages are not wrapped by the terminal.
        self.conn.send(json.dumps(["set_size", 50, 400, 800, 1000]))
        # No echo of what is typed, no prompts: what run() returns is what the command printed.
        self._send("stty -echo; PS1=''; PS2=''\n")
        self.run("true", timeout=self.connect_timeout)
        return self

    def __exit__(self, *_exc) -> None:
        if self.conn is not None:
            self.conn.close()
        if self.name:
            requests.delete(
                f"{self.server}/api/terminals/{self.name}", headers=self.headers, timeout=30
            )

    def run(self, command: str, timeout: float = 120) -> tuple[int, str]:
        """Type command, wait for it to end; return (exit code, output without escapes).

        On timeout the command is interrupted (Ctrl-C) and TerminalError names what it printed.
        """
        assert self.conn is not None, "use the Terminal as a context manager"
        typed, done = with_sentinel(command)
        self._send(typed)
        output = ""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.conn.settimeout(max(0.1, deadline - time.monotonic()))
            try:
                message = json.loads(self.conn.recv())
            except websocket.WebSocketTimeoutException:
                break
            if message[0] == "stdout":
                output += message[1]
                if ended := finished(strip_ansi(output), done):
                    return ended
            elif message[0] == "disconnect":
                raise TerminalError(f"the terminal closed; it printed:\n{strip_ansi(output)}")
        self._send("\x03")
        raise TerminalError(
            f"no end after {timeout:.0f} s (interrupted); it printed:\n{strip_ansi(output)[-3000:]}"
        )

    def _send(self, text: str) -> None:
        assert self.conn is not None
        self.conn.send(json.dumps(["stdin", text]))
