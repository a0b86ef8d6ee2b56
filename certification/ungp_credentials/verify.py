"""Verify a credential offline and say precisely why it is or is not valid.

Used by ``ungp cert verify`` and the public verification page. Every problem a verifier can
meet (bad JSON, missing fields, changed content, unknown key, key of another issuer, revoked,
expired, not yet valid, too large or too deeply nested: see :mod:`.limits`) becomes a failed
:class:`Check` with a sentence, never a traceback.
A status that cannot be checked (its list was not given) is reported as *not checked*: it does
not make the credential invalid, but the output says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .contexts import VC_V2
from .data_integrity import CRYPTOSUITES, PROOF_TYPE, RDFC, proofs_of, verify_proof
from .errors import CredentialError
from .keys import VerificationMethod, did_key_method, read_key_set
from .limits import DEFAULT_LIMITS, DocumentLimits, DocumentTooLarge
from .status_list import ENTRY_TYPE, StatusEntry, is_flagged

REQUIRED_FIELDS = ("@context", "type", "issuer", "credentialSubject", "proof")


@dataclass(frozen=True)
class Check:
    """One verification step: ``passed`` is True, False, or None when it could not be run."""

    name: str
    passed: bool | None
    message: str

    def to_json(self) -> dict[str, Any]:
        return {"check": self.name, "passed": self.passed, "message": self.message}


@dataclass
class VerificationResult:
    """The verdict and every check behind it."""

    checks: list[Check] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        signed = any(c.name == "signature" and c.passed for c in self.checks)
        return signed and all(c.passed is not False for c in self.checks)

    @property
    def reasons(self) -> list[str]:
        """Why the credential is invalid (empty when it is valid)."""
        return [c.message for c in self.checks if c.passed is False]

    def add(self, name: str, passed: bool | None, message: str) -> None:
        self.checks.append(Check(name, passed, message))

    def to_json(self) -> dict[str, Any]:
        return {"valid": self.valid, "checks": [c.to_json() for c in self.checks]}


KeySetInput = Mapping[str, VerificationMethod] | dict[str, Any] | list[dict[str, Any]]


def verify_credential(
    document: dict[str, Any] | str | bytes,
    key_set: KeySetInput,
    status_lists: Iterable[dict[str, Any]] = (),
    now: datetime | None = None,
    did_key: bool = True,
    limits: DocumentLimits = DEFAULT_LIMITS,
) -> VerificationResult:
    """Check structure, every proof, issuer/key binding, validity period and status.

    ``did_key``: resolve ``did:key`` verification methods offline (the key is in the DID; the
    credential's issuer must be that DID). A hub verifying only its own credentials turns it
    off. ``limits``: the largest credential (and status list) taken, see :mod:`.limits`.
    """
    result = VerificationResult()
    now = now or datetime.now(UTC)
    credential = _parse(document, result, limits)
    methods = _methods(key_set, result, limits)
    if credential is None or methods is None or not _structure(credential, result):
        return result
    issuer = _issuer_id(credential)
    _proofs(credential, issuer, methods, did_key, result)
    _validity(credential, now, result)
    _status(credential, issuer, methods, list(status_lists), now, result)
    return result


def _parse(
    document: dict[str, Any] | str | bytes, result: VerificationResult, limits: DocumentLimits
) -> Any:
    try:
        if isinstance(document, dict):
            limits.check(document)
            return document
        parsed = limits.parse(document)
    except DocumentTooLarge as exc:
        result.add("limits", False, f"the credential is refused: {exc}")
        return None
    except (ValueError, TypeError) as exc:
        result.add("json", False, f"the credential is not valid JSON: {exc}")
        return None
    if not isinstance(parsed, dict):
        result.add("json", False, "the credential must be a JSON object")
        return None
    return parsed


def _methods(key_set: KeySetInput, result: VerificationResult, limits: DocumentLimits) -> Any:
    if isinstance(key_set, Mapping) and all(
        isinstance(v, VerificationMethod) for v in key_set.values()
    ):
        return key_set
    skipped: list[str] = []
    try:
        limits.check(key_set)
        methods = read_key_set(key_set, skipped)  # type: ignore[arg-type]
    except CredentialError as exc:
        result.add("key set", False, f"the issuer key set is unusable: {exc}")
        return None
    if skipped:
        result.add(
            "key set", None, f"key set entries skipped (not Ed25519 Multikey): {'; '.join(skipped)}"
        )
    return methods


def _structure(credential: dict[str, Any], result: VerificationResult) -> bool:
    missing = [name for name in REQUIRED_FIELDS if name not in credential]
    problems = [f"missing required field(s): {', '.join(missing)}"] if missing else []
    contexts = credential.get("@context")
    if "@context" in credential and (not isinstance(contexts, list) or contexts[:1] != [VC_V2]):
        problems.append(f"@context must be a list starting with {VC_V2}")
    types = credential.get("type")
    if "type" in credential and (
        not isinstance(types, list) or "VerifiableCredential" not in types
    ):
        problems.append("type must be a list containing VerifiableCredential")
    if "issuer" in credential and _issuer_id(credential) is None:
        problems.append("issuer must be a URL or an object with an id")
    proofs = proofs_of(credential)
    if "proof" in credential and not all(isinstance(p, dict) for p in proofs):
        problems.append("proof must be an object or a list of objects")
    if problems:
        result.add("structure", False, "malformed credential: " + "; ".join(problems))
        return False
    result.add("structure", True, "all required fields are present")
    return True


def _issuer_id(credential: dict[str, Any]) -> str | None:
    issuer = credential.get("issuer")
    if isinstance(issuer, dict):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) and issuer else None


def _proofs(
    credential: dict[str, Any],
    issuer: str | None,
    methods: Mapping[str, VerificationMethod],
    did_key: bool,
    result: VerificationResult,
) -> None:
    proofs = proofs_of(credential)
    for number, proof in enumerate(proofs, start=1):
        label = f"proof {number} ({proof.get('cryptosuite', 'no cryptosuite')})"
        unsupported = _unsupported(proof)
        if unsupported:
            result.add("signature", False, f"{label}: {unsupported}")
            continue
        method_id = proof.get("verificationMethod")
        method = methods.get(method_id) if isinstance(method_id, str) else None
        if method is None and did_key and isinstance(method_id, str):
            method = did_key_method(method_id)
        if method is None:
            result.add(
                "key",
                False,
                f"{label}: signed with verification method {method_id!r}, which is not in the "
                "issuer's key set (unknown or foreign key)",
            )
            continue
        if method.controller != issuer:
            result.add(
                "issuer",
                False,
                f"{label}: the credential claims issuer {issuer!r} but verification method "
                f"{method_id!r} is controlled by {method.controller!r}",
            )
        if not method.assertion:
            result.add("key", False, f"{label}: {method_id} is not an assertionMethod key")
            continue
        try:
            good = verify_proof(credential, proof, method.public_key)
        except (CredentialError, ValueError, TypeError, KeyError) as exc:
            result.add("signature", False, f"{label}: cannot be checked: {exc}")
            continue
        if good:
            result.add("signature", True, f"{label}: valid signature by {method_id}")
        else:
            result.add(
                "signature",
                False,
                f"{label}: signature invalid: the credential was changed after signing, "
                f"or was not signed by {method_id}",
            )
    if not any(p.get("cryptosuite") == RDFC for p in proofs):
        result.add("signature", False, f"no {RDFC} proof (required by this hub)")


def _unsupported(proof: dict[str, Any]) -> str:
    """Why this verifier cannot check `proof` at all ('' when it can): named, so that a proof
    of a kind it does not know is never reported as a changed credential."""
    suites = " or ".join(CRYPTOSUITES)
    if proof.get("type") != PROOF_TYPE:
        return (
            f"unsupported proof type {proof.get('type')!r}; this verifier checks {PROOF_TYPE} "
            f"with {suites}"
        )
    if proof.get("cryptosuite") not in CRYPTOSUITES:
        return (
            f"cryptosuite {proof.get('cryptosuite')!r} is not supported; this verifier checks "
            f"{suites}"
        )
    if "previousProof" in proof:
        return (
            "proof chains (previousProof) are not supported by this verifier; only proof sets "
            "of independent proofs are"
        )
    if proof.get("proofPurpose") != "assertionMethod":
        return "proofPurpose must be assertionMethod"
    return ""


def _moment(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _validity(credential: dict[str, Any], now: datetime, result: VerificationResult) -> None:
    for name in ("validFrom", "validUntil"):
        if name in credential and _moment(credential[name]) is None:
            result.add("validity", False, f"{name} is not a date-time: {credential[name]!r}")
            return
    valid_from = _moment(credential.get("validFrom"))
    valid_until = _moment(credential.get("validUntil"))
    stamp = now.astimezone(UTC).isoformat()
    if valid_from is not None and now < valid_from:
        result.add("validity", False, f"not yet valid: valid from {credential['validFrom']}")
    elif valid_until is not None and now > valid_until:
        result.add("validity", False, f"expired: valid until {credential['validUntil']}")
    else:
        result.add("validity", True, f"within its validity period at {stamp}")


def _status(
    credential: dict[str, Any],
    issuer: str | None,
    methods: Mapping[str, VerificationMethod],
    status_lists: list[dict[str, Any]],
    now: datetime,
    result: VerificationResult,
) -> None:
    raw = credential.get("credentialStatus")
    if raw is None:
        return
    for item in raw if isinstance(raw, list) else [raw]:
        if isinstance(item, dict) and item.get("type") != ENTRY_TYPE:
            result.add("status", None, f"status of type {item.get('type')!r} not checked")
            continue
        try:
            entry = StatusEntry.from_json(item)
        except CredentialError as exc:
            result.add("status", False, f"malformed credentialStatus: {exc}")
            continue
        listing = next(
            (
                c
                for c in status_lists
                if isinstance(c, dict) and c.get("id") == entry.status_list_credential
            ),
            None,
        )
        if listing is None:
            result.add(
                "status",
                None,
                f"{entry.purpose} status NOT checked: status list "
                f"{entry.status_list_credential} was not provided",
            )
            continue
        list_check = verify_credential(listing, methods, (), now, did_key=False)
        if not list_check.valid or _issuer_id(listing) != issuer:
            why = "; ".join(list_check.reasons) or "it has another issuer"
            result.add(
                "status",
                False,
                f"status list {entry.status_list_credential} is not trustworthy: {why}",
            )
            continue
        try:
            flagged = is_flagged(entry, listing)
        except CredentialError as exc:
            result.add("status", False, f"cannot read status list: {exc}")
            continue
        if flagged:
            word = "revoked" if entry.purpose == "revocation" else f"flagged ({entry.purpose})"
            result.add(
                "status",
                False,
                f"{word}: bit {entry.index} is set in {entry.status_list_credential}",
            )
        else:
            result.add("status", True, f"not {entry.purpose}: bit {entry.index} is clear")
