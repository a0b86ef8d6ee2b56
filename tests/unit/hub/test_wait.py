"""wait_for: polls through transient errors, but stops at once when the condition cannot hold."""

from __future__ import annotations

import time

import pytest
from ungp_hub.testing.wait import CannotHappen, WaitTimeout, wait_for


def test_transient_errors_are_polled_through_until_the_condition_holds():
    answers = iter([ConnectionError("not yet"), ConnectionError("not yet"), "up"])

    def condition():  # noqa: ANN202
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    assert wait_for(condition, 5, "the service", interval=0.01) == "up"


def test_a_condition_that_cannot_happen_stops_the_wait_at_once():
    def condition():  # noqa: ANN202
        raise CannotHappen("the process died")

    started = time.monotonic()
    with pytest.raises(CannotHappen, match="the process died"):
        wait_for(condition, 30, "the service", interval=0.01)
    assert time.monotonic() - started < 1


def test_the_timeout_names_what_was_awaited_and_the_last_error():
    def condition():  # noqa: ANN202
        raise ConnectionError("refused")

    with pytest.raises(WaitTimeout, match="waiting for the service .*refused"):
        wait_for(condition, 0.05, "the service", interval=0.01)
