"""The sandboxed autograder: nbgrader's autograde with execution in throwaway containers.

Entry points: ``run.GradingRun`` (one assignment, parallel, resumable; used by
``ungp grade``), ``limits.SandboxLimits.from_settings``, and :func:`run_notebook` (one
notebook in a fresh sandbox: the certification's exam runner). Inside a sandbox the container
runs ``python -m ungp_hub.grader.executor``, which imports this package: so nothing is
imported here until asked for (PEP 562), the executor must start fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .notebook import run_notebook

__all__ = ["run_notebook"]


def __getattr__(name: str) -> Any:
    if name == "run_notebook":
        from .notebook import run_notebook

        return run_notebook
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
