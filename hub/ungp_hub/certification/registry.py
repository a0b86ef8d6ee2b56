"""The certification registry: exam sittings and issued credentials, in SQLite.

Lives at STATE_DIR/certification/registry.sqlite (backed up with the state directory). The
service and the ``ungp cert`` admin commands share it; SQLite's own locking is enough for the
few writes an exam day makes.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ..state import sqlite_transaction
from .errors import RegistryError

SCHEMA = """
CREATE TABLE IF NOT EXISTS sittings (
    id TEXT PRIMARY KEY,
    candidate TEXT NOT NULL,
    track TEXT NOT NULL,
    exam TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    fetched_at TEXT NOT NULL,
    deadline TEXT NOT NULL,
    state TEXT NOT NULL,              -- open, submitted, graded, late, expired
    submitted_at TEXT,
    submission_sha256 TEXT,
    score REAL,
    max_score REAL,
    passed INTEGER,
    detail TEXT
);
CREATE INDEX IF NOT EXISTS sittings_candidate ON sittings (candidate, track);
-- Two fetches at the same moment must not open two sittings (two deadlines, two variants).
CREATE UNIQUE INDEX IF NOT EXISTS one_open_sitting ON sittings (candidate, track)
    WHERE state = 'open';
CREATE TABLE IF NOT EXISTS credentials (
    id TEXT PRIMARY KEY,              -- the uuid of urn:uuid:<id>
    candidate TEXT NOT NULL,
    name TEXT NOT NULL,
    track TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    status_index INTEGER NOT NULL UNIQUE,
    sitting TEXT,
    revoked_at TEXT,
    revoked_by TEXT,
    revocation_reason TEXT,
    document TEXT NOT NULL
);
-- The holder's choice to show their name on the public verification page (see holders.py).
CREATE TABLE IF NOT EXISTS name_consent (
    candidate TEXT PRIMARY KEY,
    public INTEGER NOT NULL,
    changed_at TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class Sitting:
    id: str
    candidate: str
    track: str
    exam: str
    attempt: int
    fetched_at: str
    deadline: str
    state: str
    submitted_at: str | None
    submission_sha256: str | None
    score: float | None
    max_score: float | None
    passed: int | None
    detail: str | None

    def receipt(self) -> dict[str, Any]:
        """What the candidate is shown after submitting (and can keep)."""
        return {
            "sitting": self.id,
            "candidate": self.candidate,
            "exam": self.exam,
            "attempt": self.attempt,
            "fetched_at": self.fetched_at,
            "deadline": self.deadline,
            "submitted_at": self.submitted_at,
            "sha256": self.submission_sha256,
            "state": self.state,
        }


@dataclass(frozen=True)
class IssuedCredential:
    id: str
    candidate: str
    name: str
    track: str
    issued_at: str
    valid_until: str
    status_index: int
    sitting: str | None
    revoked_at: str | None
    revoked_by: str | None
    revocation_reason: str | None
    document: str

    @property
    def credential(self) -> dict[str, Any]:
        return json.loads(self.document)

    def summary(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "document"}


class Registry:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._db() as db:
            db.executescript(SCHEMA)

    def _db(self) -> AbstractContextManager[sqlite3.Connection]:
        return sqlite_transaction(self.path)

    # -- sittings ------------------------------------------------------------------------
    def add_sitting(
        self,
        candidate: str,
        track: str,
        exam: str,
        attempt: int,
        fetched_at: datetime,
        deadline: datetime,
    ) -> Sitting:
        sitting_id = uuid.uuid4().hex
        try:
            self._insert_sitting(sitting_id, candidate, track, exam, attempt, fetched_at, deadline)
        except sqlite3.IntegrityError:
            # Another request opened it a moment ago: that sitting is the candidate's.
            return next(s for s in self.sittings(candidate, track) if s.state == "open")
        return self.sitting(sitting_id)

    def _insert_sitting(
        self,
        sitting_id: str,
        candidate: str,
        track: str,
        exam: str,
        attempt: int,
        fetched_at: datetime,
        deadline: datetime,
    ) -> None:
        with self._db() as db:
            db.execute(
                "INSERT INTO sittings (id, candidate, track, exam, attempt, fetched_at, deadline,"
                " state) VALUES (?, ?, ?, ?, ?, ?, ?, 'open')",
                (
                    sitting_id,
                    candidate,
                    track,
                    exam,
                    attempt,
                    fetched_at.isoformat(),
                    deadline.isoformat(),
                ),
            )

    def sitting(self, sitting_id: str) -> Sitting:
        with self._db() as db:
            row = db.execute("SELECT * FROM sittings WHERE id = ?", (sitting_id,)).fetchone()
        if row is None:
            raise RegistryError(f"no exam sitting {sitting_id}")
        return Sitting(**dict(row))

    def sittings(self, candidate: str | None = None, track: str | None = None) -> list[Sitting]:
        query, args = "SELECT * FROM sittings WHERE 1=1", []
        if candidate is not None:
            query, args = query + " AND candidate = ?", [*args, candidate]
        if track is not None:
            query, args = query + " AND track = ?", [*args, track]
        with self._db() as db:
            rows = db.execute(query + " ORDER BY fetched_at", args).fetchall()
        return [Sitting(**dict(row)) for row in rows]

    def update_sitting(self, sitting_id: str, **values: Any) -> Sitting:
        allowed = {
            "state",
            "submitted_at",
            "submission_sha256",
            "score",
            "max_score",
            "passed",
            "detail",
        }
        if not values or set(values) - allowed:
            raise ValueError(f"cannot update {sorted(set(values) - allowed)}")
        assignments = ", ".join(f"{name} = ?" for name in values)
        with self._db() as db:
            db.execute(
                f"UPDATE sittings SET {assignments} WHERE id = ?",  # noqa: S608
                [*values.values(), sitting_id],
            )
        return self.sitting(sitting_id)

    # -- credentials ---------------------------------------------------------------------
    def used_indexes(self) -> set[int]:
        with self._db() as db:
            return {row[0] for row in db.execute("SELECT status_index FROM credentials")}

    def add_credential(
        self,
        credential_id: str,
        candidate: str,
        name: str,
        track: str,
        issued_at: str,
        valid_until: str,
        status_index: int,
        sitting: str | None,
        document: dict[str, Any],
    ) -> IssuedCredential:
        with self._db() as db:
            db.execute(
                "INSERT INTO credentials (id, candidate, name, track, issued_at, valid_until,"
                " status_index, sitting, document) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    credential_id,
                    candidate,
                    name,
                    track,
                    issued_at,
                    valid_until,
                    status_index,
                    sitting,
                    json.dumps(document, ensure_ascii=False),
                ),
            )
        return self.credential(credential_id)

    def credential(self, credential_id: str) -> IssuedCredential:
        key = credential_id.removeprefix("urn:uuid:")
        with self._db() as db:
            row = db.execute("SELECT * FROM credentials WHERE id = ?", (key,)).fetchone()
        if row is None:
            raise RegistryError(f"no credential {credential_id} in the registry")
        return IssuedCredential(**dict(row))

    def credentials(
        self, candidate: str | None = None, text: str | None = None, track: str | None = None
    ) -> list[IssuedCredential]:
        query, args = "SELECT * FROM credentials WHERE 1=1", []
        if candidate is not None:
            query, args = query + " AND candidate = ?", [*args, candidate]
        if track is not None:
            query, args = query + " AND track = ?", [*args, track]
        if text:
            like = f"%{text.lower()}%"
            query += " AND (lower(id) LIKE ? OR lower(candidate) LIKE ? OR lower(name) LIKE ?)"
            args += [like, like, like]
        with self._db() as db:
            rows = db.execute(query + " ORDER BY issued_at DESC", args).fetchall()
        return [IssuedCredential(**dict(row)) for row in rows]

    def revoke(self, credential_id: str, reason: str, by: str, at: str) -> IssuedCredential:
        found = self.credential(credential_id)
        if found.revoked_at:
            raise RegistryError(
                f"credential {found.id} was already revoked on {found.revoked_at} by "
                f"{found.revoked_by}: {found.revocation_reason}"
            )
        with self._db() as db:
            db.execute(
                "UPDATE credentials SET revoked_at = ?, revoked_by = ?, revocation_reason = ?"
                " WHERE id = ?",
                (at, by, reason, found.id),
            )
        return self.credential(found.id)

    def revoked_indexes(self) -> list[int]:
        with self._db() as db:
            rows = db.execute("SELECT status_index FROM credentials WHERE revoked_at IS NOT NULL")
            return [row[0] for row in rows]

    # -- the holder's consent to show their name publicly ----------------------------------
    def set_name_consent(self, candidate: str, public: bool, at: str) -> None:
        with self._db() as db:
            db.execute(
                "INSERT INTO name_consent (candidate, public, changed_at) VALUES (?, ?, ?) "
                "ON CONFLICT (candidate) DO UPDATE SET public = excluded.public, "
                "changed_at = excluded.changed_at",
                (candidate, int(public), at),
            )

    def name_consent(self, candidate: str) -> bool:
        """False until the holder says yes (also for certificates issued before)."""
        with self._db() as db:
            row = db.execute(
                "SELECT public FROM name_consent WHERE candidate = ?", (candidate,)
            ).fetchone()
        return bool(row and row[0])
