"""The fail-closed rules for notebooks on the R kernel (IRkernel).

Python test cells run in a clean interpreter (``clean_interpreter``); R test cells do not yet
(see docs/grading.md, Status) and still run in the trainee's IRkernel behind a guard:

- the host wraps each test cell's source, with the token line at its end, in one call
  ``.ungp_test(r"-(...)-")``: the token reaches stdout only if every expression before it
  ran without error (an R error stops the evaluation, as an exception stops a Python cell);
- the executor installs ``kernel_guard.R`` at warm-up and calls its guard before every test
  cell: it restores the snapshotted namespaces and hooks and (re)defines ``.ungp_test``,
  which evaluates the test in front of pristine copies of base, stats, utils, testthat...

Standard library only: the executor imports this in the course image.
"""

from __future__ import annotations

from pathlib import Path

TEST_RUNNER = ".ungp_test"


def is_r(language: str | None) -> bool:
    """True for the R kernel's language name ("R", as IRkernel's kernel spec says)."""
    return (language or "").strip().lower() == "r"


def notebook_language(nb: dict) -> str:
    meta = nb.get("metadata", {})
    return meta.get("kernelspec", {}).get("language") or meta.get("language_info", {}).get(
        "name", ""
    )


def raw_string(text: str) -> str:
    """``text`` as an R raw string literal, with a delimiter that does not occur in it."""
    dashes = "-"
    while f'){dashes}"' in text:
        dashes += "-"
    return f'r"{dashes}({text}){dashes}"'


def instrument_source(source: str, token: str) -> str:
    """The test cell as sent to the sandbox: its checks, then the token, run by the guard's
    runner. The only name looked up in the global environment is ``.ungp_test``, which
    the guard defines again right before this cell runs."""
    body = f'{source}\ncat("{token}\\n")'
    return f"{TEST_RUNNER}({raw_string(body)})"


def boot_code(guard_name: str) -> str:
    """kernel_guard.R with its guard bound to ``guard_name`` (random, known to the executor)."""
    source = (Path(__file__).parent / "kernel_guard.R").read_text()
    return source.replace("GUARD_NAME", guard_name)


def guard_call(guard_name: str) -> str:
    """A call with no other name to look up than the guard's own."""
    return f"`{guard_name}`()"
