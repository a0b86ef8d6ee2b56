"""The workshop CA: browsers (and Python 3.13's strict checks) accept the hub's certificate."""

from __future__ import annotations

import datetime
import ipaddress

import pytest
from cryptography import x509
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError
from ungp_hub.usb.tls import ensure_workshop_tls


def verify_for(tls, name: x509.GeneralName) -> None:
    store = Store([x509.load_pem_x509_certificate(tls.ca_cert.read_bytes())])
    leaf, *_ = x509.load_pem_x509_certificates(tls.cert.read_bytes())
    verifier = (
        PolicyBuilder()
        .store(store)
        .time(datetime.datetime.now(datetime.UTC))
        .build_server_verifier(name)
    )
    verifier.verify(leaf, [])


def test_the_hub_certificate_chains_to_the_workshop_ca_for_each_name(tmp_path):
    tls = ensure_workshop_tls(tmp_path, ["192.168.1.10", "workshop", "localhost"])
    verify_for(tls, x509.IPAddress(ipaddress.ip_address("192.168.1.10")))
    verify_for(tls, x509.DNSName("workshop"))
    assert tls.key.stat().st_mode & 0o077 == 0


def test_an_unknown_name_is_refused(tmp_path):
    tls = ensure_workshop_tls(tmp_path, ["192.168.1.10"])
    with pytest.raises(VerificationError):
        verify_for(tls, x509.DNSName("elsewhere.example"))


def test_made_once_then_kept(tmp_path):
    first = ensure_workshop_tls(tmp_path, ["10.0.0.1"]).ca_cert.read_bytes()
    again = ensure_workshop_tls(tmp_path, ["10.0.0.2"]).ca_cert.read_bytes()
    assert first == again
