"""A workshop's results, carried back to the central hub as one signed file.

The bundle is a tar of: gradebooks, the exchange (submissions and the index that holds their
receipts), the issued certificates with the workshop issuer's public key set and status list,
and the logs, with a MANIFEST signed like the kit's. The central hub keeps each workshop's
files under STATE/workshops/<workshop>/ and each certificate once under
STATE/workshops/certificates/<id>.json: importing the same bundle twice adds nothing, and a
file that differs from what an earlier import brought is reported, never overwritten.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import tarfile
import tempfile
import time
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from . import signing
from .errors import KitError, KitTampered
from .manifest import MANIFEST, PUBLIC_KEY, SIGNATURE, UNLISTED, file_sha256, write_manifest
from .verify import verify_kit

ABOUT = "workshop.json"
CERTIFICATES = "certificates.jsonl"
SIGNED_BY = "signed-by.txt"  # the fingerprint of the key a workshop's first import came from


def export_results(state: Path, out: Path, workshop: str, key: Ed25519PrivateKey) -> Path:
    """Write the signed bundle of the workshop whose state dir is `state` to `out` (.tar)."""
    with tempfile.TemporaryDirectory(prefix="ungp-results-") as work:
        root = Path(work) / "bundle"
        root.mkdir()
        for gradebook in sorted((state / "courses").glob("*/gradebook.db")):
            _copy_sqlite(gradebook, root / "gradebooks" / f"{gradebook.parent.name}.db")
        exchange = state / "exchange"
        if exchange.is_dir():
            shutil.copytree(exchange, root / "exchange", ignore=shutil.ignore_patterns("*.sqlite*"))
            for index in exchange.glob("*.sqlite"):
                _copy_sqlite(index, root / "exchange" / index.name)
        issuer = _export_certificates(state / "certification", root)
        if (state / "logs").is_dir():
            shutil.copytree(state / "logs", root / "logs")
        about = {"workshop": workshop, "exported_at": _now(), "issuer": issuer}
        (root / ABOUT).write_text(json.dumps(about, indent=2) + "\n")
        write_manifest(root)
        (root / SIGNATURE).write_bytes(signing.sign(key, (root / MANIFEST).read_bytes()))
        (root / PUBLIC_KEY).write_bytes(signing.public_pem(key))
        out.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(out, "w") as tar:
            for path in sorted(root.rglob("*")):
                tar.add(path, arcname=path.relative_to(root).as_posix(), recursive=False)
    return out


def _export_certificates(certification: Path, root: Path) -> str | None:
    registry = certification / "registry.sqlite"
    keys = certification / "keys" / "issuer-keys.json"
    if not registry.exists() or not keys.exists():
        return None
    from ungp_credentials.keys import IssuerKeyStore

    store = IssuerKeyStore(certification / "keys")
    (root / "issuer").mkdir()
    (root / "issuer" / "key-set.json").write_text(json.dumps(store.key_set(), indent=2) + "\n")
    status = certification / "status" / "1.json"
    if status.exists():
        shutil.copy2(status, root / "issuer" / "status-1.json")
    with _read_only(registry) as db:
        rows = db.execute("SELECT * FROM credentials ORDER BY id").fetchall()
    lines = [json.dumps(dict(row), sort_keys=True, ensure_ascii=False) + "\n" for row in rows]
    (root / CERTIFICATES).write_text("".join(lines))
    return store.controller


@dataclass
class ImportReport:
    workshop: str
    fingerprint: str
    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    certificates_added: int = 0
    certificates_verified: int = 0
    certificates_failed: list[str] = field(default_factory=list)


TRUST_HOW = (
    "add it to certification.trusted_workshop_keys in the settings, or pass it with "
    '--expect-key "FINGERPRINT".'
)


def import_results(bundle: Path, state: Path, trusted: Collection[str]) -> ImportReport:
    """Check the bundle whole, then merge it into the central state dir (idempotent).

    `trusted` are the workshop keys' fingerprints the admin pinned: the bundle carries its own
    public key and issuer key set, so without a pin any bundle would make this hub's public
    page call its certificates valid.
    """
    with tempfile.TemporaryDirectory(prefix="ungp-import-") as work:
        root = Path(work)
        _extract(bundle, root)
        try:
            fingerprint = verify_kit(
                root, trusted, what=f"bundle {bundle.name}", how_to_trust=TRUST_HOW
            )
        except KitTampered as error:
            raise KitTampered([f"{bundle.name}: {p}" for p in error.problems]) from None
        about = json.loads((root / ABOUT).read_text())
        workshop = _safe_name(about["workshop"])
        report = ImportReport(workshop, fingerprint)
        target = state / "workshops" / workshop
        _claim(target, workshop, fingerprint)
        for path in sorted(root.rglob("*")):
            name = path.relative_to(root).as_posix()
            if not path.is_file() or name in UNLISTED or name in (ABOUT, SIGNED_BY):
                continue
            _merge_file(path, target / name, name, report)
        if (root / CERTIFICATES).exists():
            _merge_certificates(root, state / "workshops" / "certificates", workshop, report)
        if not (target / ABOUT).exists():
            shutil.copy2(root / ABOUT, target / ABOUT)
    return report


def _claim(target: Path, workshop: str, fingerprint: str) -> None:
    """A workshop's folder belongs to the key of its first import: another pinned key cannot
    add files (an issuer key set, certificates) under a workshop name it did not sign first."""
    signer = target / SIGNED_BY
    if not signer.exists():
        target.mkdir(parents=True, exist_ok=True)
        signer.write_text(fingerprint + "\n")
    elif signing.plain(signer.read_text()) != signing.plain(fingerprint):
        raise KitError(
            f"workshop {workshop} was imported from key {signer.read_text().strip()}, but this "
            f"bundle is signed by key {fingerprint}: nothing was imported. Ask the workshop "
            "organiser which is right; a bundle of another workshop needs its own name."
        )


def _merge_file(source: Path, target: Path, name: str, report: ImportReport) -> None:
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
        report.added.append(name)
    elif file_sha256(target) == file_sha256(source):
        report.unchanged.append(name)
    else:
        report.conflicts.append(f"{name}: differs from the copy an earlier import brought")


def _merge_certificates(root: Path, folder: Path, workshop: str, report: ImportReport) -> None:
    from ungp_credentials.verify import verify_credential

    key_set = json.loads((root / "issuer" / "key-set.json").read_text())
    status_path = root / "issuer" / "status-1.json"
    status_lists = [json.loads(status_path.read_text())] if status_path.exists() else []
    folder.mkdir(parents=True, exist_ok=True)
    for line in (root / CERTIFICATES).read_text().splitlines():
        row = json.loads(line)
        record = {"workshop": workshop, **row}
        path = folder / f"{_safe_name(row['id'])}.json"
        if path.exists():
            if json.loads(path.read_text()) != record:
                report.conflicts.append(f"certificate {row['id']}: differs from the one imported")
            continue
        result = verify_credential(row["document"], key_set, status_lists)
        if not result.valid:
            report.certificates_failed.append(f"{row['id']}: {'; '.join(result.reasons)}")
            continue
        path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
        report.certificates_added += 1
    report.certificates_verified = verify_imported(folder.parent.parent).count(True)


def verify_imported(state: Path) -> list[bool]:
    """Verify every imported certificate with its workshop's published keys, as the central
    hub's verification page does."""
    from ..certification.imported import ImportedCertificates

    imported = ImportedCertificates(state)
    results = [imported.verify(record["document"]) for record in imported.records()]
    return [result is not None and result.valid for result in results]


