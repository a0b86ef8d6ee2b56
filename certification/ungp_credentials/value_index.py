"""A hashed duplicate check for pyld's node map, so RDFC-1.0 takes linear time, not quadratic.

pyld (3.3) builds the node map of a document with ``JsonLdProcessor.add_value(...,
allowDuplicate=False)``, and ``has_value`` compares each new value with every value already
on that property: n values of one property cost n²/2 comparisons (10,000 values took 36 s,
40,000 over 200 s). Inside :func:`indexed_values` this module answers the same question from
a per-list hash index built incrementally, with pyld's own equality rules (``compare_values``):
primitives equal by value (``True`` is not ``1``), ``@value`` objects by value, ``@type``,
``@language`` and ``@index``, node objects by ``@id``, anything else only by identity. A
value it cannot hash (an ``@json`` literal, a list) falls back to pyld's own comparison.

The replacement is installed once but only acts inside :func:`indexed_values` in the calling
thread; everywhere else pyld's method runs unchanged. The W3C vectors and a test comparing
both answers on generated documents guard it against a pyld whose rules change.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from typing import Any

from pyld.jsonld import JsonLdProcessor

_ORIGINAL = JsonLdProcessor.has_value
_INDEXES = threading.local()
#: Lists shorter than this are scanned as pyld does (building an index costs more).
SCAN_BELOW = 16


def value_key(value: Any) -> Hashable | None:
    """A key equal for exactly the values pyld's ``compare_values`` calls equal; None when the
    value has no such key (then the caller compares as pyld does)."""
    if isinstance(value, dict):
        if "@value" in value:
            if "@id" in value:
                return None
            literal = value["@value"]
            key = (
                "value",
                _primitive_key(literal),
                value.get("@type"),
                value.get("@language"),
                value.get("@index"),
            )
        elif value.get("@id") is not None:
            key = ("node", value["@id"])
        else:
            return ("identity", id(value))
    else:
        key = _primitive_key(value)
    try:
        hash(key)
    except TypeError:
        return None
    return key


def _primitive_key(value: Any) -> Any:
    # compare_values: 1 == 1.0, but True is neither 1 nor 1.0
    return ("bool", value) if isinstance(value, bool) else ("plain", value)


class _ListIndex:
    """The keys of one value list, caught up with the list each time it is asked."""

    def __init__(self, values: list[Any]) -> None:
        self.values = values  # held, so id(values) stays this list's while indexed
        self.keys: set[Hashable] = set()
        self.unkeyed: list[Any] = []
        self.seen = 0

    def contains(self, value: Any, key: Hashable) -> bool:
        if len(self.values) < self.seen:  # pyld removed values: start again
            self.keys.clear()
            self.unkeyed.clear()
            self.seen = 0
        for item in self.values[self.seen :]:
            item_key = value_key(item)
            if item_key is None:
                self.unkeyed.append(item)
            else:
                self.keys.add(item_key)
        self.seen = len(self.values)
        if key in self.keys:
            return True
        return any(JsonLdProcessor.compare_values(value, item) for item in self.unkeyed)


def _has_value(subject: dict[str, Any], prop: str, value: Any) -> bool:
    indexes: dict[int, _ListIndex] | None = getattr(_INDEXES, "active", None)
    values = subject.get(prop) if isinstance(subject, dict) else None
    if isinstance(values, dict) and "@list" in values:
        values = values["@list"]
    key = value_key(value)
    if indexes is None or not isinstance(values, list) or len(values) < SCAN_BELOW or key is None:
        return _ORIGINAL(subject, prop, value)
    index = indexes.get(id(values))
    if index is None or index.values is not values:
        index = indexes[id(values)] = _ListIndex(values)
    return index.contains(value, key)


JsonLdProcessor.has_value = staticmethod(_has_value)


@contextmanager
def indexed_values() -> Iterator[None]:
    """Within this block (in this thread), pyld's duplicate checks use hash indexes."""
    outer = getattr(_INDEXES, "active", None)
    _INDEXES.active = {}
    try:
        yield
    finally:
        _INDEXES.active = outer
