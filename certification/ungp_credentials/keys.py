"""Issuer signing keys: generation, rotation, and the key set the hub publishes.

A key directory holds one PKCS#8 PEM file per Ed25519 private key (mode 0600) and
``issuer-keys.json`` (public data only: the controller, every public key ever used, which one
is current). Rotation adds a key and makes it current; the old public keys stay in the published
key set so that credentials signed before the rotation still verify. Keys are generated at
install time and never committed.

The published key set is a controller document (W3C Controlled Identifiers v1.0 shape) whose
``verificationMethod`` entries are of type ``Multikey``; each key id is
``<controller>#<publicKeyMultibase>``, as in the W3C examples.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .data_integrity import format_datetime
from .errors import KeyStoreError, ProofError
from .multikey import decode_public_key, encode_public_key

METADATA = "issuer-keys.json"
CID_CONTEXT = "https://www.w3.org/ns/cid/v1"


@dataclass(frozen=True)
class IssuerKey:
    """One signing key of an issuer; ``private_key`` is None for a published-only key."""

    controller: str
    public_key_multibase: str
    created: str
    private_key: Ed25519PrivateKey | None = None

    @property
    def id(self) -> str:
        """The verification method id that goes into ``proof.verificationMethod``."""
        return f"{self.controller}#{self.public_key_multibase}"

    @property
    def public_key(self) -> Ed25519PublicKey:
        return decode_public_key(self.public_key_multibase)


class IssuerKeyStore:
    """The key directory of one issuer (``state_dir/certification/keys`` on a hub)."""

    def __init__(self, directory: Path | str) -> None:
        self.directory = Path(directory)

    # -- creation -------------------------------------------------------------------------
    @classmethod
    def create(
        cls, directory: Path | str, controller: str, now: datetime | None = None
    ) -> IssuerKeyStore:
        """A new key directory with a first key; refuses to overwrite an existing one."""
        store = cls(directory)
        if (store.directory / METADATA).exists():
            raise KeyStoreError(
                f"{store.directory / METADATA} already exists; use rotate() to add a key, "
                "or choose an empty directory."
            )
        store.directory.mkdir(parents=True, exist_ok=True)
        os.chmod(store.directory, 0o700)
        store._write_metadata({"controller": controller, "current": None, "keys": []})
        store.rotate(now)
        return store

    def rotate(self, now: datetime | None = None) -> IssuerKey:
        """Generate a new key and make it current; older keys stay in the key set."""
        metadata = self._metadata()
        private_key = Ed25519PrivateKey.generate()
        multikey = encode_public_key(private_key.public_key())
        created = format_datetime(now or datetime.now(UTC))
        self._write_private_key(multikey, private_key)
        metadata["keys"].append({"publicKeyMultibase": multikey, "created": created})
        metadata["current"] = multikey
        self._write_metadata(metadata)
        return IssuerKey(metadata["controller"], multikey, created, private_key)

    # -- reading --------------------------------------------------------------------------
    @property
    def controller(self) -> str:
        return self._metadata()["controller"]

    def keys(self) -> list[IssuerKey]:
        """Every key of the issuer, oldest first, without private keys."""
        metadata = self._metadata()
        return [
            IssuerKey(metadata["controller"], entry["publicKeyMultibase"], entry["created"])
            for entry in metadata["keys"]
        ]

    def current(self) -> IssuerKey:
        """The signing key, private part loaded from its PEM file."""
        metadata = self._metadata()
        multikey = metadata.get("current")
        entry = next((k for k in metadata["keys"] if k["publicKeyMultibase"] == multikey), None)
        if entry is None:
            raise KeyStoreError(f"{self.directory / METADATA} names no current key; run rotate().")
        private_key = self._read_private_key(multikey)
        if encode_public_key(private_key.public_key()) != multikey:
            raise KeyStoreError(f"the private key file for {multikey} holds another key")
        return IssuerKey(metadata["controller"], multikey, entry["created"], private_key)

    def key_set(self) -> dict[str, Any]:
        """The controller document to publish (public keys only)."""
        return key_set_document(self.controller, self.keys())

    # -- files ----------------------------------------------------------------------------
    def _private_path(self, multikey: str) -> Path:
        return self.directory / f"{multikey}.pem"

    def _write_private_key(self, multikey: str, key: Ed25519PrivateKey) -> None:
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        path = self._private_path(multikey)
        # Created with 0600 from the start: never readable by others, even briefly.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)

    def _read_private_key(self, multikey: str) -> Ed25519PrivateKey:
        path = self._private_path(multikey)
        try:
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        except FileNotFoundError as exc:
            raise KeyStoreError(f"private key file {path} is missing") from exc
        except ValueError as exc:
            raise KeyStoreError(f"private key file {path} is damaged: {exc}") from exc
        if not isinstance(key, Ed25519PrivateKey):
            raise KeyStoreError(f"{path} is not an Ed25519 private key")
        return key

    def _metadata(self) -> dict[str, Any]:
        path = self.directory / METADATA
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise KeyStoreError(
                f"{path} not found: create the issuer keys first (IssuerKeyStore.create)."
            ) from exc
        except json.JSONDecodeError as exc:
            raise KeyStoreError(f"{path} is not valid JSON: {exc}") from exc

    def _write_metadata(self, metadata: dict[str, Any]) -> None:
        path = self.directory / METADATA
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
        tmp.replace(path)


def key_set_document(controller: str, keys: list[IssuerKey]) -> dict[str, Any]:
    """A controller document listing ``keys`` as Multikey verification methods."""
    methods = [
        {
            "id": key.id,
            "type": "Multikey",
            "controller": controller,
            "publicKeyMultibase": key.public_key_multibase,
        }
        for key in keys
    ]
    return {
        "@context": CID_CONTEXT,
        "id": controller,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


@dataclass(frozen=True)
class VerificationMethod:
    """A public key found in a key set, with the controller that vouches for it."""

    id: str
    controller: str
    public_key: Ed25519PublicKey
    assertion: bool


def read_key_set(
    documents: dict[str, Any] | list[dict[str, Any]], skipped: list[str] | None = None
) -> dict[str, VerificationMethod]:
    """Index one or more key set documents by verification method id.

    A key set may also publish keys this verifier cannot use (X25519 for encryption, P-256,
    JsonWebKey entries): those entries are skipped, each with its reason appended to
    `skipped`, as the W3C Controlled Identifiers spec lets a verifier ignore what it does not
    support. Raises :class:`KeyStoreError` when a document is not a key set, or when no entry at
    all is an Ed25519 Multikey (an empty list of documents is allowed: did:key needs none).
    """
    found: dict[str, VerificationMethod] = {}
    notes: list[str] = []
    for document in documents if isinstance(documents, list) else [documents]:
        if not isinstance(document, dict) or not isinstance(document.get("id"), str):
            raise KeyStoreError("a key set must be a JSON object with an 'id' (the controller)")
        raw = document.get("assertionMethod") or []
        assertion = (
            {item for item in raw if isinstance(item, str)} if isinstance(raw, list) else set()
        )
        entries = document.get("verificationMethod") or []
        for entry in entries if isinstance(entries, list) else [entries]:
            method = _method(entry, document["id"], assertion, notes)
            if method is not None:
                found[method.id] = method
    if skipped is not None:
        skipped.extend(notes)
    if not found and notes:
        raise KeyStoreError(
            f"the key set has no Ed25519 key this verifier can use: {'; '.join(notes)}"
        )
    return found


def _method(
    entry: Any, controller: str, assertion: set[str], notes: list[str]
) -> VerificationMethod | None:
    """One verification method, or None (and a note) when it is not an Ed25519 Multikey."""
    if not isinstance(entry, dict):
        notes.append("an entry that is not a JSON object")
        return None
    method_id = entry.get("id")
    if not isinstance(method_id, str):
        notes.append("an entry without an id")
        return None
    if entry.get("type") != "Multikey":
        notes.append(f"{method_id} (type {entry.get('type')!r}, not Multikey)")
        return None
    try:
        public_key = decode_public_key(entry.get("publicKeyMultibase", ""))
    except ProofError as exc:
        notes.append(f"{method_id} ({exc})")
        return None
    owner = entry.get("controller", controller)
    return VerificationMethod(
        id=method_id,
        controller=owner if isinstance(owner, str) else controller,
        public_key=public_key,
        assertion=method_id in assertion,
    )


def did_key_method(method_id: str) -> VerificationMethod | None:
    """The Ed25519 key a ``did:key`` verification method names, resolved offline.

    A did:key is its public key (``did:key:z6Mk...#z6Mk...``), so no document is fetched; its
    controller is the DID itself, which the verifier compares with the credential's issuer.
    None for anything else (another DID method, another key type, a fragment that differs).
    """
    did, _, fragment = method_id.partition("#")
    multikey = did.removeprefix("did:key:")
    if not did.startswith("did:key:") or fragment not in ("", multikey):
        return None
    try:
        public_key = decode_public_key(multikey)
    except (ProofError, ValueError):
        return None
    return VerificationMethod(id=method_id, controller=did, public_key=public_key, assertion=True)