def _extract(bundle: Path, root: Path) -> None:
    try:
        with tarfile.open(bundle) as tar:
            for member in tar.getmembers():
                name = member.name
                if (
                    name.startswith("/")
                    or ".." in Path(name).parts
                    or not (member.isfile() or member.isdir())
                ):
                    raise KitTampered([f"{bundle.name}: unsafe member {name!r}"])
            # Members are checked above; the "data" filter also exists from Python 3.11.4 on.
            if hasattr(tarfile, "data_filter"):
                tar.extractall(root, filter="data")
            else:
                tar.extractall(root)  # noqa: S202
    except (tarfile.TarError, OSError) as error:
        raise KitError(f"{bundle} is not a readable results bundle: {error}") from None


@contextmanager
def _read_only(path: Path) -> Iterator[sqlite3.Connection]:
    db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    try:
        yield db
    finally:
        db.close()


def _copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a database the hub may be writing (SQLite's backup API)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with _read_only(source) as db, sqlite3.connect(target) as copy:
        db.backup(copy)
    copy.close()


def _safe_name(text: str) -> str:
    cleaned = "".join(
        c if c.isalnum() or c in "-_." else "-" for c in text.removeprefix("urn:uuid:")
    )
    if not cleaned.strip(".-"):
        raise KitError(f"{text!r} is not usable as a name")
    return cleaned


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
