"""Open Badges 3.0 credentials for the hub's certification track.

An ``OpenBadgeCredential`` is a W3C VC 2.0 whose subject is an ``AchievementSubject`` holding
the ``Achievement`` (the certificate). Exam results use only terms the VC 2.0 and Open Badges
contexts define, so that ``eddsa-rdfc-2022`` signs every one of them:

- each graded exam is an ``Evidence`` entry: ``name`` = exam id, ``description`` = score and
  pass mark in words, ``digestMultibase`` = SHA-256 of the graded submission;
- the score is also a ``Result`` of the subject pointing at the achievement's
  ``ResultDescription`` (which carries the pass mark as ``requiredValue``), the Open Badges
  way of publishing a machine-readable score.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from .contexts import OB_V3P0, VC_V2
from .data_integrity import JCS, RDFC, format_datetime, sign
from .multikey import sha256_multibase
from .status_list import StatusEntry

OB_CONTEXTS = [VC_V2, OB_V3P0]


@dataclass(frozen=True)
class Issuer:
    """The issuing organisation (an Open Badges ``Profile``); ``id`` is its controller id."""

    id: str
    name: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "type": ["Profile"], "name": self.name}


@dataclass(frozen=True)
class Achievement:
    """What the certificate attests, e.g. a certification track."""

    id: str
    name: str
    description: str
    criteria_narrative: str


@dataclass(frozen=True)
class ExamEvidence:
    """One graded exam: its id, score, pass mark and the hash of the graded submission."""

    exam_id: str
    score: float
    pass_mark: float
    submission_sha256: str
    max_score: float | None = None

    def __post_init__(self) -> None:
        digest = self.submission_sha256.lower()
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise ValueError("submission_sha256 must be 64 hexadecimal characters")

    def to_json(self) -> dict[str, Any]:
        out_of = f" out of {_number(self.max_score)}" if self.max_score is not None else ""
        return {
            "type": ["Evidence"],
            "name": self.exam_id,
            "description": (
                f"Exam {self.exam_id}: score {_number(self.score)}{out_of}, "
                f"pass mark {_number(self.pass_mark)}; graded submission SHA-256 "
                f"{self.submission_sha256.lower()}."
            ),
            "genre": "Graded exam submission",
            "digestMultibase": sha256_multibase(bytes.fromhex(self.submission_sha256)),
        }


def _number(value: float | None) -> str:
    return f"{value:g}" if value is not None else ""


@dataclass
class OpenBadgeCredential:
    """Builder of an unsigned OpenBadgeCredential; :meth:`sign` adds the proof set."""

    issuer: Issuer
    achievement: Achievement
    subject_id: str
    valid_from: datetime
    valid_until: datetime | None = None
    evidence: list[ExamEvidence] = field(default_factory=list)
    status: StatusEntry | None = None
    id: str = field(default_factory=lambda: f"urn:uuid:{uuid.uuid4()}")

    def _result_description_id(self, exam_id: str) -> str:
        return f"{self.achievement.id}#result-{exam_id}"

    def to_json(self) -> dict[str, Any]:
        achievement: dict[str, Any] = {
            "id": self.achievement.id,
            "type": ["Achievement"],
            "name": self.achievement.name,
            "description": self.achievement.description,
            "criteria": {"narrative": self.achievement.criteria_narrative},
        }
        if self.evidence:
            achievement["resultDescription"] = [
                {
                    "id": self._result_description_id(exam.exam_id),
                    "type": ["ResultDescription"],
                    "name": f"Score in exam {exam.exam_id}",
                    "resultType": "RawScore",
                    "requiredValue": _number(exam.pass_mark),
                    **({"valueMax": _number(exam.max_score)} if exam.max_score is not None else {}),
                }
                for exam in self.evidence
            ]
        subject: dict[str, Any] = {
            "id": self.subject_id,
            "type": ["AchievementSubject"],
            "achievement": achievement,
        }
        if self.evidence:
            subject["result"] = [
                {
                    "type": ["Result"],
                    "resultDescription": self._result_description_id(exam.exam_id),
                    "value": _number(exam.score),
                }
                for exam in self.evidence
            ]
        credential: dict[str, Any] = {
            "@context": list(OB_CONTEXTS),
            "id": self.id,
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "name": self.achievement.name,
            "issuer": self.issuer.to_json(),
            "validFrom": format_datetime(self.valid_from),
            "credentialSubject": subject,
        }
        if self.valid_until is not None:
            credential["validUntil"] = format_datetime(self.valid_until)
        if self.evidence:
            credential["evidence"] = [exam.to_json() for exam in self.evidence]
        if self.status is not None:
            credential["credentialStatus"] = self.status.to_json()
        return credential

    def sign(
        self,
        private_key: Ed25519PrivateKey,
        verification_method: str,
        created: datetime | None = None,
        suites: tuple[str, ...] = (RDFC, JCS),
    ) -> dict[str, Any]:
        """The credential with a proof set, one proof per suite; ``eddsa-rdfc-2022`` is required."""
        if RDFC not in suites:
            raise ValueError("the proof set must contain an eddsa-rdfc-2022 proof")
        return sign_with_suites(self.to_json(), private_key, verification_method, created, suites)


def sign_with_suites(
    credential: dict[str, Any],
    private_key: Ed25519PrivateKey,
    verification_method: str,
    created: datetime | None = None,
    suites: tuple[str, ...] = (RDFC, JCS),
) -> dict[str, Any]:
    """Add one proof per suite to ``credential`` (a proof set: each signs the bare document)."""
    signed = credential
    for suite in suites:
        signed = sign(signed, private_key, verification_method, suite, created)
    return signed
