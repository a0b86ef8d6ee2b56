"""Find Python tracebacks and error lines in the logs of the hub and its services.

A normal journey (log in, spawn, run a cell, start and stop a Dask cluster, stop the hub) must
leave no traceback and no error in any log: each one is either a bug or noise that hides the
next real problem from an admin. The few messages a healthy hub still logs at error level are
allowed by name, each with the reason it is harmless, so an allow-list entry can be questioned
and removed when its cause goes away.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

ANSI = re.compile(r"\x1b\[[0-9;]*m")
TRACEBACK = re.compile(r"Traceback \(most recent call last\):")
# Lines that continue a traceback without being indented: chained exceptions' headers.
CHAIN = re.compile(
    r"^\s*(During handling of the above exception|The above exception was the direct cause"
    r"|Traceback \(most recent call last\):|$)"
)
# The level markers of the formats in use: traitlets/tornado and our services'
# "[E date name]", Python's "ERROR:logger:", "date time ERROR message", Dask's
# "date - logger - ERROR - message", configurable-http-proxy's "[ConfigProxy] error:".
ERROR_LINE = re.compile(
    r"^\s*\[[EC][ \]]"
    r"|^(ERROR|CRITICAL):"
    r"|^\d{4}-\d\d-\d\d[ T][\d:.,]+ (ERROR|CRITICAL) "
    r"| - (ERROR|CRITICAL) - "
    r"|\[ConfigProxy\] error:"
)


@dataclass(frozen=True)
class Allowed:
    """A problem we accept: `pattern` (a regular expression searched in the problem's text)
    and `why` it is harmless. Both are required, so every exception is explained."""

    pattern: str
    why: str

    def __post_init__(self) -> None:
        if not self.why.strip():
            raise ValueError(f"allowed log pattern {self.pattern!r} must say why it is allowed")
        try:
            re.compile(self.pattern)
        except re.error as error:
            raise ValueError(f"allowed log pattern {self.pattern!r} is invalid: {error}") from None

    def matches(self, problem: Problem) -> bool:
        return re.search(self.pattern, problem.text) is not None


@dataclass(frozen=True)
class Problem:
    """An error line or a traceback (with the error line that introduced it, if any)."""

    line: int  # 1-based number of its first line in the log
    text: str
    context: str = field(default="")  # the lines just before it

    def describe(self) -> str:
        before = "".join(f"    | {line}\n" for line in self.context.splitlines())
        text = "".join(f"    > {line}\n" for line in self.text.splitlines())
        return f"  line {self.line}:\n{before}{text}"


# What every hub's log holds at error level when nothing is wrong.
EXPECTED_HUB_MESSAGES = (
    Allowed(
        r"^\[C [^\]]* JupyterHub app:\d+\] Received signal SIG(TERM|INT), initiating shutdown",
        "JupyterHub logs the signal that stops it at critical level: an admin's stop, not a fault",
    ),
)


class LogProblems(AssertionError):
    """A log holds problems that no allow-list entry explains."""


def _traceback_end(lines: list[str], start: int) -> int:
    """Index after the traceback starting at `start`: indented frames, chained headers, and
    the unindented exception line(s) that close each traceback."""
    indent = len(lines[start]) - len(lines[start].lstrip())
    index = start + 1
    while index < len(lines):
        line = lines[index]
        deeper = len(line) - len(line.lstrip()) > indent
        if deeper or (CHAIN.match(line) and line.strip()):
            index += 1
            continue
        if not line.strip():  # a blank line: part of it only if a chained header follows
            following = next((ln for ln in lines[index + 1 :] if ln.strip()), "")
            if CHAIN.match(following) and following.strip():
                index += 1
                continue
            return index
        # The exception line closes the traceback (unless another chained part follows).
        index += 1
        following = next((ln for ln in lines[index:] if ln.strip()), "")
        if not (CHAIN.match(following) and following.strip()):
            return index
    return index


def problems(text: str, allowed: Iterable[Allowed] = (), context: int = 3) -> list[Problem]:
    """Every traceback and error line in `text` that no `allowed` entry matches."""
    lines = ANSI.sub("", text).splitlines()
    allowed = list(allowed)
    found: list[Problem] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        is_error, is_traceback = bool(ERROR_LINE.search(line)), bool(TRACEBACK.search(line))
        if not (is_error or is_traceback):
            index += 1
            continue
        end = index + 1
        if is_traceback:
            end = _traceback_end(lines, index)
        elif end < len(lines) and TRACEBACK.search(lines[end]):
            end = _traceback_end(lines, end)  # the error line that logged this traceback
        problem = Problem(
            index + 1,
            "\n".join(lines[index:end]),
            "\n".join(lines[max(0, index - context) : index]),
        )
        if not any(entry.matches(problem) for entry in allowed):
            found.append(problem)
        index = end
    return found


def assert_clean_log(text: str, name: str, allowed: Iterable[Allowed] = ()) -> None:
    """Raise LogProblems listing each unexplained problem in the log called `name`."""
    found = problems(text, allowed)
    if found:
        listing = "\n".join(problem.describe() for problem in found)
        raise LogProblems(f"{name}: {len(found)} problems\n{listing}")
