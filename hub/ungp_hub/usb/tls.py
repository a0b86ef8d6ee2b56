"""The workshop CA: made at install, so each workshop's hub has its own HTTPS certificate.

A LAN has no public name for a certificate authority to vouch for; everyone who logs in
installs this CA's certificate once (linked from the login page) and the browser then trusts
the hub.
"""

from __future__ import annotations

import datetime
import fcntl
import ipaddress
import os
import socket
import struct
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

SIOCGIFADDR = 0x8915  # Linux ioctl: an interface's IPv4 address


@dataclass(frozen=True)
class WorkshopTLS:
    folder: Path

    @property
    def ca_cert(self) -> Path:
        return self.folder / "workshop-ca.crt"

    @property
    def cert(self) -> Path:
        return self.folder / "hub.crt"

    @property
    def key(self) -> Path:
        return self.folder / "hub.key"


def ensure_workshop_tls(folder: Path, names: list[str], days: int = 90) -> WorkshopTLS:
    """Make the CA and the hub's certificate for `names` (DNS names or IPs), once."""
    tls = WorkshopTLS(folder)
    if tls.ca_cert.exists() and tls.cert.exists() and tls.key.exists():
        return tls
    folder.mkdir(parents=True, exist_ok=True)
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ungp-hub workshop CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    alt_names = [_alt_name(name) for name in dict.fromkeys(names)]
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.SubjectAlternativeName(alt_names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False)
        # Python 3.13's strict verification wants the key identifiers.
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    fd = os.open(tls.key, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(
            key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        )
    # The CA key is not kept: nothing else is ever signed by this workshop's CA.
    tls.cert.write_bytes(cert.public_bytes(pem) + ca.public_bytes(pem))
    tls.ca_cert.write_bytes(ca.public_bytes(pem))
    return tls


def _alt_name(name: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(name))
    except ValueError:
        return x509.DNSName(name)


def lan_address() -> str | None:
    """The IPv4 address of the interface that has the default route (the LAN), if any."""
    try:
        rows = [line.split() for line in Path("/proc/net/route").read_text().splitlines()[1:]]
    except OSError:
        return None
    for row in rows:
        if len(row) > 1 and row[1] == "00000000":
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
                try:
                    packed = fcntl.ioctl(
                        probe.fileno(), SIOCGIFADDR, struct.pack("256s", row[0][:15].encode())
                    )
                except OSError:
                    return None
            return socket.inet_ntoa(packed[20:24])
    return None


def local_addresses() -> list[str]:
    """This machine's IPv4 addresses (from the kernel's table; no network tools needed)."""
    found: list[str] = []
    try:
        lines = Path("/proc/net/fib_trie").read_text().splitlines()
    except OSError:
        return ["127.0.0.1"]
    for previous, line in zip(lines, lines[1:], strict=False):
        if "/32 host LOCAL" in line:
            address = previous.split()[-1]
            if address not in found:
                found.append(address)
    return found or ["127.0.0.1"]
