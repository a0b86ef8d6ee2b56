"""Certificates issued by offline workshop hubs, verified by the central hub.

A workshop hub signs with its own issuer key. `ungp results import` keeps each workshop's
published key set and status list under STATE/workshops/<workshop>/issuer/ and each of its
certificates under STATE/workshops/certificates/<id>.json (both checked at import). Reading them
here lets the central hub's public verification page vouch for a workshop's certificate: a
verifier need not reach the workshop's laptop, which was switched off after the workshop.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ungp_credentials import CredentialError, VerificationResult, verify_credential
from ungp_credentials.limits import DEFAULT_LIMITS


@dataclass(frozen=True)
class WorkshopIssuer:
    workshop: str
    key_set: dict[str, Any]
    status_lists: list[dict[str, Any]]

    @property
    def controller(self) -> str:
        return self.key_set.get("id", "")


class ImportedCertificates:
    def __init__(self, state: Path) -> None:
        self.folder = state / "workshops"

    def issuer(self, workshop: str) -> WorkshopIssuer | None:
        folder = self.folder / workshop / "issuer"
        if not (folder / "key-set.json").is_file():
            return None
        status = folder / "status-1.json"
        return WorkshopIssuer(
            workshop,
            json.loads((folder / "key-set.json").read_text()),
            [json.loads(status.read_text())] if status.is_file() else [],
        )

    def issuers_named(self, controller: str) -> list[WorkshopIssuer]:
        """Workshops whose issuer is `controller` (two workshops may share an address)."""
        if not self.folder.is_dir():
            return []
        found = (self.issuer(path.name) for path in sorted(self.folder.iterdir()) if path.is_dir())
        return [issuer for issuer in found if issuer and issuer.controller == controller]

    def record(self, credential_id: str) -> dict[str, Any] | None:
        """The imported record (workshop, registry row, document) of one certificate."""
        path = self.folder / "certificates" / f"{credential_id}.json"
        return json.loads(path.read_text()) if path.is_file() else None

    def records(self) -> list[dict[str, Any]]:
        folder = self.folder / "certificates"
        paths = sorted(folder.glob("*.json")) if folder.is_dir() else []
        return [json.loads(path.read_text()) for path in paths]

    def verify(
        self, document: dict[str, Any] | str | bytes, now: datetime | None = None
    ) -> VerificationResult | None:
        """Verify with the keys of the workshop that issued `document`; None if no imported
        workshop has that issuer (the caller then verifies with its own keys)."""
        candidates = self.issuers_named(issuer_of(document))
        results = []
        for issuer in candidates:
            result = verify_credential(
                document, issuer.key_set, issuer.status_lists, now, did_key=False
            )
            result.add(
                "workshop",
                True,
                f"issued offline at workshop {issuer.workshop}; its keys came with the "
                "workshop's signed results",
            )
            if result.valid:
                return result
            results.append(result)
        return results[0] if results else None


def issuer_of(document: dict[str, Any] | str | bytes) -> str:
    """The issuer id of a credential, or "" when it has none we can read."""
    if not isinstance(document, dict):
        try:
            document = DEFAULT_LIMITS.parse(document)
        except (ValueError, TypeError, CredentialError):  # the verifier then says why
            return ""
    issuer = document.get("issuer") if isinstance(document, dict) else None
    if isinstance(issuer, dict):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) else ""
