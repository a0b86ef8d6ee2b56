"""A real exchange service in a thread, with a fake hub directory (token -> person)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from ungp_hub.courses.access import Person
from ungp_hub.exchange.progress import CourseBooks
from ungp_hub.exchange.service import Limits, make_app
from ungp_hub.exchange.store import ExchangeStore
from ungp_hub.testing.threaded_app import serving

PEOPLE = {
    "tok-ines": Person.of("ines", ["instructors:stats101"]),
    "tok-ana": Person.of("ana", ["trainees", "trainees:stats101"], "Ana María de la Cruz"),
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
    limits = Limits(2000, 100_000)
    with serving(
        lambda: make_app(store, FakeDirectory(), limits, "/services/exchange/", books),
        "/services/exchange",
    ) as url:
        yield url
