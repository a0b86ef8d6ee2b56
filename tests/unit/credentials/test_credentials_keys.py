"""Issuer key directory: file modes, key ids, rotation, published key set."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime

import pytest
from credential_issuer import ISSUER_ID, make_hub
from ungp_credentials.errors import KeyStoreError, ProofError
from ungp_credentials.keys import IssuerKeyStore, read_key_set
from ungp_credentials.multikey import decode_public_key, encode_public_key


def test_create_writes_private_key_with_mode_0600(tmp_path):
    hub = make_hub(tmp_path)
    key = hub.store.current()
    pem = tmp_path / "keys" / f"{key.public_key_multibase}.pem"
    assert stat.S_IMODE(pem.stat().st_mode) == 0o600
    assert key.public_key_multibase.startswith("z6Mk")
    assert key.id == f"{ISSUER_ID}#{key.public_key_multibase}"
    assert encode_public_key(key.private_key.public_key()) == key.public_key_multibase
    metadata = (tmp_path / "keys" / "issuer-keys.json").read_text()
    assert "PRIVATE" not in metadata


def test_create_refuses_existing_directory(tmp_path):
    make_hub(tmp_path)
    with pytest.raises(KeyStoreError, match="already exists"):
        IssuerKeyStore.create(tmp_path / "keys", ISSUER_ID)


def test_rotation_keeps_old_public_keys_and_changes_current(tmp_path):
    hub = make_hub(tmp_path)
    old = hub.store.current()
    new = hub.store.rotate(datetime(2027, 1, 1, tzinfo=UTC))
    assert hub.store.current().id == new.id != old.id
    published = hub.store.key_set()
    ids = [m["id"] for m in published["verificationMethod"]]
    assert ids == [old.id, new.id]
    assert published["assertionMethod"] == ids
    assert all(
        m["type"] == "Multikey" and m["controller"] == ISSUER_ID
        for m in published["verificationMethod"]
    )
    methods = read_key_set(json.loads(json.dumps(published)))
    assert encode_public_key(methods[old.id].public_key) == old.public_key_multibase


def test_missing_directory_is_a_clear_error(tmp_path):
    with pytest.raises(KeyStoreError, match="create the issuer keys first"):
        IssuerKeyStore(tmp_path / "nowhere").current()


def test_key_set_rejects_a_non_ed25519_multikey():
    bad = {
        "id": ISSUER_ID,
        "verificationMethod": [{"id": "x#1", "type": "Multikey", "publicKeyMultibase": "zQ3s"}],
    }
    with pytest.raises(KeyStoreError, match="x#1"):
        read_key_set(bad)
    with pytest.raises(ProofError, match="base58btc"):
        decode_public_key("uABC")
