"""A roster: the people of a workshop or course, read from a CSV file and checked whole.

Columns: ``username`` and ``role`` are required; ``full_name``, ``email`` and ``course``
optional. ``role`` is one of trainee, analyst, instructor, admin; an instructor needs a
``course`` (they join the group ``instructors:<course>``). Every problem is reported with its
line number, and a roster with any problem imports nothing.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UserError

USERNAME = re.compile(r"^[a-z][a-z0-9._-]{1,31}$")
COURSE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
ROLES = ("trainee", "analyst", "instructor", "admin")
REQUIRED = ("username", "role")
OPTIONAL = ("full_name", "email", "course")
MAX_NAME = 200  # the hub keeps names in a 255-character column (accounts/people.py)


class RosterError(UserError, ValueError):
    """The roster has problems; ``problems`` lists them as 'line N: ...'."""

    def __init__(self, source: str, problems: list[str]):
        self.problems = problems
        listing = "\n  ".join(problems)
        super().__init__(f"{source}: nothing was imported, fix these and try again:\n  {listing}")


@dataclass(frozen=True)
class Person:
    username: str
    role: str
    full_name: str = ""
    email: str = ""
    course: str = ""
    line: int = 0

    @property
    def groups(self) -> list[str]:
        if self.role == "trainee":
            return ["trainees"] + ([f"trainees:{self.course}"] if self.course else [])
        if self.role == "analyst":
            return ["analysts"]
        if self.role == "instructor":
            return [f"instructors:{self.course}"]
        return []


@dataclass
class Roster:
    people: list[Person] = field(default_factory=list)

    @classmethod
    def read(cls, path: Path) -> Roster:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as error:
            raise RosterError(str(path), [f"cannot read the file: {error.strerror}"]) from None
        except UnicodeDecodeError:
            raise RosterError(
                str(path), ["the file is not UTF-8 text (save it as CSV UTF-8)"]
            ) from None
        return cls.parse(text, str(path))

    @classmethod
    def parse(cls, text: str, source: str = "roster") -> Roster:
        reader = csv.DictReader(text.splitlines())
        header = [name.strip().lower() for name in (reader.fieldnames or [])]
        problems = [f"line 1: missing column '{name}'" for name in REQUIRED if name not in header]
        unknown = [name for name in header if name not in REQUIRED + OPTIONAL]
        problems += [
            f"line 1: unknown column '{name}' (known: {', '.join(REQUIRED + OPTIONAL)})"
            for name in unknown
        ]
        if problems:
            raise RosterError(source, problems)
        reader.fieldnames = header
        people: list[Person] = []
        first_line: dict[str, int] = {}
        for number, row in enumerate(reader, start=2):
            values = {key: (value or "").strip() for key, value in row.items() if key}
            if not any(values.values()):
                continue
            person, row_problems = _check_row(values, number)
            if person and person.username in first_line:
                row_problems.append(
                    f"line {number}: duplicate username '{person.username}' "
                    f"(first on line {first_line[person.username]})"
                )
            problems += row_problems
            if person and not row_problems:
                first_line[person.username] = number
                people.append(person)
        if problems:
            raise RosterError(source, problems)
        if not people:
            raise RosterError(source, ["the roster has no people in it"])
        return cls(people)


def _check_row(values: dict[str, str], number: int) -> tuple[Person | None, list[str]]:
    problems = []
    username = values.get("username", "")
    role = values.get("role", "").lower()
    course = values.get("course", "").lower()
    if not USERNAME.match(username):
        problems.append(
            f"line {number}: invalid username '{username}' (2-32 characters: lower-case letters, "
            "digits, '.', '_' or '-', starting with a letter)"
        )
    if role not in ROLES:
        problems.append(f"line {number}: unknown role '{role}' (one of {', '.join(ROLES)})")
    if role == "instructor" and not course:
        problems.append(f"line {number}: an instructor needs a course")
    if course and not COURSE.match(course):
        problems.append(f"line {number}: invalid course name '{course}'")
    if len(values.get("full_name", "")) > MAX_NAME:
        problems.append(f"line {number}: full name longer than {MAX_NAME} characters")
    email = values.get("email", "")
    if email and "@" not in email:
        problems.append(f"line {number}: invalid email '{email}'")
    person = Person(
        username=username,
        role=role,
        full_name=values.get("full_name", ""),
        email=email,
        course=course,
        line=number,
    )
    return person, problems
