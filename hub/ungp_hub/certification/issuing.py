"""Issuing, revoking and publishing: the hub as an Open Badges issuer.

Files under STATE_DIR/certification (``root``): ``keys/`` (the issuer key store, made at
install; rotation keeps old public keys in the published key set), ``registry.sqlite``,
``status/1.json`` (the signed BitstringStatusListCredential, rewritten on every revocation).
URLs are built from the hub's public address so that a QR code and a verifier's key lookup
land on this hub's public pages.
"""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ungp_credentials import (
    Achievement,
    ExamEvidence,
    Issuer,
    IssuerKeyStore,
    OpenBadgeCredential,
    StatusEntry,
    StatusList,
    VerificationResult,
    status_list_credential,
    verify_credential,
)
from ungp_credentials.data_integrity import format_datetime
from ungp_credentials.errors import KeyStoreError
from ungp_credentials.openbadges import sign_with_suites

from .errors import RegistryError
from .exams import ExamGrade
from .imported import ImportedCertificates, issuer_of
from .registry import IssuedCredential, Registry
from .tracks import Track

SERVICE_PATH = "/services/certification"
STATUS_LIST_BITS = 131_072


def add_months(moment: datetime, months: int) -> datetime:
    month = moment.month - 1 + months
    year, month = moment.year + month // 12, month % 12 + 1
    for day in (moment.day, 30, 29, 28):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise ValueError(moment)


@dataclass
class Certifier:
    root: Path
    public_url: str  # e.g. https://hub.example.org (no trailing slash)
    issuer_name: str

    @property
    def base(self) -> str:
        return self.public_url.rstrip("/") + SERVICE_PATH

    @property
    def issuer_id(self) -> str:
        return f"{self.base}/issuer"

    @property
    def status_list_url(self) -> str:
        return f"{self.base}/status/1"

    def verify_url(self, credential_id: str) -> str:
        return f"{self.base}/verify/{credential_id.removeprefix('urn:uuid:')}"

    @property
    def keys(self) -> IssuerKeyStore:
        return IssuerKeyStore(self.root / "keys")

    @property
    def imported(self) -> ImportedCertificates:
        """Certificates of offline workshops imported into this hub's state dir."""
        return ImportedCertificates(self.root.parent)

    @property
    def registry(self) -> Registry:
        return Registry(self.root / "registry.sqlite")

    # -- install --------------------------------------------------------------------------
    def install(self, now: datetime | None = None) -> None:
        """Make the issuer keys and the status list if missing (idempotent)."""
        self.root.mkdir(parents=True, exist_ok=True)
        if not (self.root / "keys" / "issuer-keys.json").exists():
            IssuerKeyStore.create(self.root / "keys", self.issuer_id, now)
        elif self.keys.controller != self.issuer_id:
            raise KeyStoreError(
                f"the issuer keys in {self.root / 'keys'} belong to {self.keys.controller}, but "
                f"this hub's issuer is {self.issuer_id} (certification.public_url changed?). "
                "Set public_url back, or move the keys away to start a new issuer."
            )
        if not self.status_list_path.exists():
            self.publish_status_list(now)

    # -- issue ----------------------------------------------------------------------------
    def issue(
        self,
        candidate: str,
        name: str,
        track: Track,
        grade: ExamGrade,
        submission_sha256: str,
        sitting: str | None = None,
        now: datetime | None = None,
    ) -> IssuedCredential:
        now = (now or datetime.now(UTC)).replace(microsecond=0)
        registry = self.registry
        index = self._free_index(registry)
        credential_id = str(uuid.uuid4())
        builder = OpenBadgeCredential(
            issuer=Issuer(self.issuer_id, self.issuer_name),
            achievement=Achievement(
                id=f"{self.base}/tracks/{track.id}",
                name=track.title,
                description=track.description,
                criteria_narrative=(
                    f"Passed the required modules ({', '.join(track.required_modules)}) and "
                    f"exam {track.exam.id} with at least {track.exam.pass_mark:g}% of its points."
                ),
            ),
            subject_id=f"{self.base}/holders/{candidate}",
            valid_from=now,
            valid_until=add_months(now, track.validity_months),
            evidence=[
                ExamEvidence(
                    grade.exam_id,
                    grade.score,
                    grade.max_score * track.exam.pass_mark / 100,
                    submission_sha256,
                    grade.max_score,
                )
            ],
            status=StatusEntry(self.status_list_url, index),
            id=f"urn:uuid:{credential_id}",
        )
        document = builder.to_json()
        document["credentialSubject"]["name"] = name
        key = self.keys.current()
        signed = sign_with_suites(document, key.private_key, key.id, now)
        return registry.add_credential(
            credential_id,
            candidate,
            name,
            track.id,
            document["validFrom"],
            document["validUntil"],
            index,
            sitting,
            signed,
        )

    def _free_index(self, registry: Registry) -> int:
        """A random unused index: neighbours in the list say nothing about each other."""
        used = registry.used_indexes()
        if len(used) >= STATUS_LIST_BITS:
            raise RegistryError("the status list is full; start a second list")
        choose = random.SystemRandom()
        while (index := choose.randrange(STATUS_LIST_BITS)) in used:
            continue
        return index

    # -- revoke and publish ---------------------------------------------------------------
    def revoke(
        self, credential_id: str, reason: str, by: str, now: datetime | None = None
    ) -> IssuedCredential:
        if not reason.strip():
            raise RegistryError("a revocation needs a reason (it is kept in the registry)")
        now = now or datetime.now(UTC)
        revoked = self.registry.revoke(credential_id, reason.strip(), by, format_datetime(now))
        self.publish_status_list(now)
        return revoked

    @property
    def status_list_path(self) -> Path:
        return self.root / "status" / "1.json"

    def publish_status_list(self, now: datetime | None = None) -> dict[str, Any]:
        """Rebuild the list from the registry, sign it, write it atomically."""
        now = now or datetime.now(UTC)
        bits = StatusList(STATUS_LIST_BITS)
        for index in self.registry.revoked_indexes():
            bits.set(index)
        unsigned = status_list_credential(
            self.status_list_url, self.issuer_id, bits, format_datetime(now)
        )
        key = self.keys.current()
        signed = sign_with_suites(unsigned, key.private_key, key.id, now)
        path = self.status_list_path
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(signed, indent=2) + "\n", encoding="utf-8")
        tmp.replace(path)
        return signed

    def status_list(self) -> dict[str, Any]:
        if not self.status_list_path.exists():
            return self.publish_status_list()
        return json.loads(self.status_list_path.read_text(encoding="utf-8"))

    def key_set(self) -> dict[str, Any]:
        return self.keys.key_set()

    def verify(
        self, document: dict[str, Any] | str | bytes, now: datetime | None = None
    ) -> VerificationResult:
        """Verify against this hub's own key set and status list (no network); a credential
        of an imported offline workshop against that workshop's keys."""
        if issuer_of(document) not in ("", self.issuer_id):
            imported = self.imported.verify(document, now)
            if imported is not None:
                return imported
        # did:key off: this page vouches only for this hub's (and its workshops') keys.
        return verify_credential(document, self.key_set(), [self.status_list()], now, did_key=False)
