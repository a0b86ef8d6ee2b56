"""A sandbox without Docker, for the grading run's unit tests.

It "executes" a notebook by printing each test cell's token, as a kernel would when every test
passes, unless the cell contains FAIL: enough to check what the host does around a sandbox.
"""

from __future__ import annotations

import copy
import re

from ungp_hub.grader.limits import SandboxLimits
from ungp_hub.grader.sandbox import SandboxResult

TOKEN = re.compile(r"print\('(UNGP-SENTINEL-[0-9a-f]+)\\n'")


class FakeSandbox:
    runs = 0

    def run(self, notebook, files, guard_cells, limit, instructor_cells=()):
        FakeSandbox.runs += 1
        nb = copy.deepcopy(notebook)
        for index in guard_cells:
            cell = nb["cells"][index]
            token = TOKEN.search(cell["source"]).group(1)
            printed = {"output_type": "stream", "name": "stdout", "text": token + "\n"}
            cell["outputs"] = [] if "FAIL" in cell["source"] else [printed]
        return SandboxResult("ok", nb, {}, 0.01)

    def destroy(self):
        pass


class FakePool:
    limits = SandboxLimits(image="x", kernel="python3")

    def __init__(self, *args, **kwargs):
        pass

    def take(self):
        return FakeSandbox()

    def close(self):
        pass
