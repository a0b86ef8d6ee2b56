"""The Open Badges 3.0 credential: shape, every field signed, proof set."""

from __future__ import annotations

import hashlib

import pytest
from credential_issuer import ISSUER_ID, STATUS_URL, SUBMISSION_SHA256, make_hub
from ungp_credentials.canonical import rdfc, undefined_terms
from ungp_credentials.data_integrity import JCS, RDFC, proofs_of, verify_proof
from ungp_credentials.errors import CanonicalizationError
from ungp_credentials.multikey import base64url_decode


def test_badge_shape(tmp_path):
    credential = make_hub(tmp_path).badge().to_json()
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["issuer"] == {
        "id": ISSUER_ID,
        "type": ["Profile"],
        "name": "UN Global Platform training hub",
    }
    subject = credential["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"]
    assert achievement["criteria"]["narrative"].startswith("Complete modules")
    assert credential["validFrom"] == "2026-03-01T09:00:00Z"
    assert credential["validUntil"] == "2029-03-01T09:00:00Z"
    status = credential["credentialStatus"]
    assert status == {
        "id": f"{STATUS_URL}#7",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "7",
        "statusListCredential": STATUS_URL,
    }
    (evidence,) = credential["evidence"]
    assert evidence["name"] == "ais-final-2026"
    assert "score 84.5 out of 100, pass mark 70" in evidence["description"]
    # digestMultibase is the SHA-256 multihash (0x12 0x20 + digest) of the submission
    assert base64url_decode(evidence["digestMultibase"]) == b"\x12\x20" + bytes.fromhex(
        SUBMISSION_SHA256
    )
    assert subject["result"][0]["value"] == "84.5"
    assert achievement["resultDescription"][0]["requiredValue"] == "70"


def test_every_property_is_defined_by_the_contexts_so_rdfc_signs_it(tmp_path):
    credential = make_hub(tmp_path).badge().to_json()
    assert undefined_terms(credential) == []
    nquads = rdfc(credential)
    for value in ('"84.5"', '"70"', "ais-final-2026", SUBMISSION_SHA256, "AchievementSubject"):
        assert value in nquads


def test_undefined_terms_are_refused_at_signing(tmp_path):
    hub = make_hub(tmp_path)
    credential = hub.badge().to_json()
    credential["credentialSubject"]["grade"] = "A"
    key = hub.store.current()
    from ungp_credentials.data_integrity import sign

    with pytest.raises(CanonicalizationError, match="credentialSubject.grade"):
        sign(credential, key.private_key, key.id)


def test_signed_badge_carries_a_proof_set_with_both_suites(tmp_path):
    hub = make_hub(tmp_path)
    signed = hub.issue()
    proofs = proofs_of(signed)
    assert [p["cryptosuite"] for p in proofs] == [RDFC, JCS]
    key = hub.store.current()
    for proof in proofs:
        assert proof["verificationMethod"] == key.id
        assert proof["proofValue"].startswith("z")
        assert verify_proof(signed, proof, key.public_key)


def test_rdfc_proof_is_mandatory(tmp_path):
    hub = make_hub(tmp_path)
    key = hub.store.current()
    with pytest.raises(ValueError, match="eddsa-rdfc-2022"):
        hub.badge().sign(key.private_key, key.id, suites=(JCS,))


def test_submission_hash_must_be_hex(tmp_path):
    from ungp_credentials.openbadges import ExamEvidence

    with pytest.raises(ValueError, match="64 hexadecimal"):
        ExamEvidence("x", 1, 1, hashlib.sha256(b"x").hexdigest()[:10])
