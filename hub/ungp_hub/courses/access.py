"""Who may do what in a course, from the person's hub groups.

Instructors of a course (group ``instructors:NAME``) release, collect and return feedback;
trainees enrolled in it (group ``trainees:NAME``) fetch, submit and read their own work and
feedback; nobody else, hub admins included (an admin who teaches joins the group).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import NotAllowed

INSTRUCTORS = "instructors:"
TRAINEES = "trainees:"


@dataclass(frozen=True)
class Person:
    """A caller as the hub vouches for them (name and groups from the hub's API, never from
    the request), so every course decision rests on hub groups alone."""

    name: str
    groups: frozenset[str]
    full_name: str = ""  # from the hub's user_info; '' when the hub has none

    @classmethod
    def of(cls, name: str, groups: Iterable[str], full_name: str = "") -> Person:
        """From the hub's user model, whose groups come as a list."""
        return cls(name, frozenset(groups), full_name)

    def teaches(self, course: str) -> bool:
        """Membership of ``instructors:COURSE``: hub admin rights alone do not count."""
        return INSTRUCTORS + course in self.groups

    def attends(self, course: str) -> bool:
        """Membership of ``trainees:COURSE``: enrolment is a hub group, set by the roster."""
        return TRAINEES + course in self.groups

    @property
    def courses(self) -> dict[str, str]:
        """course -> 'instructor' or 'trainee' (instructor wins when both)."""
        found: dict[str, str] = {}
        for group in sorted(self.groups):
            if group.startswith(TRAINEES):
                found.setdefault(group[len(TRAINEES) :], "trainee")
        for group in self.groups:
            if group.startswith(INSTRUCTORS):
                found[group[len(INSTRUCTORS) :]] = "instructor"
        return found

    def require_instructor(self, course: str) -> None:
        """Refuse with the group to join, so the refusal tells the person whom to ask."""
        if not self.teaches(course):
            raise NotAllowed(
                f"{self.name} is not an instructor of course {course} (hub group "
                f"{INSTRUCTORS}{course}); ask a hub admin to add you"
            )

    def require_trainee(self, course: str) -> None:
        """Refuse someone not enrolled, naming the group that enrolment adds them to."""
        if not self.attends(course):
            raise NotAllowed(
                f"{self.name} is not enrolled in course {course} (hub group {TRAINEES}{course}); "
                "ask your instructor to enrol you"
            )

    def require_member(self, course: str) -> None:
        """For what both sides read (a course's releases): anyone of the course, no one else."""
        if not (self.teaches(course) or self.attends(course)):
            raise NotAllowed(f"{self.name} is neither an instructor nor a trainee of {course}")

    def may_read_student(self, course: str, student: str) -> bool:
        """An instructor reads every trainee's work; a trainee only their own."""
        return self.teaches(course) or (self.attends(course) and student == self.name)
