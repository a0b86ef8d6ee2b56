"""The docs are executable: every command of README.md and docs/*.md runs where its block's
where-line says, on the `make up` demo, and ends with exit code 0 and no traceback.

Host commands run in a bash in (a scratch copy of) the checkout; terminal commands in a
JupyterLab terminal of the role's demo account, through the terminal API; in both, one shell per
block, in the block's order (a `cd` or `source` holds for the next lines). Python and r blocks
run as one notebook cell in a new kernel. Each command is its own test, named file:line.
"""

from __future__ import annotations

import time

import pytest
from demo_fixtures import ROLE_USERS, Demo
from docs_blocks import NOTEBOOK, Block, Command, collect
from terminal_client import HostShell, Terminal, TerminalError
from testpolicy import REPO_ROOT
from ungp_hub.testing.client import run_in_kernel

BLOCKS = [block for block in collect(REPO_ROOT) if block.where is not None and block.where.runs]
CASES = [pytest.param(b, command, id=command.id) for b in BLOCKS for command in b.commands]
COMMAND_TIMEOUT = 150.0
# The whole module (after the demo is up) stays within a few minutes; the rest then fails fast.
MODULE_BUDGET = 600.0
TRACEBACK = "Traceback (most recent call last)"


class Places:
    """Where the docs' commands run: one terminal per block (opened on first use)."""

    def __init__(self, demo: Demo):
        self.demo = demo
        self.terminals: dict[str, Terminal] = {}
        self.shells: dict[str, HostShell] = {}
        self.started = time.monotonic()

    def remaining(self) -> float:
        left = MODULE_BUDGET - (time.monotonic() - self.started)
        if left <= 0:
            pytest.fail(f"the docs test spent its {MODULE_BUDGET:.0f} s budget", pytrace=False)
        return min(COMMAND_TIMEOUT, left)

    def terminal(self, block: Block) -> Terminal:
        if block.id not in self.terminals:
            server, token = self.demo.server(ROLE_USERS[block.where.role])
            self.terminals[block.id] = Terminal(server, token).__enter__()
        return self.terminals[block.id]

    def host_shell(self, block: Block) -> HostShell:
        if block.id not in self.shells:
            # As after `make up`: no settings named; the commands find the demo's by themselves
            # (the scratch checkout's settings/demo.yaml, never a hub on port 8000).
            env = self.demo.host_env()
            self.shells[block.id] = HostShell(self.demo.checkout, env)
        return self.shells[block.id]

    def close(self) -> None:
        for terminal in self.terminals.values():
            terminal.__exit__(None, None, None)
        for shell in self.shells.values():
            shell.close()


@pytest.fixture(scope="module")
def places(make_up_demo):
    where = Places(make_up_demo)
    yield where
    where.close()


@pytest.mark.parametrize(("block", "command"), CASES)
def test_documented_command_runs_where_the_docs_say(places, block: Block, command: Command):
    timeout = places.remaining()
    where = block.where
    if where.kind == "notebook":
        server, token = places.demo.server(ROLE_USERS[where.role])
        try:
            run_in_kernel(server, token, command.text, NOTEBOOK[block.language], timeout)
        except RuntimeError as error:
            pytest.fail(f"{command.id} ({where.role} notebook):\n{error}", pytrace=False)
        return
    place = "host" if where.kind == "host" else f"{where.role} terminal"
    shell = places.host_shell(block) if where.kind == "host" else places.terminal(block)
    try:
        code, output = shell.run(command.text, timeout)
    except TerminalError as error:
        pytest.fail(f"{command.id} ({place}): {error}", pytrace=False)
    assert code == 0, f"{command.id} ({place}) exited {code}:\n$ {command.text}\n{output[-3000:]}"
    assert TRACEBACK not in output, f"{command.id} ({place}) printed a traceback:\n{output[-3000:]}"
