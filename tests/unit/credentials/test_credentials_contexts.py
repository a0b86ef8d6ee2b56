"""The static loader: known contexts only, published bytes, no network ever."""

from __future__ import annotations

import hashlib
import re
import socket
from importlib import resources

import pytest
from ungp_credentials.canonical import rdfc
from ungp_credentials.contexts import (
    CONTEXT_FILES,
    OB_V3P0,
    VC_V2,
    context_bytes,
    load_document,
)
from ungp_credentials.errors import UnknownContextError


def _provenance_hashes() -> dict[str, str]:
    text = resources.files("ungp_credentials").joinpath("contexts", "PROVENANCE.md").read_text()
    return dict(re.findall(r"\| `([\w.-]+)` \|.*\| `([0-9a-f]{64})` \|", text))


def test_every_context_file_matches_its_recorded_sha256():
    recorded = _provenance_hashes()
    assert set(recorded) == set(CONTEXT_FILES.values())
    for url, name in CONTEXT_FILES.items():
        assert hashlib.sha256(context_bytes(url)).hexdigest() == recorded[name], name


def test_loader_returns_the_document_for_known_urls():
    loaded = load_document(VC_V2)
    assert loaded["documentUrl"] == VC_V2
    assert loaded["document"]["@context"]["@protected"] is True
    loaded["document"]["@context"]["changed"] = True  # a copy: the cache stays pristine
    assert "changed" not in load_document(VC_V2)["document"]["@context"]
    assert "AchievementSubject" in load_document(OB_V3P0)["document"]["@context"]


@pytest.mark.parametrize(
    "url",
    [
        "https://w3id.org/security/data-integrity/v2",
        "http://www.w3.org/ns/credentials/v2",  # not https: a different URL
        "https://example.com/ctx.json",
    ],
)
def test_loader_refuses_other_urls(url):
    with pytest.raises(UnknownContextError, match="not available offline"):
        load_document(url)


def test_canonicalization_never_opens_a_socket(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    document = {
        "@context": [VC_V2, OB_V3P0],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "https://hub.example.org/issuer", "type": ["Profile"], "name": "Hub"},
        "credentialSubject": {"type": ["AchievementSubject"]},
    }
    assert "OpenBadgeCredential" in rdfc(document)
    with pytest.raises(UnknownContextError):
        rdfc({**document, "@context": [VC_V2, "https://example.com/remote"]})
