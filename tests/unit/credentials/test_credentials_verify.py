"""verify_credential: one test per reason a credential can be refused."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime

import pytest
from credential_issuer import DURING, ISSUER_ID, make_hub
from ungp_credentials.keys import IssuerKeyStore
from ungp_credentials.verify import verify_credential


@pytest.fixture
def hub(tmp_path):
    return make_hub(tmp_path)


def failed(result, name):
    return [c.message for c in result.checks if c.name == name and c.passed is False]


def test_freshly_issued_badge_is_valid(hub):
    result = verify_credential(hub.issue(), hub.key_set(), [hub.status_list()], DURING)
    assert result.valid, result.reasons
    assert result.reasons == []
    assert [c.name for c in result.checks if c.passed] == [
        "structure",
        "signature",
        "signature",
        "validity",
        "status",
    ]


def _leaves(node, path=()):
    if isinstance(node, dict):
        for key, value in node.items():
            if key not in ("proof", "@context"):
                yield from _leaves(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _leaves(value, (*path, index))
    elif isinstance(node, str):
        yield path


def test_one_changed_character_anywhere_breaks_the_signature(hub):
    signed = hub.issue()
    leaves = list(_leaves(signed))
    assert len(leaves) > 20
    for path in leaves:
        tampered = copy.deepcopy(signed)
        holder = tampered
        for step in path[:-1]:
            holder = holder[step]
        text = holder[path[-1]]
        holder[path[-1]] = text[:-1] + ("0" if text[-1:] != "0" else "1")
        result = verify_credential(tampered, hub.key_set(), [hub.status_list()], DURING)
        assert not result.valid, path
        broken = failed(result, "signature") + failed(result, "structure")
        assert broken, (path, result.reasons)


def test_changed_score_is_reported_as_invalid_signature_for_both_proofs(hub):
    tampered = hub.issue()
    tampered["credentialSubject"]["result"][0]["value"] = "94.5"
    result = verify_credential(tampered, hub.key_set(), [hub.status_list()], DURING)
    assert not result.valid
    assert len([r for r in failed(result, "signature") if "signature invalid" in r]) == 2


def test_signed_by_another_key_names_the_unknown_method(hub, tmp_path):
    intruder = IssuerKeyStore.create(tmp_path / "intruder", ISSUER_ID).current()
    forged = hub.badge().sign(intruder.private_key, intruder.id)
    result = verify_credential(forged, hub.key_set(), [hub.status_list()], DURING)
    assert not result.valid
    assert any(
        intruder.id in r and "not in the issuer's key set" in r for r in failed(result, "key")
    )


def test_issuer_differs_from_key_controller(hub, tmp_path):
    other = IssuerKeyStore.create(tmp_path / "other", "https://other.example/issuer")
    key = other.current()
    claimed = hub.badge().sign(key.private_key, key.id)  # claims ISSUER_ID, signed by other's key
    key_sets = [hub.key_set(), other.key_set()]
    result = verify_credential(claimed, key_sets, [hub.status_list()], DURING)
    assert not result.valid
    (reason, *_) = failed(result, "issuer")
    assert ISSUER_ID in reason and "https://other.example/issuer" in reason


def test_revoked_credential(hub):
    signed = hub.issue(index=7)
    hub.status_bits.set(7)
    result = verify_credential(signed, hub.key_set(), [hub.status_list()], DURING)
    assert not result.valid
    assert failed(result, "status") == ["revoked: bit 7 is set in https://hub.example.org/status/1"]
    other = verify_credential(hub.issue(index=8), hub.key_set(), [hub.status_list()], DURING)
    assert other.valid


def test_tampered_status_list_is_not_trusted(hub):
    signed = hub.issue(index=7)
    clean = hub.status_bits.encode()
    hub.status_bits.set(7)
    listing = hub.status_list()  # signed list says: revoked
    listing["credentialSubject"]["encodedList"] = clean  # the holder swaps in a clean list
    result = verify_credential(signed, hub.key_set(), [listing], DURING)
    assert not result.valid
    assert "not trustworthy" in failed(result, "status")[0]


def test_missing_status_list_is_reported_but_not_fatal(hub):
    result = verify_credential(hub.issue(), hub.key_set(), [], DURING)
    assert result.valid
    assert any(c.passed is None and "NOT checked" in c.message for c in result.checks)


def test_expired_and_not_yet_valid(hub):
    signed = hub.issue()
    late = verify_credential(
        signed, hub.key_set(), [hub.status_list()], datetime(2030, 1, 1, tzinfo=UTC)
    )
    assert not late.valid
    assert failed(late, "validity") == ["expired: valid until 2029-03-01T09:00:00Z"]
    early = verify_credential(
        signed, hub.key_set(), [hub.status_list()], datetime(2026, 2, 1, tzinfo=UTC)
    )
    assert not early.valid
    assert failed(early, "validity") == ["not yet valid: valid from 2026-03-01T09:00:00Z"]


def test_rotated_key_still_verifies_old_credentials(hub):
    old = hub.issue()
    hub.store.rotate(datetime(2026, 6, 1, tzinfo=UTC))
    new = hub.issue()
    assert old["proof"][0]["verificationMethod"] != new["proof"][0]["verificationMethod"]
    for credential in (old, new):
        assert verify_credential(credential, hub.key_set(), [hub.status_list()], DURING).valid


@pytest.mark.parametrize("text", ["{not json", "[1, 2]", "", "null"])
def test_malformed_json_is_a_reason(hub, text):
    result = verify_credential(text, hub.key_set(), [], DURING)
    assert not result.valid
    assert failed(result, "json")


@pytest.mark.parametrize("field", ["@context", "issuer", "credentialSubject", "proof", "type"])
def test_missing_required_field_is_a_reason(hub, field):
    signed = hub.issue()
    del signed[field]
    result = verify_credential(json.dumps(signed), hub.key_set(), [], DURING)
    assert not result.valid
    assert any(field in r for r in failed(result, "structure"))


@pytest.mark.parametrize(
    "mutate",
    [
        lambda c: c.__setitem__(
            "@context", ["https://www.w3.org/ns/credentials/v2", "https://evil.example/ctx"]
        ),
        lambda c: c.__setitem__("credentialSubject", 5),
        lambda c: c["proof"][0].__setitem__("proofValue", "not-multibase"),
        lambda c: c["proof"][0].__setitem__("proofValue", "z111"),
        lambda c: c.__setitem__("validUntil", "someday"),
        lambda c: c.__setitem__("credentialStatus", {"type": "BitstringStatusListEntry"}),
        lambda c: c.__setitem__("proof", "x"),
        lambda c: c.__setitem__("issuer", {"name": "no id"}),
    ],
)
def test_damaged_fields_give_reasons_not_tracebacks(hub, mutate):
    signed = hub.issue()
    mutate(signed)
    result = verify_credential(signed, hub.key_set(), [hub.status_list()], DURING)
    assert not result.valid
    assert result.reasons


def test_unknown_context_reason_names_the_url(hub):
    signed = hub.issue()
    signed["@context"].append("https://evil.example/ctx")
    result = verify_credential(signed, hub.key_set(), [], DURING)
    assert any(
        "https://evil.example/ctx" in r and "not available offline" in r for r in result.reasons
    )


def test_bad_key_set_is_a_reason(hub):
    result = verify_credential(hub.issue(), {"verificationMethod": []}, [], DURING)
    assert not result.valid
    assert failed(result, "key set")
