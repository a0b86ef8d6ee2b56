"""Ed25519 signatures of the kit's manifest (and of results bundles).

The key is made once and kept in the state dir's secrets, so every kit of one organiser is
signed by the same key and its fingerprint can be printed once and compared at the venue.
The signature is raw (64 bytes) and the public key PEM, which ``openssl pkeyutl -verify
-rawin`` reads: the bash installer checks a kit before Python is on the target.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

KEY_NAME = "usb-kit-signing.pem"


def signing_key(secrets_dir: Path) -> Ed25519PrivateKey:
    """The organiser's signing key, made on first use (mode 0600)."""
    path = secrets_dir / KEY_NAME
    if not path.exists():
        secrets_dir.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    assert isinstance(key, Ed25519PrivateKey)
    return key


def public_pem(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def fingerprint(pem: bytes) -> str:
    """What the organiser compares: sha256 of the raw public key, in groups of four."""
    key = serialization.load_pem_public_key(pem)
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    digest = hashlib.sha256(raw).hexdigest()[:32]
    return " ".join(digest[i : i + 4] for i in range(0, 32, 4))


def plain(fingerprint: str) -> str:
    """A fingerprint as compared: no spaces, lower case (people copy it either way)."""
    return "".join(fingerprint.split()).lower()


def sign(key: Ed25519PrivateKey, data: bytes) -> bytes:
    return key.sign(data)


def verify(pem: bytes, data: bytes, signature: bytes) -> bool:
    try:
        key = serialization.load_pem_public_key(pem)
    except ValueError:
        return False
    if not isinstance(key, Ed25519PublicKey):
        return False
    try:
        key.verify(signature, data)
    except InvalidSignature:
        return False
    return True
