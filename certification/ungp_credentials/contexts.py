"""Static JSON-LD document loader: the published contexts shipped in ``contexts/``.

Signing and verifying ``eddsa-rdfc-2022`` expands the credential with its contexts. A hub, a
USB-kit workshop and an offline verifier must get byte-identical contexts without a network, and
a context fetched at run time could be swapped to change what a signature means. So only the
URLs below resolve; any other URL is refused with :class:`UnknownContextError`.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from importlib import resources
from typing import Any

from .errors import UnknownContextError

VC_V2 = "https://www.w3.org/ns/credentials/v2"
VC_EXAMPLES_V2 = "https://www.w3.org/ns/credentials/examples/v2"
OB_V3P0 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"

#: Context URL -> file name in ``ungp_credentials/contexts`` (see PROVENANCE.md there).
CONTEXT_FILES: dict[str, str] = {
    VC_V2: "credentials-v2.jsonld",
    VC_EXAMPLES_V2: "credentials-examples-v2.jsonld",
    OB_V3P0: "ob-v3p0-context-3.0.3.json",
}


@cache
def _context_bytes(url: str) -> bytes:
    name = CONTEXT_FILES[url]
    return resources.files(__package__).joinpath("contexts", name).read_bytes()


def context_bytes(url: str) -> bytes:
    """The published bytes of a known context (for checksums and provenance checks)."""
    if url not in CONTEXT_FILES:
        raise _unknown(url)
    return _context_bytes(url)


def load_context(url: str) -> dict[str, Any]:
    """Parse a known context document; a fresh copy so callers cannot alter the cache."""
    return json.loads(context_bytes(url))


def load_document(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """pyld-compatible document loader that never touches the network."""
    if url not in CONTEXT_FILES:
        raise _unknown(url)
    return {
        "contextUrl": None,
        "documentUrl": url,
        "document": copy.deepcopy(_parsed(url)),
    }


@cache
def _parsed(url: str) -> dict[str, Any]:
    return json.loads(_context_bytes(url))


def _unknown(url: str) -> UnknownContextError:
    known = ", ".join(sorted(CONTEXT_FILES))
    return UnknownContextError(
        f"JSON-LD context {url!r} is not available offline. This verifier only knows: {known}. "
        "Use one of these contexts, or add the published context file to "
        "ungp_credentials/contexts with its provenance."
    )
