"""Names and relative paths that may be used on disk: checked before anything is written.

Every course, assignment, user and file name that reaches the store comes from a request,
so each is checked against a narrow pattern; a relative file path is a list of such parts
(no '..', no absolute path, no hidden files, no backslashes).
"""

from __future__ import annotations

import re

from ..errors import BadName

ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
PART = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9 ._()+-]{0,127}$")
MAX_DEPTH = 6


def check_id(value: str, what: str) -> str:
    """Course, assignment, notebook or user names: one safe path component."""
    if not isinstance(value, str) or not ID.match(value) or ".." in value:
        raise BadName(
            f"invalid {what} {value!r}: use 1-64 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    return value


def check_relative_path(value: str) -> str:
    """A file inside an assignment folder, e.g. 'data/prices.csv'."""
    if not isinstance(value, str) or not value or "\\" in value or "\0" in value:
        raise BadName(f"invalid file name {value!r}")
    if value.startswith("/"):
        raise BadName(f"invalid file name {value!r}: absolute paths are not accepted")
    parts = value.split("/")
    if len(parts) > MAX_DEPTH:
        raise BadName(f"invalid file name {value!r}: nested deeper than {MAX_DEPTH} folders")
    for part in parts:
        if part in ("", ".", ".."):
            raise BadName(f"invalid file name {value!r}: '..' and empty parts are not accepted")
        if not PART.match(part):
            raise BadName(
                f"invalid file name {value!r}: each part must start with a letter, digit or "
                "'_' and use only letters, digits, spaces and . _ ( ) + -"
            )
    return value
