"""One SQLAlchemy engine per gradebook for a whole run, and one schema check per engine.

nbgrader opens a new ``Gradebook`` (and so a new engine) a dozen times per submission; each
new engine compiles every SQL statement again, which made up two thirds of the hub's CPU time
per submission. During a run, nbgrader's ``create_engine`` returns the same engine for the same
URL, so compiled statements are reused (``Gradebook.close`` only returns its connections).
Each ``Gradebook()`` also asks the database whether each of its tables exists
(``create_all``): once per engine is enough, as nothing drops them during a run.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import nbgrader.api


@contextmanager
def shared_engines() -> Iterator[None]:
    original = nbgrader.api.create_engine
    metadata = nbgrader.api.Base.metadata
    engines: dict[tuple[str, tuple], Any] = {}
    checked: list[Any] = []  # engines of `engines` (alive all run) whose tables exist
    lock = threading.Lock()

    def cached(url: str, **kwargs: Any):
        key = (str(url), tuple(sorted(kwargs.items())))
        with lock:
            if key not in engines:
                engines[key] = original(url, **kwargs)
            return engines[key]

    def create_all_once(bind: Any, **kwargs: Any) -> None:
        if any(bind is engine for engine in checked):
            return
        type(metadata).create_all(metadata, bind=bind, **kwargs)
        if any(bind is engine for engine in engines.values()):
            checked.append(bind)

    nbgrader.api.create_engine = cached
    metadata.create_all = create_all_once
    try:
        yield
    finally:
        nbgrader.api.create_engine = original
        del metadata.create_all
        for engine in engines.values():
            engine.dispose()
