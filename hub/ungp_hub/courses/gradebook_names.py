"""Trainees' full names in a course's nbgrader gradebook, for the formgrader's lists.

nbgrader keeps ``first_name`` and ``last_name`` and shows "last, first". A full name cannot
be split without knowing the person's naming customs ("Ana María de la Cruz": which words are
the family name?), so the whole name goes into ``last_name`` and ``first_name`` stays empty:
nbgrader then shows and sorts the name as written in the roster.
"""

from __future__ import annotations

from collections.abc import Mapping


def nbgrader_name(full_name: str) -> dict[str, str]:
    """The fields of nbgrader's ``Student`` record for a full name (all in ``last_name``)."""
    return {"first_name": "", "last_name": full_name.strip()}


def name_students(
    db_url: str, course: str, names: Mapping[str, str], replace: bool, add: bool = True
) -> list[str]:
    """Record NAMES (username -> full name) in the gradebook; the usernames whose name changed.

    ``replace``: overwrite a name already in the gradebook (a roster the hub admin gives is the
    source); otherwise only fill a missing one, so names an instructor typed in the formgrader
    stay. ``add``: add trainees not yet in the gradebook. Empty full names are skipped.
    """
    from nbgrader.api import MissingEntry

    from .folders import open_gradebook

    changed = []
    with open_gradebook(db_url, course) as gradebook:
        for student_id, full_name in sorted(names.items()):
            if not full_name.strip():
                continue
            fields = nbgrader_name(full_name)
            try:
                student = gradebook.find_student(student_id)
            except MissingEntry:
                if add:
                    gradebook.add_student(student_id, **fields)
                    changed.append(student_id)
                continue
            has_name = bool(student.first_name or student.last_name)
            current = {"first_name": student.first_name, "last_name": student.last_name}
            if current != fields and (replace or not has_name):
                gradebook.update_or_create_student(student_id, **fields)
                changed.append(student_id)
    return changed
