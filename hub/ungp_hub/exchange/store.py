"""Where the exchange keeps things: files under STATE_DIR/exchange plus a SQLite index.

Nothing is ever overwritten: a re-release is a new version, every submission gets its own
folder named by its id (server time plus a random suffix, so two in the same second are both
kept), and re-released feedback is a new row and file. Folders are written under a temporary
name and renamed into place, so a crash never leaves a half-written submission in the index.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..courses.names import check_id, check_relative_path
from ..errors import AlreadyExists, DeadlinePassed, NotFound
from ..state import sqlite_transaction

SCHEMA = """
CREATE TABLE IF NOT EXISTS assignments (
    course TEXT NOT NULL, assignment TEXT NOT NULL, version INTEGER NOT NULL,
    released_at TEXT NOT NULL, released_by TEXT NOT NULL,
    deadline TEXT, late_until TEXT, files TEXT NOT NULL,
    PRIMARY KEY (course, assignment, version));
CREATE TABLE IF NOT EXISTS submissions (
    id TEXT PRIMARY KEY, course TEXT NOT NULL, assignment TEXT NOT NULL,
    student TEXT NOT NULL, submitted_at TEXT NOT NULL, sha256 TEXT NOT NULL,
    size INTEGER NOT NULL, late INTEGER NOT NULL, files TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS submissions_by_student ON submissions (course, student, assignment);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT, submission TEXT NOT NULL REFERENCES submissions(id),
    notebook TEXT NOT NULL, released_at TEXT NOT NULL, released_by TEXT NOT NULL,
    sha256 TEXT NOT NULL, path TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS fetches (
    course TEXT NOT NULL, assignment TEXT NOT NULL, student TEXT NOT NULL, at TEXT NOT NULL);
"""

Files = dict[str, bytes]


def utc_now() -> datetime:
    """The server's clock: every stored time is the hub's, never a client's."""
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """UTC with microseconds: stored times sort as text and two submissions never tie."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def digest(files: Files) -> str:
    """sha256 over the sorted (name, content) pairs: the same files give the same hash."""
    total = hashlib.sha256()
    for name in sorted(files):
        total.update(name.encode() + b"\0")
        total.update(hashlib.sha256(files[name]).digest())
    return total.hexdigest()


@dataclass(frozen=True)
class Receipt:
    """What a trainee keeps as proof of a submission."""

    id: str
    course: str
    assignment: str
    student: str
    submitted_at: str
    sha256: str
    size: int
    late: bool
    files: dict[str, str]  # name -> sha256 of its content

    def as_dict(self) -> dict:
        """The receipt as the exchange API returns it (the trainee's copy of the proof)."""
        return asdict(self)


@dataclass(frozen=True)
class Release:
    """One version of an assignment as published; a new release adds a version, never edits."""

    course: str
    assignment: str
    version: int
    released_at: str
    released_by: str
    deadline: str | None
    late_until: str | None
    files: list[str]


class ExchangeStore:
    """The exchange's files and index, owned by the exchange service alone.

    Callers check who may do what (``courses.access``); the store checks only names and
    dates, and refuses rather than overwrites. ``clock`` is injectable so tests can cross a
    deadline without waiting.
    """

    def __init__(
        self, root: Path, clock: Callable[[], datetime] = utc_now, read_only: bool = False
    ):
        self.root = Path(root)
        self.clock = clock
        self.read_only = read_only
        if read_only:
            return
        self.root.mkdir(parents=True, exist_ok=True)
        with self.connection() as db:
            db.executescript(SCHEMA)

    @classmethod
    def reader(cls, root: Path) -> ExchangeStore | None:
        """A store that only reads (the hub's landing page); None when there is none yet."""
        return cls(root, read_only=True) if (Path(root) / "index.sqlite").is_file() else None

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        """The index (SQLite), in a transaction; read-only for a reader."""
        with sqlite_transaction(self.root / "index.sqlite", self.read_only) as db:
            yield db

    # -- files ---------------------------------------------------------------------------

    def _write_folder(self, final: Path, files: Files) -> None:
        """Write files under a temporary name, then rename: all or nothing, never over."""
        if final.exists():
            raise AlreadyExists(f"{final.name} exists already; nothing was overwritten")
        final.parent.mkdir(parents=True, exist_ok=True)
        staging = final.parent / f".incoming-{secrets.token_hex(8)}"
        try:
            for name, content in files.items():
                target = staging / check_relative_path(name)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)
            staging.mkdir(parents=True, exist_ok=True)
            staging.rename(final)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise

    @staticmethod
    def _read_folder(folder: Path, names: list[str]) -> Files:
        return {name: (folder / name).read_bytes() for name in names}

    # -- releases ------------------------------------------------------------------------

    def release(
        self,
        course: str,
        assignment: str,
        files: Files,
        by: str,
        deadline: datetime | None = None,
        late_until: datetime | None = None,
        force: bool = False,
    ) -> Release:
        """Publish files as the next version of an assignment; the earlier ones stay on disk.

        Releasing the same files and dates again returns the current version (an instructor
        re-running ``release_assignment`` changes nothing); different content needs ``force``,
        so a trainee who fetched version 1 is never surprised by a silent replacement.
        """
        check_id(course, "course"), check_id(assignment, "assignment")
        current = self.current_release(course, assignment, missing_ok=True)
        if current and not force:
            if self._same_release(current, files, deadline, late_until):
                return current  # the same files and dates again: nothing to publish
            raise AlreadyExists(
                f"assignment {assignment} of {course} is released already; release again with "
                "--force to publish a new version (the old one is kept)"
            )
        version = current.version + 1 if current else 1
        now = iso(self.clock())
        self._write_folder(self._release_dir(course, assignment, version), files)
        record = Release(
            course,
            assignment,
            version,
            now,
            by,
            iso(deadline) if deadline else None,
            iso(late_until) if late_until else None,
            sorted(files),
        )
        with self.connection() as db:
            db.execute(
                "INSERT INTO assignments VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    course,
                    assignment,
                    version,
                    now,
                    by,
                    record.deadline,
                    record.late_until,
                    json.dumps(record.files),
                ),
            )
        return record

    def _same_release(
        self,
        current: Release,
        files: Files,
        deadline: datetime | None,
        late_until: datetime | None,
    ) -> bool:
        """Whether a release would publish exactly what `current` holds (an instructor who
        runs release_assignment again on an unchanged assignment)."""
        dates = (iso(deadline) if deadline else None, iso(late_until) if late_until else None)
        if dates != (current.deadline, current.late_until) or sorted(files) != current.files:
            return False
        folder = self._release_dir(current.course, current.assignment, current.version)
        return digest(self._read_folder(folder, current.files)) == digest(files)

    def _release_dir(self, course: str, assignment: str, version: int) -> Path:
        return self.root / "courses" / course / "releases" / assignment / f"v{version}"

    def current_release(
        self, course: str, assignment: str, missing_ok: bool = False
    ) -> Release | None:
        """The version trainees fetch now; NotFound (or None with ``missing_ok``) if never
        released, so a fetch before the release gets a sentence instead of an empty folder."""
        with self.connection() as db:
            row = db.execute(
                "SELECT * FROM assignments WHERE course = ? AND assignment = ? "
                "ORDER BY version DESC LIMIT 1",
                (course, assignment),
            ).fetchone()
        if row is None:
            if missing_ok:
                return None
            raise NotFound(f"assignment {assignment} of course {course} has not been released")
        return _release_of(row)

    def releases(self, course: str) -> list[Release]:
        """The current version of every assignment of a course."""
        with self.connection() as db:
            rows = db.execute(
                "SELECT a.* FROM assignments a WHERE course = ? AND version = (SELECT MAX(version) "
                "FROM assignments b WHERE b.course = a.course AND b.assignment = a.assignment) "
                "ORDER BY assignment",
                (course,),
            ).fetchall()
        return [_release_of(row) for row in rows]

    def released_files(self, course: str, assignment: str, student: str | None = None) -> Files:
        """The current version's files; a fetch by a trainee (``student``) is recorded, so
        the progress page can tell "not fetched" from "fetched, not submitted"."""
        release = self.current_release(course, assignment)
        if student:
            with self.connection() as db:
                db.execute(
                    "INSERT INTO fetches VALUES (?, ?, ?, ?)",
                    (course, assignment, student, iso(self.clock())),
                )
        folder = self._release_dir(course, assignment, release.version)
        return self._read_folder(folder, release.files)

    def set_deadline(
        self, course: str, assignment: str, deadline: datetime | None, late_until: datetime | None
    ) -> Release:
        """Move the current version's deadline and late cutoff without a new release: an
        extension must not change the files trainees already fetched."""
        release = self.current_release(course, assignment)
        with self.connection() as db:
            db.execute(
                "UPDATE assignments SET deadline = ?, late_until = ? "
                "WHERE course = ? AND assignment = ? AND version = ?",
                (
                    iso(deadline) if deadline else None,
                    iso(late_until) if late_until else None,
                    course,
                    assignment,
                    release.version,
                ),
            )
        return self.current_release(course, assignment)

    # -- submissions ---------------------------------------------------------------------

    def submit(self, course: str, assignment: str, student: str, files: Files) -> Receipt:
        """Keep a submission; the time is the server's, the trainee the hub's identity.

        Every submission is kept (the latest counts), so a trainee can always prove what they
        handed in. After the deadline it is marked late until ``late_until``, then refused
        (at once when there is no ``late_until``).
        """
        check_id(student, "user name")
        release = self.current_release(course, assignment)
        moment = self.clock()
        late = False
        if release.deadline and moment > datetime.fromisoformat(release.deadline):
            cutoff = release.late_until
            if not cutoff or moment > datetime.fromisoformat(cutoff):
                raise DeadlinePassed(
                    f"the deadline of {assignment} was {release.deadline} (UTC) and late "
                    f"submissions are {'closed since ' + cutoff if cutoff else 'not accepted'}; "
                    "ask your instructor"
                )
            late = True
        submission_id = f"{moment.astimezone(UTC):%Y%m%dT%H%M%S.%fZ}-{secrets.token_hex(4)}"
        folder = self._submission_dir(course, student, assignment, submission_id)
        self._write_folder(folder, files)
        receipt = Receipt(
            id=submission_id,
            course=course,
            assignment=assignment,
            student=student,
            submitted_at=iso(moment),
            sha256=digest(files),
            size=sum(len(content) for content in files.values()),
            late=late,
            files={name: hashlib.sha256(files[name]).hexdigest() for name in sorted(files)},
        )
        with self.connection() as db:
            db.execute(
                "INSERT INTO submissions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    receipt.id,
                    course,
                    assignment,
                    student,
                    receipt.submitted_at,
                    receipt.sha256,
                    receipt.size,
                    int(late),
                    json.dumps(receipt.files),
                ),
            )
        return receipt

    def _submission_dir(self, course: str, student: str, assignment: str, sid: str) -> Path:
        return self.root / "courses" / course / "submissions" / student / assignment / sid

    def submissions(
        self, course: str, assignment: str | None = None, student: str | None = None
    ) -> list[Receipt]:
        """Receipts in submission order, filtered by assignment and trainee; the caller
        decides whose a person may list."""
        query = "SELECT * FROM submissions WHERE course = ?"
        params: list[str] = [course]
        if assignment:
            query += " AND assignment = ?"
            params.append(assignment)
        if student:
            query += " AND student = ?"
            params.append(student)
        with self.connection() as db:
            rows = db.execute(query + " ORDER BY submitted_at, id", params).fetchall()
        return [_receipt_of(row) for row in rows]

    def submission(self, submission_id: str) -> Receipt:
        """One receipt by id (what collect and feedback name); NotFound if there is none."""
        with self.connection() as db:
            row = db.execute("SELECT * FROM submissions WHERE id = ?", (submission_id,)).fetchone()
        if row is None:
            raise NotFound(f"no submission {submission_id}")
        return _receipt_of(row)

    def submission_files(self, receipt: Receipt) -> Files:
        """The files exactly as submitted (their hashes are on the receipt), for collect."""
        folder = self._submission_dir(
            receipt.course, receipt.student, receipt.assignment, receipt.id
        )
        return self._read_folder(folder, list(receipt.files))

    # -- feedback ------------------------------------------------------------------------

    def release_feedback(self, receipt: Receipt, notebook: str, html: bytes, by: str) -> int:
        """Keep one notebook's feedback on a submission as a new file and row; returns its id.

        Feedback released again is added, not overwritten: the trainee reads the latest, and
        what was shown before stays on record.
        """
        check_id(notebook, "notebook")
        now = self.clock()
        folder = self.root / "courses" / receipt.course / "feedback" / receipt.student
        name = f"{receipt.id}--{notebook}--{now:%Y%m%dT%H%M%S%f}-{secrets.token_hex(3)}.html"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / name
        with open(path, "xb") as handle:  # "x": never over an existing file
            handle.write(html)
        with self.connection() as db:
            cursor = db.execute(
                "INSERT INTO feedback (submission, notebook, released_at, released_by, sha256, "
                "path) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    receipt.id,
                    notebook,
                    iso(now),
                    by,
                    hashlib.sha256(html).hexdigest(),
                    str(path.relative_to(self.root)),
                ),
            )
            return int(cursor.lastrowid)

    def feedback(
        self, course: str, student: str, assignment: str | None = None
    ) -> list[dict[str, str]]:
        """The latest feedback of each notebook of each of the trainee's submissions (ids,
        not content: the HTML is fetched one file at a time through ``feedback_file``)."""
        query = (
            "SELECT f.*, s.assignment, s.submitted_at FROM feedback f "
            "JOIN submissions s ON s.id = f.submission "
            "WHERE s.course = ? AND s.student = ?"
        )
        params = [course, student]
        if assignment:
            query += " AND s.assignment = ?"
            params.append(assignment)
        with self.connection() as db:
            rows = db.execute(query + " ORDER BY f.id", params).fetchall()
        latest: dict[tuple[str, str], dict[str, str]] = {}
        for row in rows:
            latest[(row["submission"], row["notebook"])] = {
                "id": str(row["id"]),
                "submission": row["submission"],
                "assignment": row["assignment"],
                "submitted_at": row["submitted_at"],
                "notebook": row["notebook"],
                "released_at": row["released_at"],
                "sha256": row["sha256"],
            }
        return list(latest.values())

    def feedback_file(self, feedback_id: int) -> tuple[str, str, bytes]:
        """(course, trainee, html) of one feedback file, for the caller to authorise."""
        with self.connection() as db:
            row = db.execute(
                "SELECT f.path, s.course, s.student FROM feedback f "
                "JOIN submissions s ON s.id = f.submission WHERE f.id = ?",
                (feedback_id,),
            ).fetchone()
        if row is None:
            raise NotFound(f"no feedback {feedback_id}")
        return row["course"], row["student"], (self.root / row["path"]).read_bytes()


def _release_of(row: sqlite3.Row) -> Release:
    return Release(
        row["course"],
        row["assignment"],
        row["version"],
        row["released_at"],
        row["released_by"],
        row["deadline"],
        row["late_until"],
        json.loads(row["files"]),
    )


def _receipt_of(row: sqlite3.Row) -> Receipt:
    return Receipt(
        id=row["id"],
        course=row["course"],
        assignment=row["assignment"],
        student=row["student"],
        submitted_at=row["submitted_at"],
        sha256=row["sha256"],
        size=row["size"],
        late=bool(row["late"]),
        files=json.loads(row["files"]),
    )
