"""W3C Bitstring Status List v1.0: revocation by flipping one bit in a published list.

The list is at least 131,072 bits (16 KiB) so that one index does not single out a holder
(the spec's herd-privacy minimum). Bit 0 is the left-most bit of the first byte. The published
``encodedList`` is the GZIP-compressed bitstring, base64url without padding, multibase ``u``.
"""

from __future__ import annotations

import gzip
import zlib
from dataclasses import dataclass
from typing import Any

from .contexts import VC_V2
from .errors import StatusListError
from .multikey import base64url_decode, base64url_encode

MIN_BITS = 131_072
REVOCATION = "revocation"
ENTRY_TYPE = "BitstringStatusListEntry"
LIST_CREDENTIAL_TYPE = "BitstringStatusListCredential"


class StatusList:
    """A mutable bitstring; ``set``/``is_set`` address bits by status list index."""

    def __init__(self, size: int = MIN_BITS, bits: bytes | None = None) -> None:
        if size < MIN_BITS or size % 8:
            raise StatusListError(
                f"a status list needs at least {MIN_BITS} bits and a multiple of 8, got {size}"
            )
        if bits is not None and len(bits) * 8 != size:
            raise StatusListError("the bitstring length does not match the size")
        self.size = size
        self._bits = bytearray(bits) if bits is not None else bytearray(size // 8)

    def _locate(self, index: int) -> tuple[int, int]:
        if not isinstance(index, int) or not 0 <= index < self.size:
            raise StatusListError(f"status list index {index!r} is outside 0..{self.size - 1}")
        return index // 8, 0x80 >> (index % 8)

    def set(self, index: int, value: bool = True) -> None:
        """Set (revoke) or clear the bit at ``index``."""
        byte, mask = self._locate(index)
        if value:
            self._bits[byte] |= mask
        else:
            self._bits[byte] &= ~mask & 0xFF

    def is_set(self, index: int) -> bool:
        byte, mask = self._locate(index)
        return bool(self._bits[byte] & mask)

    def encode(self) -> str:
        """The ``encodedList`` value (deterministic: GZIP header time fixed at 0)."""
        return base64url_encode(gzip.compress(bytes(self._bits), mtime=0))

    @classmethod
    def decode(cls, encoded_list: str) -> StatusList:
        """Parse an ``encodedList``; :class:`StatusListError` if it is not one."""
        try:
            raw = gzip.decompress(base64url_decode(encoded_list))
        except (ValueError, OSError, EOFError, zlib.error) as exc:
            raise StatusListError(f"encodedList is not GZIP + base64url multibase: {exc}") from exc
        return cls(len(raw) * 8, raw)


@dataclass(frozen=True)
class StatusEntry:
    """Where one credential's status lives: a list credential URL and an index in it."""

    status_list_credential: str
    index: int
    purpose: str = REVOCATION

    def to_json(self) -> dict[str, Any]:
        return {
            "id": f"{self.status_list_credential}#{self.index}",
            "type": ENTRY_TYPE,
            "statusPurpose": self.purpose,
            "statusListIndex": str(self.index),
            "statusListCredential": self.status_list_credential,
        }

    @classmethod
    def from_json(cls, entry: Any) -> StatusEntry:
        if not isinstance(entry, dict) or entry.get("type") != ENTRY_TYPE:
            raise StatusListError(f"credentialStatus is not a {ENTRY_TYPE}")
        url = entry.get("statusListCredential")
        index = entry.get("statusListIndex")
        if not isinstance(url, str) or not isinstance(index, str) or not index.isdigit():
            raise StatusListError(
                "credentialStatus needs statusListCredential (a URL) and statusListIndex "
                "(a decimal string)"
            )
        return cls(url, int(index), entry.get("statusPurpose", REVOCATION))


def status_list_credential(
    url: str,
    issuer: str,
    status_list: StatusList,
    valid_from: str,
    purpose: str = REVOCATION,
    valid_until: str | None = None,
) -> dict[str, Any]:
    """The unsigned BitstringStatusListCredential published at ``url``; sign it like any VC."""
    credential: dict[str, Any] = {
        "@context": [VC_V2],
        "id": url,
        "type": ["VerifiableCredential", LIST_CREDENTIAL_TYPE],
        "issuer": issuer,
        "validFrom": valid_from,
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": status_list.encode(),
        },
    }
    if valid_until is not None:
        credential["validUntil"] = valid_until
    return credential


def read_status_list(credential: dict[str, Any]) -> tuple[str, StatusList]:
    """(statusPurpose, bitstring) of a status list credential; checks its shape only."""
    types = credential.get("type") if isinstance(credential, dict) else None
    if not isinstance(types, list) or LIST_CREDENTIAL_TYPE not in types:
        raise StatusListError(f"not a {LIST_CREDENTIAL_TYPE}")
    subject = credential.get("credentialSubject")
    if not isinstance(subject, dict) or not isinstance(subject.get("encodedList"), str):
        raise StatusListError("the status list credential has no credentialSubject.encodedList")
    purposes = subject.get("statusPurpose")
    purpose = purposes if isinstance(purposes, str) else REVOCATION
    return purpose, StatusList.decode(subject["encodedList"])


def is_flagged(entry: StatusEntry, list_credential: dict[str, Any]) -> bool:
    """True when the entry's bit is set in the list (e.g. revoked)."""
    purpose, bits = read_status_list(list_credential)
    if purpose != entry.purpose:
        raise StatusListError(
            f"status purpose mismatch: entry says {entry.purpose!r}, list says {purpose!r}"
        )
    return bits.is_set(entry.index)
