"""A small issuing hub for the tests: a key store, a status list and one signed badge."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ungp_credentials.keys import IssuerKeyStore
from ungp_credentials.openbadges import (
    Achievement,
    ExamEvidence,
    Issuer,
    OpenBadgeCredential,
    sign_with_suites,
)
from ungp_credentials.status_list import StatusEntry, StatusList, status_list_credential

ISSUER_ID = "https://hub.example.org/issuer"
STATUS_URL = "https://hub.example.org/status/1"
ISSUED = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
EXPIRES = datetime(2029, 3, 1, 9, 0, tzinfo=UTC)
DURING = datetime(2027, 1, 1, tzinfo=UTC)
SUBMISSION_SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"


@dataclass
class Hub:
    store: IssuerKeyStore
    status_bits: StatusList

    def badge(self, index: int = 7) -> OpenBadgeCredential:
        return OpenBadgeCredential(
            issuer=Issuer(ISSUER_ID, "UN Global Platform training hub"),
            achievement=Achievement(
                id="https://hub.example.org/tracks/ais-statistics",
                name="AIS statistics practitioner",
                description="Builds port-call statistics from AIS messages.",
                criteria_narrative="Complete modules 1-4 and pass the final exam (pass mark 70).",
            ),
            subject_id="urn:ungp:trainee:alice",
            valid_from=ISSUED,
            valid_until=EXPIRES,
            evidence=[ExamEvidence("ais-final-2026", 84.5, 70, SUBMISSION_SHA256, 100)],
            status=StatusEntry(STATUS_URL, index),
            id="urn:uuid:0b7ec7c2-5f0e-4c55-9a4e-2f7d1c3b9a10",
        )

    def issue(self, index: int = 7) -> dict[str, Any]:
        key = self.store.current()
        return self.badge(index).sign(key.private_key, key.id, created=ISSUED)

    def status_list(self) -> dict[str, Any]:
        key = self.store.current()
        unsigned = status_list_credential(
            STATUS_URL, ISSUER_ID, self.status_bits, "2026-03-01T00:00:00Z"
        )
        return sign_with_suites(unsigned, key.private_key, key.id, created=ISSUED)

    def key_set(self) -> dict[str, Any]:
        return self.store.key_set()


def make_hub(directory: Path) -> Hub:
    return Hub(IssuerKeyStore.create(directory / "keys", ISSUER_ID, now=ISSUED), StatusList())
