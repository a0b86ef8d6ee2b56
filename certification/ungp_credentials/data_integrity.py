"""Data Integrity proofs with Ed25519: ``eddsa-rdfc-2022`` and ``eddsa-jcs-2022``.

Follows W3C "Data Integrity EdDSA Cryptosuites v1.0" (Recommendation, 2025): the signed bytes
are SHA-256(canonical proof configuration) || SHA-256(canonical unsecured document), and the
signature is published as a base58btc multibase ``proofValue``. Canonical form is RDFC-1.0
N-Quads for ``eddsa-rdfc-2022`` and RFC 8785 JCS for ``eddsa-jcs-2022``.

Several proofs on one document form a *proof set*: each signs the document without any proof,
so they can be added and checked independently (no proof chains here).
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .canonical import jcs, rdfc, undefined_terms
from .errors import CanonicalizationError, ProofError
from .multikey import base58btc_decode, base58btc_encode

RDFC = "eddsa-rdfc-2022"
JCS = "eddsa-jcs-2022"
CRYPTOSUITES = (RDFC, JCS)
PROOF_TYPE = "DataIntegrityProof"


@dataclass(frozen=True)
class HashData:
    """The intermediate values of one proof, exposed so tests can compare them with the spec."""

    canonical_proof_config: bytes
    canonical_document: bytes

    @property
    def proof_config_hash(self) -> bytes:
        return hashlib.sha256(self.canonical_proof_config).digest()

    @property
    def document_hash(self) -> bytes:
        return hashlib.sha256(self.canonical_document).digest()

    @property
    def combined(self) -> bytes:
        """What Ed25519 signs: the proof configuration hash first, then the document hash."""
        return self.proof_config_hash + self.document_hash


def format_datetime(moment: datetime) -> str:
    """XML Schema dateTime in UTC with a ``Z`` and whole seconds, as the spec examples use."""
    if moment.tzinfo is None:
        raise ValueError("use a timezone-aware datetime (e.g. datetime.now(UTC))")
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def unsecured(document: dict[str, Any]) -> dict[str, Any]:
    """The document without its ``proof`` (what every proof of a proof set signs)."""
    return {key: value for key, value in document.items() if key != "proof"}


def proofs_of(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The proofs of a document as a list (``proof`` may be one object or a set)."""
    proof = document.get("proof")
    if proof is None:
        return []
    return list(proof) if isinstance(proof, list) else [proof]


def _canonical(cryptosuite: str, document: dict[str, Any]) -> bytes:
    if cryptosuite == RDFC:
        return rdfc(document).encode("utf-8")
    return jcs(document)


def hash_data(document: dict[str, Any], proof_options: dict[str, Any]) -> HashData:
    """Transformation + proof configuration + hashing, for both suites.

    ``document`` is the unsecured document; ``proof_options`` the proof without ``proofValue``.
    """
    cryptosuite = proof_options.get("cryptosuite")
    if proof_options.get("type") != PROOF_TYPE or cryptosuite not in CRYPTOSUITES:
        raise ProofError(
            f"unsupported proof: type {proof_options.get('type')!r}, cryptosuite "
            f"{cryptosuite!r}; expected {PROOF_TYPE} with one of {', '.join(CRYPTOSUITES)}"
        )
    config = {key: value for key, value in proof_options.items() if key != "proofValue"}
    if cryptosuite == RDFC:
        # RDFC hashes RDF: the proof configuration needs the document's contexts to mean
        # anything. JCS hashes the proof options as they are: the Recommendation (3.3.5)
        # adds no @context, and proofs made that way (the W3C 2023 vectors) must verify.
        if "@context" not in document:
            raise ProofError("the document has no @context (eddsa-rdfc-2022 needs one)")
        config["@context"] = document["@context"]
    return HashData(
        canonical_proof_config=_canonical(cryptosuite, config),
        canonical_document=_canonical(cryptosuite, document),
    )


def create_proof(
    document: dict[str, Any],
    private_key: Ed25519PrivateKey,
    verification_method: str,
    cryptosuite: str = RDFC,
    created: datetime | str | None = None,
    proof_purpose: str = "assertionMethod",
) -> dict[str, Any]:
    """A new proof for ``document`` (its existing proofs, if any, are not signed).

    For ``eddsa-rdfc-2022`` the document must use only defined terms: an undefined term would
    be dropped from the canonical form and so left unsigned.
    """
    if cryptosuite not in CRYPTOSUITES:
        raise ProofError(f"unknown cryptosuite {cryptosuite!r}; use one of {CRYPTOSUITES}")
    base = unsecured(document)
    if cryptosuite == RDFC:
        missing = undefined_terms(base)
        if missing:
            raise CanonicalizationError(
                "these properties are not defined by the document's @context and would not be "
                f"signed: {', '.join(missing)}. Use terms of the contexts, or add a context."
            )
    when = created if created is not None else datetime.now(UTC)
    proof: dict[str, Any] = {
        "type": PROOF_TYPE,
        "cryptosuite": cryptosuite,
        "created": when if isinstance(when, str) else format_datetime(when),
        "verificationMethod": verification_method,
        "proofPurpose": proof_purpose,
    }
    if cryptosuite == JCS:
        # JCS signs the context list as plain JSON; the proof carries it so a verifier can
        # check the document's contexts were not swapped (spec Appendix B.3 shows this form).
        proof["@context"] = copy.deepcopy(base["@context"])
    data = hash_data(base, proof)
    proof["proofValue"] = base58btc_encode(private_key.sign(data.combined))
    return proof


def add_proof(document: dict[str, Any], proof: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``document`` with ``proof`` added (a single proof, or appended to the set)."""
    secured = copy.deepcopy(document)
    existing = proofs_of(secured)
    secured["proof"] = proof if not existing else [*existing, proof]
    return secured


def sign(
    document: dict[str, Any],
    private_key: Ed25519PrivateKey,
    verification_method: str,
    cryptosuite: str = RDFC,
    created: datetime | str | None = None,
) -> dict[str, Any]:
    """``document`` with one more proof; the convenience used by issuers."""
    proof = create_proof(document, private_key, verification_method, cryptosuite, created)
    return add_proof(document, proof)


def verify_proof(
    document: dict[str, Any], proof: dict[str, Any], public_key: Ed25519PublicKey
) -> bool:
    """True if ``proof`` is a valid signature of ``document`` by ``public_key``.

    Raises :class:`ProofError` (or a canonicalization error) when the proof cannot even be
    checked, e.g. an unknown cryptosuite, a malformed proofValue, or an unknown context.
    """
    if not isinstance(proof, dict):
        raise ProofError("the proof is not a JSON object")
    proof_value = proof.get("proofValue")
    if not isinstance(proof_value, str):
        raise ProofError("the proof has no proofValue")
    signature = base58btc_decode(proof_value)
    if len(signature) != 64:
        raise ProofError(
            f"proofValue decodes to {len(signature)} bytes, an Ed25519 signature has 64"
        )
    base = unsecured(document)
    options = {key: value for key, value in proof.items() if key != "proofValue"}
    if options.get("cryptosuite") == JCS and "@context" in options:
        contexts = _as_list(options["@context"])
        if _as_list(base.get("@context"))[: len(contexts)] != contexts:
            return False
        base["@context"] = options["@context"]
    data = hash_data(base, options)
    try:
        public_key.verify(signature, data.combined)
    except InvalidSignature:
        return False
    return True


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]
