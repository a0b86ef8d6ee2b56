"""How big a document the verifier takes: bytes, nesting depth and number of JSON values.

RDFC-1.0 canonicalisation (pyld) grows quadratically with the values of one property (pyld
checks every new value against all earlier ones: 1,000 values 0.7 s, 2,000 values 3.8 s, 10,000
values 36 s), and the parsers recurse once per nesting level (about 1,000 levels end in a
RecursionError). A credential of this hub has about 75 JSON values, 6 levels and 3 KB; these
limits leave room for richer Open Badges from other issuers and refuse, with the reason, what
no credential needs. The walk below is iterative, so it cannot itself run out of stack.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .errors import CredentialError


class DocumentTooLarge(CredentialError):
    """A document over one of the limits; the message names the limit and the value found."""


@dataclass(frozen=True)
class DocumentLimits:
    """The limits one verification applies to a credential, a key set or a status list."""

    max_bytes: int = 256 * 1024
    max_depth: int = 32
    max_values: int = 1_000

    def parse(self, text: str | bytes) -> Any:
        """JSON text to Python, refusing what is over a limit before it is canonicalised.

        Raises :class:`DocumentTooLarge`, or ``ValueError`` for text that is not JSON."""
        size = len(text.encode("utf-8") if isinstance(text, str) else text)
        if size > self.max_bytes:
            raise DocumentTooLarge(
                f"the document has {size:,} bytes; this verifier takes at most "
                f"{self.max_bytes:,} (a credential is a few KB)"
            )
        try:
            parsed = json.loads(text)
        except RecursionError:
            raise self._too_deep(None) from None
        self.check(parsed)
        return parsed

    def check(self, document: Any) -> None:
        """Refuse a parsed document nested deeper than `max_depth` or with more than
        `max_values` JSON values (objects, arrays and scalars all count)."""
        values = 0
        stack: list[tuple[Any, int]] = [(document, 1)]
        while stack:
            node, depth = stack.pop()
            values += 1
            if values > self.max_values:
                raise DocumentTooLarge(
                    f"the document has more than {self.max_values:,} JSON values; this verifier "
                    f"takes at most {self.max_values:,} (a credential of this hub has about 75)"
                )
            if isinstance(node, dict | list):
                if depth > self.max_depth:
                    raise self._too_deep(depth)
                children = node.values() if isinstance(node, dict) else node
                stack.extend((child, depth + 1) for child in children)

    def _too_deep(self, depth: int | None) -> DocumentTooLarge:
        found = f"{depth} levels" if depth is not None else "too many levels for the parser"
        return DocumentTooLarge(
            f"the document is nested {found}; this verifier takes at most {self.max_depth} "
            "levels of objects and arrays (a credential needs fewer than 10)"
        )


DEFAULT_LIMITS = DocumentLimits()
