"""Bitstring Status List: size, bit order, encoding round trip, list credential."""

from __future__ import annotations

import gzip

import pytest
from ungp_credentials.errors import StatusListError
from ungp_credentials.multikey import base64url_decode
from ungp_credentials.status_list import (
    MIN_BITS,
    StatusEntry,
    StatusList,
    is_flagged,
    status_list_credential,
)


def test_minimum_size_is_enforced():
    assert StatusList().size == 131_072 == MIN_BITS
    with pytest.raises(StatusListError, match="at least"):
        StatusList(1024)


def test_bit_zero_is_the_leftmost_bit_of_the_first_byte():
    bits = StatusList()
    bits.set(0)
    bits.set(9)
    raw = gzip.decompress(base64url_decode(bits.encode()))
    assert raw[0] == 0b1000_0000 and raw[1] == 0b0100_0000
    assert len(raw) == MIN_BITS // 8


def test_encode_decode_round_trip_and_clear():
    bits = StatusList()
    for index in (0, 7, 8, 99_999, MIN_BITS - 1):
        bits.set(index)
    encoded = bits.encode()
    assert encoded.startswith("u") and "=" not in encoded
    again = StatusList.decode(encoded)
    assert [again.is_set(i) for i in (0, 1, 7, 8, 99_999, MIN_BITS - 1)] == [
        True,
        False,
        True,
        True,
        True,
        True,
    ]
    again.set(7, False)
    assert not again.is_set(7)


def test_index_out_of_range_and_garbage_are_rejected():
    with pytest.raises(StatusListError, match="outside"):
        StatusList().set(MIN_BITS)
    with pytest.raises(StatusListError, match="GZIP"):
        StatusList.decode("uAAAA")


def test_status_list_credential_and_entry_check():
    bits = StatusList()
    bits.set(42)
    credential = status_list_credential(
        "https://hub.example.org/status/1",
        "https://hub.example.org/issuer",
        bits,
        "2026-01-01T00:00:00Z",
    )
    assert credential["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert credential["credentialSubject"]["type"] == "BitstringStatusList"
    entry = StatusEntry("https://hub.example.org/status/1", 42)
    as_json = entry.to_json()
    assert as_json["statusListIndex"] == "42" and as_json["type"] == "BitstringStatusListEntry"
    assert is_flagged(StatusEntry.from_json(as_json), credential)
    assert not is_flagged(StatusEntry("https://hub.example.org/status/1", 43), credential)
    with pytest.raises(StatusListError, match="purpose"):
        is_flagged(StatusEntry("https://hub.example.org/status/1", 42, "suspension"), credential)
