"""shared_engines: one engine and one schema check per gradebook during a run, none after."""

from __future__ import annotations

import nbgrader.api
from nbgrader.api import Gradebook
from sqlalchemy import event
from ungp_hub.courses.folders import alembic_on_path
from ungp_hub.grader.gradebook import shared_engines


def schema_queries(engine) -> list[str]:
    """Collect the statements create_all sends (SQLite answers has_table with PRAGMA)."""
    seen: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def record(conn, cursor, statement, *args):
        if "PRAGMA" in statement and "table_info" in statement:
            seen.append(statement)

    return seen


def test_tables_are_checked_once_per_engine_during_a_run(tmp_path):
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with alembic_on_path(), shared_engines():
        with Gradebook(url, "c1") as first:
            seen = schema_queries(first.engine)
        with Gradebook(url, "c1") as second:
            second.add_student("ada")
        assert second.engine is first.engine
        assert seen == []  # the second Gradebook asked nothing about the schema
        other = f"sqlite:///{tmp_path / 'other.db'}"
        with Gradebook(other, "c2") as fresh:  # a new database still gets its tables
            fresh.add_student("bob")
            assert [s.id for s in fresh.students] == ["bob"]
    assert "create_all" not in vars(nbgrader.api.Base.metadata)
    with alembic_on_path(), Gradebook(url, "c1") as after:  # outside a run: nbgrader's own
        assert [s.id for s in after.students] == ["ada"]
    with Gradebook(url, "c1") as again:
        assert again.engine is not after.engine
