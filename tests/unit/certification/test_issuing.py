"""Issuing and verifying the hub's credentials; every bad input is refused with its reason."""

from __future__ import annotations

import copy
import json
from datetime import timedelta

import pytest
from ungp_credentials import IssuerKeyStore
from ungp_credentials.openbadges import sign_with_suites
from ungp_hub.certification.errors import RegistryError
from ungp_hub.certification.exams import ExamGrade
from ungp_hub.certification.issuing import Certifier, add_months

from .conftest import NOW

SHA = "ab" * 32


@pytest.fixture
def issued(certifier, programme):
    grade = ExamGrade("x3-scanner-cpi", "alice", 9.0, 10.0, ())
    return certifier.issue(
        "alice", "Alice Example", programme.track("cpi"), grade, SHA, "sitting-1", NOW
    )


def _verify(certifier, document, now=NOW + timedelta(days=1)):
    return certifier.verify(
        document if isinstance(document, str | bytes) else json.dumps(document), now
    )


def test_issued_credential_is_valid_with_evidence_and_status(certifier, issued):
    result = _verify(certifier, issued.document)
    assert result.valid, result.reasons
    credential = issued.credential
    assert credential["issuer"]["id"] == "https://hub.example.org/services/certification/issuer"
    assert credential["credentialSubject"]["name"] == "Alice Example"
    evidence = credential["evidence"][0]
    assert evidence["name"] == "x3-scanner-cpi" and SHA in evidence["description"]
    assert "score 9 out of 10, pass mark 7" in evidence["description"]
    assert credential["credentialSubject"]["result"][0]["value"] == "9"
    status = credential["credentialStatus"]
    assert status["statusListCredential"] == certifier.status_list_url
    assert int(status["statusListIndex"]) == issued.status_index
    assert credential["validUntil"].startswith(str(NOW.year + 3))
    assert {p["cryptosuite"] for p in credential["proof"]} == {"eddsa-rdfc-2022", "eddsa-jcs-2022"}


def test_one_changed_character_breaks_the_signature(certifier, issued):
    text = issued.document.replace("Alice Example", "Alice Exampl3")
    result = _verify(certifier, text)
    assert not result.valid
    assert any("signature invalid" in r and "changed after signing" in r for r in result.reasons)


def test_a_signature_by_another_key_is_refused(certifier, issued, tmp_path):
    stranger = IssuerKeyStore.create(tmp_path / "other", certifier.issuer_id).current()
    unsigned = {k: v for k, v in issued.credential.items() if k != "proof"}
    forged = sign_with_suites(unsigned, stranger.private_key, stranger.id, NOW)
    result = _verify(certifier, forged)
    assert not result.valid
    assert any("not in the issuer's key set" in r for r in result.reasons)


def test_a_credential_claiming_another_issuer_is_refused(certifier, issued):
    claimed = copy.deepcopy(issued.credential)
    claimed["issuer"]["id"] = "https://other-office.example.org/issuer"
    result = _verify(certifier, claimed)
    assert not result.valid
    assert any(
        "claims issuer 'https://other-office.example.org/issuer'" in r for r in result.reasons
    )


def test_revoked_credential_is_reported_revoked(certifier, issued):
    certifier.revoke(issued.id, "exam misconduct", "admin", NOW + timedelta(hours=1))
    result = _verify(certifier, issued.document)
    assert not result.valid
    assert any(r.startswith("revoked: bit") for r in result.reasons)
    row = certifier.registry.credential(issued.id)
    assert (row.revocation_reason, row.revoked_by) == ("exam misconduct", "admin")
    with pytest.raises(RegistryError, match="already revoked"):
        certifier.revoke(issued.id, "again", "admin")


def test_revocation_needs_a_reason_and_a_known_id(certifier, issued):
    with pytest.raises(RegistryError, match="needs a reason"):
        certifier.revoke(issued.id, "  ", "admin")
    with pytest.raises(RegistryError, match="no credential"):
        certifier.revoke("00000000-0000-0000-0000-000000000000", "x", "admin")


def test_expired_credential_is_reported_expired(certifier, issued):
    result = _verify(certifier, issued.document, NOW + timedelta(days=3 * 366 + 1))
    assert not result.valid
    assert any(r.startswith("expired: valid until") for r in result.reasons)


@pytest.mark.parametrize("text", ["{not json", "[1, 2]", '{"id": "x"}'])
def test_malformed_json_is_refused_with_the_reason(certifier, text):
    result = _verify(certifier, text)
    assert not result.valid
    assert any(
        "not valid JSON" in r or "JSON object" in r or "missing required" in r
        for r in result.reasons
    )


def test_rotation_keeps_old_credentials_verifiable(certifier, issued, programme):
    certifier.keys.rotate(NOW + timedelta(days=2))
    certifier.publish_status_list(NOW + timedelta(days=2))
    assert _verify(certifier, issued.document, NOW + timedelta(days=3)).valid
    later = certifier.issue(
        "bob",
        "Bob",
        programme.track("cpi"),
        ExamGrade("x3-scanner-cpi", "bob", 8, 10, ()),
        SHA,
        None,
        NOW + timedelta(days=2),
    )
    assert (
        later.credential["proof"][0]["verificationMethod"]
        != (issued.credential["proof"][0]["verificationMethod"])
    )
    assert _verify(certifier, later.document, NOW + timedelta(days=3)).valid


def test_status_indexes_are_distinct_and_install_is_idempotent(certifier, programme):
    grade = ExamGrade("x3-scanner-cpi", "c", 8, 10, ())
    indexes = {
        certifier.issue(f"c{i}", f"C {i}", programme.track("cpi"), grade, SHA, now=NOW).status_index
        for i in range(5)
    }
    assert len(indexes) == 5
    keys_before = certifier.key_set()
    certifier.install()
    assert certifier.key_set() == keys_before


def test_keys_of_another_public_url_are_refused(certifier):
    moved = Certifier(certifier.root, "https://elsewhere.example.org", "Test hub")
    with pytest.raises(Exception, match="belong to https://hub.example.org"):
        moved.install()


def test_add_months_clamps_to_the_month_end():
    assert add_months(NOW.replace(month=1, day=31), 1).day == 28
    assert add_months(NOW, 36).year == NOW.year + 3
