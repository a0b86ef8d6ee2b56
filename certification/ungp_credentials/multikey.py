"""Multibase / multicodec encodings used by Data Integrity and Multikey.

Ed25519 public keys are published as ``z6Mk...``: base58btc multibase (prefix ``z``) of the
multicodec header 0xed01 followed by the 32 raw key bytes. The W3C test vectors also give the
secret key as multibase with the ed25519-priv header 0x8026, which :func:`decode_secret_key`
accepts so the vectors can be reproduced.
"""

from __future__ import annotations

import base64

import base58
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .errors import ProofError

ED25519_PUB_HEADER = bytes([0xED, 0x01])
ED25519_PRIV_HEADER = bytes([0x80, 0x26])
SHA2_256_MULTIHASH = bytes([0x12, 0x20])


def base58btc_encode(data: bytes) -> str:
    """Multibase base58btc: ``z`` + base58 (Bitcoin alphabet)."""
    return "z" + base58.b58encode(data).decode("ascii")


def base58btc_decode(value: str) -> bytes:
    """Inverse of :func:`base58btc_encode`; refuses other multibase prefixes."""
    if not isinstance(value, str) or not value.startswith("z"):
        raise ProofError(f"expected a base58btc multibase value starting with 'z', got {value!r}")
    try:
        return base58.b58decode(value[1:])
    except ValueError as exc:
        raise ProofError(f"not valid base58btc: {value!r}") from exc


def base64url_encode(data: bytes) -> str:
    """Multibase base64url without padding: ``u`` + base64url."""
    return "u" + base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def base64url_decode(value: str) -> bytes:
    """Inverse of :func:`base64url_encode`."""
    if not isinstance(value, str) or not value.startswith("u"):
        raise ValueError(f"expected a base64url multibase value starting with 'u', got {value!r}")
    body = value[1:]
    return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))


def raw_public_key(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def encode_public_key(key: Ed25519PublicKey) -> str:
    """Multikey ``publicKeyMultibase`` of an Ed25519 public key (``z6Mk...``)."""
    return base58btc_encode(ED25519_PUB_HEADER + raw_public_key(key))


def decode_public_key(multikey: str) -> Ed25519PublicKey:
    """Ed25519 public key from its ``publicKeyMultibase``; :class:`ProofError` if not one."""
    data = base58btc_decode(multikey)
    if len(data) != 34 or data[:2] != ED25519_PUB_HEADER:
        raise ProofError(f"{multikey!r} is not an Ed25519 Multikey (expected header 0xed01)")
    return Ed25519PublicKey.from_public_bytes(data[2:])


def decode_secret_key(multikey: str) -> Ed25519PrivateKey:
    """Ed25519 private key from a ``secretKeyMultibase`` (header 0x8026 + 32-byte seed)."""
    data = base58btc_decode(multikey)
    if len(data) != 34 or data[:2] != ED25519_PRIV_HEADER:
        raise ProofError("not an Ed25519 secretKeyMultibase (expected header 0x8026)")
    return Ed25519PrivateKey.from_private_bytes(data[2:])


def sha256_multibase(digest: bytes) -> str:
    """``digestMultibase`` form (VC 2.0) of a SHA-256 digest: base64url multihash."""
    if len(digest) != 32:
        raise ValueError("a SHA-256 digest has 32 bytes")
    return base64url_encode(SHA2_256_MULTIHASH + digest)
