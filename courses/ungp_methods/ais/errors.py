"""The error a trainee sees when an AIS table cannot be used as given."""

from __future__ import annotations


class AISDataError(ValueError):
    """An AIS table or parameter cannot be used; the message says what is wrong and the fix."""


def require_columns(df: object, columns: dict[str, str], what: str) -> None:
    """Raise :class:`AISDataError` naming every role whose column is missing from ``df``."""
    have = list(getattr(df, "columns", []))
    missing = [f"{role}={name!r}" for role, name in columns.items() if name not in have]
    if missing:
        raise AISDataError(
            f"the {what} table has no column(s) {', '.join(missing)} (it has {have}); "
            "rename the columns or pass the right names as keyword arguments."
        )
