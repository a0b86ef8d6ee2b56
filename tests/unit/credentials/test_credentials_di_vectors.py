"""Reproduce the W3C vc-di-eddsa worked examples exactly (Ed25519 is deterministic)."""

from __future__ import annotations

import copy
import hashlib

import pytest
from credential_vectors import load_vector, read_vector
from ungp_credentials.canonical import jcs, rdfc
from ungp_credentials.data_integrity import (
    JCS,
    RDFC,
    create_proof,
    hash_data,
    sign,
    unsecured,
    verify_proof,
)
from ungp_credentials.multikey import (
    decode_public_key,
    decode_secret_key,
    encode_public_key,
)

SUITES = [RDFC, JCS]


@pytest.fixture(scope="module")
def key_pair():
    pair = load_vector("rec-2025/key-pair.json")
    secret = decode_secret_key(pair["secretKeyMultibase"])
    return secret, pair["publicKeyMultibase"]


def test_secret_key_gives_published_multikey(key_pair):
    secret, public_multikey = key_pair
    assert encode_public_key(secret.public_key()) == public_multikey
    assert load_vector("testvectors/keyPair.json")["publicKeyMultibase"] == public_multikey
    decoded = decode_public_key(public_multikey)
    assert encode_public_key(decoded) == public_multikey


def test_rdfc_canonical_credential_matches_example_9():
    credential = load_vector("rec-2025/credential-without-proof.json")
    assert rdfc(credential) == read_vector("rec-2025/eddsa-rdfc-2022/canonical-credential.nq")


def test_jcs_canonical_credential_matches_example_31():
    credential = load_vector("rec-2025/credential-without-proof.json")
    expected = read_vector("rec-2025/eddsa-jcs-2022/canonical-credential.json")
    assert jcs(credential).decode() == expected
    assert expected == read_vector("testvectors/eddsa-jcs-2022/canonDocJCS.txt")


@pytest.mark.parametrize(
    ("suite", "canonical_options"),
    [
        (RDFC, "rec-2025/eddsa-rdfc-2022/canonical-proof-options.nq"),
        (JCS, "rec-2025/eddsa-jcs-2022/canonical-proof-options.json"),
    ],
)
def test_hashes_and_proof_value_match_the_recommendation(key_pair, suite, canonical_options):
    secret, _ = key_pair
    credential = load_vector("rec-2025/credential-without-proof.json")
    options = load_vector(f"rec-2025/{suite}/proof-options.json")
    published = load_vector(f"rec-2025/{suite}/hashes.json")

    data = hash_data(credential, options)
    assert data.canonical_proof_config.decode() == read_vector(canonical_options)
    assert data.document_hash.hex() == published["credentialHash"]
    assert data.proof_config_hash.hex() == published["proofOptionsHash"]
    assert data.combined.hex() == published["combinedHash"]
    assert secret.sign(data.combined).hex() == published["signatureHex"]

    proof = create_proof(
        credential,
        secret,
        options["verificationMethod"],
        cryptosuite=suite,
        created=options["created"],
    )
    assert proof["proofValue"] == published["proofValue"]
    signed = sign(credential, secret, options["verificationMethod"], suite, options["created"])
    assert signed == load_vector(f"rec-2025/{suite}/signed-credential.json")


def test_rdfc_testvectors_folder_proof_canon_hash_and_value(key_pair):
    secret, _ = key_pair
    signed = load_vector("testvectors/eddsa-rdfc-2022/signedDataInt.json")
    options = load_vector("testvectors/eddsa-rdfc-2022/proofConfigDataInt.json")
    data = hash_data(unsecured(signed), options)
    assert data.canonical_proof_config.decode() == read_vector(
        "testvectors/eddsa-rdfc-2022/proofCanonDataInt.txt"
    )
    combined = read_vector("testvectors/eddsa-rdfc-2022/combinedHashDataInt.txt")
    assert data.combined.hex() == combined
    proof = create_proof(
        unsecured(signed), secret, options["verificationMethod"], RDFC, options["created"]
    )
    assert proof["proofValue"] == read_vector("testvectors/eddsa-rdfc-2022/sigBTC58DataInt.txt")
    assert proof == signed["proof"]


def test_jcs_testvectors_folder_document_hash_and_signed_proof(key_pair):
    secret, _ = key_pair
    signed = load_vector("testvectors/eddsa-jcs-2022/signedJCS.json")
    options = load_vector("testvectors/eddsa-jcs-2022/proofConfigJCS.json")
    data = hash_data(unsecured(signed), options)
    expected_hash = read_vector("testvectors/eddsa-jcs-2022/docHashJCS.txt")
    assert hashlib.sha256(data.canonical_document).hexdigest() == expected_hash
    proof = create_proof(
        unsecured(signed), secret, options["verificationMethod"], JCS, options["created"]
    )
    assert proof == signed["proof"]


PUBLISHED_SIGNED = [
    "rec-2025/eddsa-rdfc-2022/signed-credential.json",
    "rec-2025/eddsa-jcs-2022/signed-credential.json",
    "testvectors/eddsa-rdfc-2022/signedDataInt.json",
    "testvectors/eddsa-jcs-2022/signedJCS.json",
]


@pytest.mark.parametrize("path", PUBLISHED_SIGNED)
def test_published_signed_examples_verify(key_pair, path):
    _, public_multikey = key_pair
    signed = load_vector(path)
    assert verify_proof(signed, signed["proof"], decode_public_key(public_multikey))


@pytest.mark.parametrize("path", PUBLISHED_SIGNED)
def test_published_examples_fail_after_one_changed_character(key_pair, path):
    _, public_multikey = key_pair
    signed = load_vector(path)
    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["alumniOf"] = "The School of Examplez"
    assert not verify_proof(tampered, tampered["proof"], decode_public_key(public_multikey))
