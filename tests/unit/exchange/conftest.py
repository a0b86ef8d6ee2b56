"""A real exchange service in a thread, with a fake hub directory (token -> person)."""

from __future__ import annotations

import asyncio
import socket
import threading
from datetime import UTC, datetime

import pytest
from tornado.httpserver import HTTPServer
from ungp_hub.exchange.access import Person
from ungp_hub.exchange.progress import CourseBooks
from ungp_hub.exchange.service import Limits, make_app
from ungp_hub.exchange.store import ExchangeStore

PEOPLE = {
    "tok-ines": Person.of("ines", ["instructors:stats101"]),
    "tok-ana": Person.of("ana", ["trainees", "trainees:stats101"]),
    "tok-ben": Person.of("ben", ["trainees", "trainees:stats101"]),
    "tok-carl": Person.of("carl", ["trainees", "trainees:other"]),
}


class FakeDirectory:
    """Stands in for the hub's API (users and groups), which the unit tests do not start."""

    async def person_for_token(self, token: str) -> Person | None:
        return PEOPLE.get(token)

    async def person_named(self, name: str) -> Person:
        found = [person for person in PEOPLE.values() if person.name == name]
        return found[0] if found else Person.of(name, [])

    async def members(self, group: str) -> list[str]:
        return sorted(person.name for person in PEOPLE.values() if group in person.groups)


class Clock:
    """A settable server clock, so deadline tests do not sleep."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 9, 0, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(tmp_path, clock) -> ExchangeStore:
    return ExchangeStore(tmp_path / "exchange", clock=clock)


@pytest.fixture
def books(tmp_path) -> CourseBooks:
    """Gradebooks at tmp_path/courses/COURSE/gradebook.db (made by the tests that need one)."""
    return CourseBooks(tmp_path / "courses")


@pytest.fixture
def service(store, books):
    """Base URL of a running service (max submission 2000 bytes)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = threading.Event()
    holder = {}

    def run() -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        limits = Limits(2000, 100_000)
        app = make_app(store, FakeDirectory(), limits, "/services/exchange/", books)
        server = HTTPServer(app)
        server.listen(port, "127.0.0.1")
        holder["loop"], holder["server"] = loop, server
        started.set()
        loop.run_forever()
        server.stop()
        loop.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    started.wait(10)
    yield f"http://127.0.0.1:{port}/services/exchange"
    holder["loop"].call_soon_threadsafe(holder["loop"].stop)
    thread.join(10)
