"""The kit's signature in OpenPGP form, for ``gpgv`` on a bare Debian machine.

A kit is checked before anything is installed, so by a tool the machine already has and never
by one from the kit. ``gpgv`` is on every Debian (apt needs it to check its archives); openssl
is not (Debian 12's minimal system lacks it). So the build also signs MANIFEST as OpenPGP, with
the same Ed25519 key that makes MANIFEST.sig.

Only the few packets a detached signature needs are written (RFC 4880 with the EdDSA of RFC
4880bis, as GnuPG 2.2 reads them): a version 4 public key with a fixed creation time, one user
id and its self-certification, and a binary-document signature. With the creation time fixed,
the key's OpenPGP fingerprint depends on the Ed25519 key alone, so the installer recomputes it
from MANIFEST.pub (whose sha256 fingerprint the admin pinned) with coreutils and requires gpgv to
report exactly that key; nothing of the OpenPGP files in the kit is trusted.

No Python library fits: PGPy is unmaintained (forks exist for Python 3.13) and pysequoia makes
its own keys instead of signing with this one. The tests check every packet with the real gpgv.
"""

from __future__ import annotations

import hashlib
import struct
import time

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

USER_ID = b"ungp-hub kit signing key"
CREATED = 0  # the key's creation time: fixed, so that the fingerprint follows from the key
_ED25519_OID = bytes.fromhex("2b06010401da470f01")
_EDDSA, _SHA256 = 22, 8
# Everything of the key packet before its 32 key bytes: tag 6 as hashed for fingerprints
# (0x99, two-byte length 51), version 4, creation time, EdDSA, the curve, and the point's
# MPI (263 bits: the 0x40 prefix of a native point, then the key). The installer prints the
# same bytes with printf.
KEY_PREFIX = (
    b"\x99\x00\x33\x04"
    + struct.pack(">I", CREATED)
    + bytes([_EDDSA, len(_ED25519_OID)])
    + _ED25519_OID
    + b"\x01\x07\x40"
)


def _raw(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def fingerprint(key: Ed25519PrivateKey) -> str:
    """The OpenPGP (v4) fingerprint gpgv reports for the kit's key, as 40 upper-case hex."""
    return hashlib.sha1(KEY_PREFIX + _raw(key), usedforsecurity=False).hexdigest().upper()


def public_key(key: Ed25519PrivateKey) -> bytes:
    """The transferable public key (key, user id, self-certification) gpgv reads as a keyring."""
    hashed_key = KEY_PREFIX + _raw(key)
    body = hashed_key[3:]
    uid = b"\xb4" + struct.pack(">I", len(USER_ID)) + USER_ID
    # Positive certification (0x13) for signing (key flags 0x03: certify, sign).
    certification = _signature(key, 0x13, hashed_key + uid, CREATED, b"\x02\x1b\x03")
    return _packet(6, body) + _packet(13, USER_ID) + certification


def detached_signature(key: Ed25519PrivateKey, data: bytes, when: int | None = None) -> bytes:
    """A binary-document signature (type 0x00) of `data`, as `gpg --detach-sign` makes."""
    return _signature(key, 0x00, data, int(time.time()) if when is None else when)


def _signature(
    key: Ed25519PrivateKey, kind: int, signed: bytes, when: int, extra: bytes = b""
) -> bytes:
    issuer = bytes.fromhex(fingerprint(key))
    hashed = b"\x05\x02" + struct.pack(">I", when) + extra + b"\x16\x21\x04" + issuer
    head = bytes([4, kind, _EDDSA, _SHA256]) + struct.pack(">H", len(hashed)) + hashed
    digest = hashlib.sha256(signed + head + b"\x04\xff" + struct.pack(">I", len(head))).digest()
    value = key.sign(digest)  # OpenPGP's EdDSA signs the digest
    unhashed = b"\x09\x10" + issuer[-8:]
    body = head + struct.pack(">H", len(unhashed)) + unhashed + digest[:2]
    return _packet(2, body + _mpi(value[:32]) + _mpi(value[32:]))


def _mpi(value: bytes) -> bytes:
    value = value.lstrip(b"\x00") or b"\x00"
    bits = (len(value) - 1) * 8 + value[0].bit_length()
    return struct.pack(">H", bits) + value


def _packet(tag: int, body: bytes) -> bytes:
    """A new-format packet; every packet here is shorter than 192 bytes."""
    if len(body) >= 192:
        raise ValueError(f"packet of {len(body)} bytes: too long for a one-byte length")
    return bytes([0xC0 | tag, len(body)]) + body
