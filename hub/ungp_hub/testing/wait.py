"""The one way to wait: poll a condition until it holds or a deadline passes."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class WaitTimeout(AssertionError):
    pass


class CannotHappen(AssertionError):
    """Raised by a condition that can no longer hold (e.g. the process it waits for died):
    the wait stops at once instead of polling until its deadline."""


def wait_for(condition: Callable[[], T], timeout: float, what: str, interval: float = 0.25) -> T:
    """Return the first truthy value of condition(); raise WaitTimeout naming `what`."""
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while True:
        try:
            value = condition()
            if value:
                return value
        except CannotHappen:
            raise
        except Exception as error:  # noqa: BLE001 - kept and reported if we time out
            last_error = error
        if time.monotonic() > deadline:
            detail = f" (last error: {last_error!r})" if last_error else ""
            raise WaitTimeout(f"timed out after {timeout:.0f} s waiting for {what}{detail}")
        time.sleep(interval)
