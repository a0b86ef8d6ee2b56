"""The executor turns kernel messages into nbformat outputs as nbclient does, with a limit."""

from __future__ import annotations

import nbformat
from ungp_hub.grader.executor import CellRun


def msg(kind: str, **content) -> dict:
    return {"msg_type": kind, "content": content, "parent_header": {}}


def test_outputs_are_valid_nbformat_and_streams_merge():
    run = CellRun(output_limit=10_000)
    run.add(msg("stream", name="stdout", text="a\n"))
    run.add(msg("stream", name="stdout", text="b\n"))
    run.add(msg("stream", name="stderr", text="warn\n"))
    run.add(msg("execute_result", data={"text/plain": "3"}, metadata={}, execution_count=1))
    run.add(msg("error", ename="AssertionError", evalue="", traceback=["tb"]))
    assert [o["output_type"] for o in run.outputs] == [
        "stream",
        "stream",
        "execute_result",
        "error",
    ]
    assert run.outputs[0]["text"] == "a\nb\n"
    cell = nbformat.v4.new_code_cell("x", outputs=[nbformat.from_dict(o) for o in run.outputs])
    nbformat.validate(nbformat.v4.new_notebook(cells=[cell]))


def test_clear_output_and_display_updates():
    run = CellRun(output_limit=10_000)
    run.add(
        msg("display_data", data={"text/plain": "1"}, metadata={}, transient={"display_id": "d"})
    )
    run.add(
        msg(
            "update_display_data",
            data={"text/plain": "2"},
            metadata={},
            transient={"display_id": "d"},
        )
    )
    assert run.outputs[0]["data"] == {"text/plain": "2"}
    run.add(msg("clear_output", wait=True))
    assert len(run.outputs) == 1
    run.add(msg("stream", name="stdout", text="after"))
    assert run.outputs == [{"output_type": "stream", "name": "stdout", "text": "after"}]


def test_output_beyond_the_limit_is_dropped_and_flagged():
    run = CellRun(output_limit=1000)
    for _ in range(50):
        run.add(msg("stream", name="stdout", text="x" * 100))
    assert run.over_limit
    assert sum(len(o["text"]) for o in run.outputs) <= 1000


def test_after_the_limit_nothing_more_is_looked_at():
    run = CellRun(output_limit=10)
    run.add(msg("stream", name="stdout", text="x" * 100))
    run.add({"msg_type": "stream", "content": None})  # would fail if it were parsed
    assert run.over_limit and run.outputs == []
