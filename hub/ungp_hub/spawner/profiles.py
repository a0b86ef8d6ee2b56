"""Which resources a user's server gets, from the user's groups."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..settings import Settings

TRAINEE, INSTRUCTOR, ANALYST = "trainee", "instructor", "analyst"
INSTRUCTORS_GROUP_PREFIX = "instructors:"
ANALYSTS_GROUP = "analysts"
TRAINEES_GROUP = "trainees"


def profile_for(group_names: Iterable[str], is_admin: bool) -> str:
    """Instructors (of any course) and admins outrank analysts, who outrank trainees."""
    names = set(group_names)
    if is_admin or any(name.startswith(INSTRUCTORS_GROUP_PREFIX) for name in names):
        return INSTRUCTOR
    if ANALYSTS_GROUP in names:
        return ANALYST
    return TRAINEE


def memory_in_bytes(value: str) -> int:
    """'2G' -> 2147483648. The settings schema has already checked the form."""
    units = {"K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}
    return int(float(value[:-1]) * units[value[-1].upper()])


def describe_memory(limit_bytes: int) -> str:
    for unit, size in (("GiB", 1024**3), ("MiB", 1024**2)):
        if limit_bytes >= size:
            return f"{limit_bytes / size:g} {unit}"
    return f"{limit_bytes} bytes"


def profile_images(settings: Settings) -> dict[str, dict]:
    """Profiles with their image resolved: the configured one, else the one we built."""
    from ..images.user import read_built_images

    built = read_built_images(settings.state_dir).get("user", "")
    profiles = {}
    for name, profile in settings.get("profiles").items():
        profiles[name] = {**profile, "image": profile.get("image") or built or "ungp/user:unbuilt"}
    return profiles
