"""A failed system call on one TLS connection must not read as a failure of another."""

from __future__ import annotations

import datetime
import ssl

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from ungp_hub.dask import tls_errors

ERR_LIB_SYS = 2
EPIPE = 32


def server_context(tmp_path) -> ssl.SSLContext:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "dask")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    (tmp_path / "c.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "k.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "c.pem", tmp_path / "k.pem")
    return context


def connected_pair(tmp_path) -> ssl.SSLObject:
    """A client end of a finished TLS handshake over memory, with nothing left to read."""
    client_context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    client_context.check_hostname = False
    client_context.verify_mode = ssl.CERT_NONE
    c_in, c_out, s_in, s_out = (ssl.MemoryBIO() for _ in range(4))
    client = client_context.wrap_bio(c_in, c_out)
    server = server_context(tmp_path).wrap_bio(s_in, s_out, server_side=True)
    for _ in range(10):
        for end in (client, server):
            try:
                end.do_handshake()
            except ssl.SSLWantReadError:
                pass
        s_in.write(c_out.read())
        c_in.write(s_out.read())
    server.write(b"x")  # TLS 1.3 tickets and a byte: the client reads past them
    c_in.write(s_out.read())
    assert client.read(1) == b"x"
    return client


def stale_epipe() -> None:
    """What OpenSSL 3.4+ leaves behind when a write to another, reset socket fails."""
    crypto = tls_errors._libcrypto()
    crypto.ERR_new()
    crypto.ERR_set_debug(None, 0, None)
    crypto.ERR_set_error(ERR_LIB_SYS, EPIPE, None)


def test_a_stale_error_is_not_taken_for_this_connections(tmp_path):
    client = connected_pair(tmp_path)
    stale_epipe()
    with pytest.raises(Exception) as unfixed:  # CPython 148594: a healthy socket "fails"
        client.read(10)
    assert not isinstance(unfixed.value, ssl.SSLWantReadError)

    assert tls_errors.install()
    assert tls_errors.install()  # a second install wraps nothing twice
    assert getattr(ssl.SSLObject.read, "__ungp_clears_errors__", False)
    stale_epipe()
    with pytest.raises(ssl.SSLWantReadError):  # nothing to read yet, as it should say
        client.read(10)
