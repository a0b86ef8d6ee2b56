"""Canonical forms that Data Integrity hashes: RDFC-1.0 N-Quads and RFC 8785 JCS.

RDFC-1.0 (formerly URDNA2015) is computed by pyld with the static loader of
:mod:`.contexts`, so canonicalization never fetches anything, and with the hashed duplicate
check of :mod:`.value_index`, so its time grows linearly with the values of a property. JCS
comes from the ``rfc8785`` package (a maintained, complete implementation, number formatting
included).
"""

from __future__ import annotations

from typing import Any

import rfc8785
from pyld import jsonld

from .contexts import load_document
from .errors import CanonicalizationError, UnknownContextError
from .value_index import indexed_values


def _options() -> dict[str, Any]:
    return {"documentLoader": load_document}


def _reraise(exc: Exception, what: str) -> CanonicalizationError | UnknownContextError:
    # pyld wraps loader failures; surface the offline-context error itself.
    seen: Exception | None = exc
    while seen is not None:
        if isinstance(seen, UnknownContextError):
            return seen
        details = getattr(seen, "details", None)
        cause = details.get("cause") if isinstance(details, dict) else None
        seen = cause if isinstance(cause, Exception) else seen.__cause__
    return CanonicalizationError(f"cannot {what}: {exc}")


def rdfc(document: dict[str, Any]) -> str:
    """RDFC-1.0 canonical N-Quads of a JSON-LD document (each line ends with a newline)."""
    try:
        with indexed_values():
            return jsonld.normalize(
                document,
                {**_options(), "algorithm": "URDNA2015", "format": "application/n-quads"},
            )
    except Exception as exc:  # pyld raises many types; callers get one user-facing error
        raise _reraise(exc, "canonicalize the document with RDFC-1.0") from exc


def jcs(document: Any) -> bytes:
    """RFC 8785 canonical JSON bytes."""
    try:
        return rfc8785.dumps(document)
    except Exception as exc:
        raise CanonicalizationError(f"cannot canonicalize the document with JCS: {exc}") from exc


def undefined_terms(document: dict[str, Any]) -> list[str]:
    """Property paths that the document's contexts do not define.

    JSON-LD expansion silently drops undefined terms, so under ``eddsa-rdfc-2022`` they would
    not be signed at all: anyone could change them without breaking the signature. Issuing
    refuses such documents. Found by compacting the expanded form with the same context and
    comparing the property paths with the original.
    """
    if "@context" not in document:
        return sorted(_paths(document))
    try:
        with indexed_values():
            expanded = jsonld.expand(document, _options())
            compacted = jsonld.compact(expanded, {"@context": document["@context"]}, _options())
    except Exception as exc:
        raise _reraise(exc, "expand the document") from exc
    return sorted(_paths(document) - _paths(compacted))


# "id"/"type" are keyword aliases in the (protected) VC 2.0 context: never dropped, but an
# object holding only an "id" compacts to a plain IRI string, which would look like a loss.
_ALIASED = {"@context", "id", "type", "@id", "@type"}


def _paths(node: Any, prefix: str = "") -> set[str]:
    found: set[str] = set()
    if isinstance(node, list):
        for item in node:
            found |= _paths(item, prefix)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key in _ALIASED:
                continue
            path = f"{prefix}.{key}" if prefix else key
            found.add(path)
            found |= _paths(value, path)
    return found
