"""RDFC-1.0 time grows linearly with the values of a property (issue 18: 10 k values took 36 s)."""

from __future__ import annotations

import random
import time

import pytest
from credential_vectors import load_vector, read_vector
from pyld import jsonld
from ungp_credentials.canonical import rdfc
from ungp_credentials.contexts import load_document
from ungp_credentials.value_index import value_key


def _with_subject_values(values: list) -> dict:
    credential = load_vector("rec-2025/credential-without-proof.json")
    credential["credentialSubject"]["alumniOf"] = values
    return credential


def test_ten_thousand_values_take_seconds_not_minutes():
    credential = _with_subject_values([f"school {i}" for i in range(10_000)])
    started = time.monotonic()
    quads = rdfc(credential)
    assert time.monotonic() - started < 5
    assert quads.count("school ") == 10_000


def _plain_pyld(document: dict) -> str:
    options = {"documentLoader": load_document, "algorithm": "URDNA2015"}
    return jsonld.normalize(document, {**options, "format": "application/n-quads"})


def _mixed_values(seed: int) -> list:
    """Values pyld must de-duplicate by its own rules: repeats, 1 vs 1.0 vs True, typed and
    language literals, node references, blank nodes, @json literals."""
    pick = random.Random(seed)
    pool = [
        "a",
        "b",
        1,
        1.0,
        True,
        False,
        0,
        2.5,
        {"@value": "a", "@language": "en"},
        {"@value": "a", "@language": "fr"},
        {"@value": "3", "@type": "http://www.w3.org/2001/XMLSchema#integer"},
        {"id": "urn:x:1"},
        {"id": "urn:x:2"},
        {"name": "blank"},
        {"@value": {"k": [1, 2]}, "@type": "@json"},
    ]
    return [pick.choice(pool) for _ in range(60)]


@pytest.mark.parametrize("seed", range(6))
def test_indexed_check_gives_pyld_s_own_canonical_form(seed):
    credential = _with_subject_values(_mixed_values(seed))
    assert rdfc(credential) == _plain_pyld(credential)


def test_w3c_canonical_form_is_unchanged():
    credential = load_vector("rec-2025/credential-without-proof.json")
    assert rdfc(credential) == read_vector("rec-2025/eddsa-rdfc-2022/canonical-credential.nq")


def test_value_keys_follow_pyld_equality():
    assert value_key(1) == value_key(1.0)
    assert value_key(True) != value_key(1)
    assert value_key({"@id": "urn:a"}) == value_key({"@id": "urn:a", "x": 1})
    assert value_key({"@value": "a"}) != value_key("a")
    assert value_key({"x": 1}) != value_key({"x": 1})  # no @id: equal only to itself
    assert value_key({"@value": [1]}) is None  # unhashable: pyld compares it
