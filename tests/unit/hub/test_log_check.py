"""The log checker finds tracebacks and error lines with context; allow-list entries say why."""

from __future__ import annotations

import pytest
from ungp_hub.testing.logs import (
    EXPECTED_HUB_MESSAGES,
    Allowed,
    LogProblems,
    assert_clean_log,
    problems,
)

HUB_LOG = """\
[I 2026-12-07 18:00:00.100 JupyterHub app:3300] Running JupyterHub version 6.1.1
[I 2026-12-07 18:00:00.200 JupyterHub app:3301] Using Spawner: UngpDockerSpawner
[E 2026-12-07 18:00:01.000 JupyterHub web:1875] Uncaught exception GET /hub/health
    Traceback (most recent call last):
      File "/venv/lib/python3.12/site-packages/tornado/web.py", line 1790, in _execute
        result = await result
    ConnectionRefusedError: [Errno 111] Connection refused
[I 2026-12-07 18:00:02.000 JupyterHub log:192] 200 GET /hub/api/ (@127.0.0.1) 1.00ms
Traceback (most recent call last):
  File "x.py", line 1, in <module>
    main()
KeyError: 'a'

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "x.py", line 3, in <module>
    raise ValueError("b")
ValueError: b
[I 2026-12-07 18:00:03.000 exchange] started
"""


def test_finds_an_error_line_with_its_traceback_as_one_problem_and_a_bare_chained_one():
    found = problems(HUB_LOG, context=1)
    assert [p.line for p in found] == [3, 9]
    first, second = found
    assert first.text.splitlines()[0].startswith("[E 2026-12-07 18:00:01.000 JupyterHub")
    assert first.text.splitlines()[-1].strip().startswith("ConnectionRefusedError")
    assert (
        first.context
        == "[I 2026-12-07 18:00:00.200 JupyterHub app:3301] Using Spawner: UngpDockerSpawner"
    )
    # A chained traceback is one problem that ends at the last exception line.
    assert second.text.splitlines()[-1] == "ValueError: b"
    assert "KeyError: 'a'" in second.text
    assert "exchange] started" not in second.text


@pytest.mark.parametrize(
    "line",
    [
        "[E 2026-12-07 18:00:00.000 DaskGateway] Error in cluster status check",
        "[C 2026-12-07 18:00:00.000 JupyterHub app:1] Received signal SIGTERM",
        "[E 2026-12-07 18:00:00,000 grader] could not grade",
        "2026-12-07 18:00:00,000 ERROR grading failed",
        "ERROR:asyncio:Unclosed client session",
        "2026-12-07 18:00:00,000 - distributed.core - ERROR - lost",
        "18:00:00.000 [ConfigProxy] error: 503 GET /user/a/ connect ECONNREFUSED",
    ],
)
def test_error_lines_in_each_format_the_hub_and_its_services_use(line):
    assert [p.text for p in problems(f"[I x] fine\n{line}\n")] == [line]


@pytest.mark.parametrize(
    "line",
    [
        "[W 2026-12-07 18:00:00.000 JupyterHub base:1] Cannot connect to managed service",
        "[I 2026-12-07 18:00:00.000 exchange] no ERROR in this submission",
        "18:00:00.000 [ConfigProxy] info: Route added /user/a -> http://172.30.99.2:8888",
        "    raise_error = False",
    ],
)
def test_warnings_info_and_words_in_messages_are_not_errors(line):
    assert problems(line + "\n") == []


def test_colour_codes_do_not_hide_an_error():
    assert len(problems("\x1b[31m[E 2026-12-07 18:00:00.000 JupyterHub]\x1b[0m boom\n")) == 1


def test_allowed_patterns_drop_matching_problems_and_count_what_they_allowed():
    allowed = Allowed(r"ConnectionRefusedError", "the proxy's first health check races its start")
    found = problems(HUB_LOG, allowed=[allowed])
    assert [p.line for p in found] == [9]
    assert allowed.matches(problems(HUB_LOG)[0])


def test_an_allowed_pattern_must_say_why():
    with pytest.raises(ValueError, match="why"):
        Allowed("Connection refused", "")
    with pytest.raises(ValueError, match="pattern"):
        Allowed("(unclosed", "a reason")


def test_assert_clean_names_the_log_and_shows_each_problem_with_its_context():
    with pytest.raises(LogProblems) as raised:
        assert_clean_log(HUB_LOG, "hub log")
    message = str(raised.value)
    assert message.startswith("hub log: 2 problems")
    assert "line 3" in message and "line 9" in message
    assert "Using Spawner" in message and "ValueError: b" in message
    assert_clean_log("[I 2026-12-07 18:00:00.100 JupyterHub] fine\n", "hub log")


def test_the_hub_stop_signal_is_expected_but_other_critical_lines_are_not():
    stop = (
        "[C 2026-12-07 18:59:18.834 JupyterHub app:4035] Received signal SIGTERM, "
        "initiating shutdown..."
    )
    other = "[C 2026-12-07 18:59:18.834 JupyterHub app:1] Failed to start proxy"
    assert problems(f"{stop}\n", EXPECTED_HUB_MESSAGES) == []
    assert [p.text for p in problems(f"{stop}\n{other}\n", EXPECTED_HUB_MESSAGES)] == [other]
