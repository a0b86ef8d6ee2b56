"""Results bundles: signed, tamper-evident, and imported once however often they arrive."""

from __future__ import annotations

import json
import sqlite3
import tarfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from ungp_credentials.openbadges import Achievement, ExamEvidence, Issuer, OpenBadgeCredential
from ungp_credentials.status_list import StatusEntry
from ungp_hub.certification.issuing import Certifier
from ungp_hub.usb import signing
from ungp_hub.usb.errors import KitError, KitTampered, UntrustedKey
from ungp_hub.usb.results import export_results, import_results, verify_imported

CREDENTIAL_ID = "0b7ec7c2-5f0e-4c55-9a4e-2f7d1c3b9a10"


def issue_certificate(certifier: Certifier, candidate: str, index: int) -> None:
    issued = datetime.now(UTC) - timedelta(hours=1)
    badge = OpenBadgeCredential(
        issuer=Issuer(certifier.issuer_id, "Workshop hub"),
        achievement=Achievement(
            id="https://workshop.example/tracks/cpi",
            name="Scanner-data CPI practitioner",
            description="Computes multilateral price indices from scanner data.",
            criteria_narrative="Pass the final exam.",
        ),
        subject_id=f"urn:ungp:trainee:{candidate}",
        valid_from=issued,
        valid_until=issued + timedelta(days=700),
        evidence=[ExamEvidence("x3-scanner-cpi", 81.0, 70, "ab" * 32, 100)],
        status=StatusEntry(certifier.status_list_url, index),
        id=f"urn:uuid:{CREDENTIAL_ID}",
    )
    key = certifier.keys.current()
    document = badge.sign(key.private_key, key.id, created=issued)
    certifier.registry.add_credential(
        CREDENTIAL_ID,
        candidate,
        "Ada Lovelace",
        "cpi",
        issued.isoformat(),
        (issued + timedelta(days=700)).isoformat(),
        index,
        None,
        document,
    )
    certifier.publish_status_list()


@pytest.fixture
def workshop(tmp_path) -> Path:
    """A workshop hub's state dir: a gradebook, a submission, a certificate, a log."""
    state = tmp_path / "workshop-state"
    (state / "courses" / "m3-cpi").mkdir(parents=True)
    with sqlite3.connect(state / "courses" / "m3-cpi" / "gradebook.db") as db:
        db.execute("CREATE TABLE grade (student TEXT, score REAL)")
        db.execute("INSERT INTO grade VALUES ('ada', 9.5)")
    submission = state / "exchange" / "courses" / "m3-cpi" / "submissions" / "ada" / "a1" / "s1"
    submission.mkdir(parents=True)
    (submission / "a1.ipynb").write_text('{"cells": []}')
    with sqlite3.connect(state / "exchange" / "index.sqlite") as db:
        db.execute("CREATE TABLE submissions (id TEXT, sha256 TEXT)")
        db.execute("INSERT INTO submissions VALUES ('s1', 'cafe')")
    (state / "logs").mkdir()
    (state / "logs" / "jupyterhub.log").write_text("started\n")
    certifier = Certifier(state / "certification", "https://10.0.0.5", "Workshop hub")
    certifier.install()
    issue_certificate(certifier, "ada", 3)
    return state


@pytest.fixture
def bundle(workshop, tmp_path) -> Path:
    key = signing.signing_key(workshop / "secrets")
    return export_results(workshop, tmp_path / "results.tar", "accra-2026-11", key)


@pytest.fixture
def pinned(workshop) -> list[str]:
    """The workshop key's fingerprint, as the central admin pins it."""
    return [fingerprint_of(workshop)]


def test_the_bundle_holds_gradebooks_submissions_certificates_and_logs(bundle):
    with tarfile.open(bundle) as tar:
        names = set(tar.getnames())
    assert {
        "gradebooks/m3-cpi.db",
        "exchange/index.sqlite",
        "certificates.jsonl",
        "issuer/key-set.json",
        "issuer/status-1.json",
        "logs/jupyterhub.log",
        "exchange/courses/m3-cpi/submissions/ada/a1/s1/a1.ipynb",
        "MANIFEST",
        "MANIFEST.sig",
        "MANIFEST.pub",
        "workshop.json",
    } <= names


def test_import_is_idempotent_and_the_certificates_verify_centrally(bundle, pinned, tmp_path):
    central = tmp_path / "central"
    first = import_results(bundle, central, pinned)
    assert first.workshop == "accra-2026-11"
    assert first.certificates_added == 1 and first.certificates_verified == 1
    assert "gradebooks/m3-cpi.db" in first.added and not first.conflicts
    copied = central / "workshops" / "accra-2026-11" / "gradebooks" / "m3-cpi.db"
    with sqlite3.connect(copied) as db:
        assert db.execute("SELECT score FROM grade WHERE student = 'ada'").fetchone() == (9.5,)

    again = import_results(bundle, central, pinned)
    assert again.added == [] and again.certificates_added == 0 and again.conflicts == []
    assert sorted(again.unchanged) == sorted(first.added)
    assert len(list((central / "workshops" / "certificates").glob("*.json"))) == 1
    assert verify_imported(central) == [True]


def test_a_changed_later_bundle_reports_conflicts_and_keeps_the_first(workshop, pinned, tmp_path):
    key = signing.signing_key(workshop / "secrets")
    central = tmp_path / "central"
    import_results(export_results(workshop, tmp_path / "one.tar", "w1", key), central, pinned)
    (workshop / "logs" / "jupyterhub.log").write_text("started\nchanged later\n")
    report = import_results(
        export_results(workshop, tmp_path / "two.tar", "w1", key), central, pinned
    )
    assert report.conflicts == [
        "logs/jupyterhub.log: differs from the copy an earlier import brought"
    ]
    kept = central / "workshops" / "w1" / "logs" / "jupyterhub.log"
    assert kept.read_text() == "started\n"


def test_a_tampered_bundle_is_refused_and_named(bundle, pinned, tmp_path):
    work = tmp_path / "unpacked"
    with tarfile.open(bundle) as tar:
        tar.extractall(work, filter="data")
    lines = (work / "certificates.jsonl").read_text().replace("Ada Lovelace", "Eve Mallory")
    (work / "certificates.jsonl").write_text(lines)
    forged = tmp_path / "forged.tar"
    with tarfile.open(forged, "w") as tar:
        for path in sorted(work.rglob("*")):
            tar.add(path, arcname=path.relative_to(work).as_posix(), recursive=False)
    central = tmp_path / "central"
    with pytest.raises(KitTampered) as caught:
        import_results(forged, central, pinned)
    assert caught.value.problems == [
        "forged.tar: certificates.jsonl: altered (its sha256 differs from the manifest)"
    ]
    assert not (central / "workshops").exists()


def test_a_forged_certificate_inside_a_signed_bundle_does_not_verify(workshop, pinned, tmp_path):
    registry = workshop / "certification" / "registry.sqlite"
    with sqlite3.connect(registry) as db:
        document = json.loads(db.execute("SELECT document FROM credentials").fetchone()[0])
        document["credentialSubject"]["id"] = "urn:ungp:trainee:eve"
        db.execute("UPDATE credentials SET document = ?", (json.dumps(document),))
    key = signing.signing_key(workshop / "secrets")
    bundle = export_results(workshop, tmp_path / "b.tar", "w2", key)
    report = import_results(bundle, tmp_path / "c", pinned)
    assert report.certificates_added == 0
    assert len(report.certificates_failed) == 1 and CREDENTIAL_ID in report.certificates_failed[0]


def test_cli_round_trip_export_then_import_twice(workshop, tmp_path):
    from click.testing import CliRunner
    from ungp_hub.cli.main import main

    (tmp_path / "w.yaml").write_text(f"hub:\n  state_dir: {workshop}\n")
    (tmp_path / "c.yaml").write_text(f"hub:\n  state_dir: {tmp_path / 'central'}\n")
    bundle = tmp_path / "out.tar"
    runner = CliRunner()
    exported = runner.invoke(
        main,
        [
            "usb",
            "export-results",
            "--settings",
            str(tmp_path / "w.yaml"),
            "--workshop",
            "lima",
            "--out",
            str(bundle),
        ],
    )
    assert exported.exit_code == 0, exported.output
    fingerprint = exported.output.split("signed by key ")[1].strip()
    for _ in range(2):
        imported = runner.invoke(
            main,
            [
                "results",
                "import",
                "--settings",
                str(tmp_path / "c.yaml"),
                str(bundle),
                "--expect-key",
                fingerprint,
            ],
        )
        assert imported.exit_code == 0, imported.output
    assert "0 added; 1 imported certificates verify" in imported.output
    refused = runner.invoke(
        main,
        [
            "results",
            "import",
            "--settings",
            str(tmp_path / "c.yaml"),
            str(bundle),
            "--expect-key",
            "0000",
        ],
    )
    assert refused.exit_code == 1 and "does not trust" in refused.output


def test_the_central_verification_page_vouches_for_imported_workshop_certificates(
    bundle, pinned, tmp_path
):
    """A verifier checks a workshop's certificate at the central hub, by id or by upload."""
    import requests
    from ungp_hub.certification.service import Context, make_app
    from ungp_hub.testing.threaded_app import serving

    central = tmp_path / "central"
    certifier = Certifier(central / "certification", "https://hub.example.org", "Central hub")
    certifier.install()
    ctx = Context(certifier, None, None, frozenset())
    prefix = "/services/certification/"
    with serving(lambda: make_app(ctx, prefix), prefix) as base:
        before = requests.get(f"{base}verify/{CREDENTIAL_ID}", timeout=30)
        assert before.status_code == 404

        import_results(bundle, central, pinned)
        document = json.loads(
            (central / "workshops" / "certificates" / f"{CREDENTIAL_ID}.json").read_text()
        )["document"]
        by_id = requests.get(f"{base}verify/{CREDENTIAL_ID}", timeout=30)
        assert by_id.status_code == 200
        assert 'id="verdict">VALID' in by_id.text and "workshop accra-2026-11" in by_id.text
        as_json = requests.get(
            f"{base}verify/{CREDENTIAL_ID}", headers={"Accept": "application/json"}, timeout=30
        )
        assert as_json.json()["valid"] is True

        uploaded = requests.post(
            f"{base}verify/", files={"credential": ("c.json", document)}, timeout=30
        )
        assert 'id="verdict">VALID' in uploaded.text
        forged = json.loads(document)
        forged["credentialSubject"]["name"] = "Mallory"
        refused = requests.post(
            f"{base}verify/", files={"credential": ("c.json", json.dumps(forged))}, timeout=30
        )
        assert 'id="verdict">INVALID' in refused.text


def fingerprint_of(workshop: Path) -> str:
    return signing.fingerprint(signing.public_pem(signing.signing_key(workshop / "secrets")))


def test_a_bundle_from_a_key_the_hub_does_not_trust_is_refused(tmp_path, workshop):
    """A bundle is self-consistent whoever signs it: only a pinned key makes it importable."""
    stranger = signing.signing_key(tmp_path / "stranger-secrets")
    forged = export_results(workshop, tmp_path / "forged.tar", "accra-2026-11", stranger)
    central = tmp_path / "central"
    for trusted in ([], [fingerprint_of(workshop)]):
        with pytest.raises(UntrustedKey) as caught:
            import_results(forged, central, trusted)
        stranger_print = signing.fingerprint(signing.public_pem(stranger))
        assert stranger_print in str(caught.value)
        assert "certification.trusted_workshop_keys" in str(caught.value)
        assert "--expect-key" in str(caught.value)
    assert not (central / "workshops").exists()


def test_a_bundle_from_a_pinned_key_is_imported_whatever_the_spacing_or_case(bundle, workshop):
    pinned = fingerprint_of(workshop).upper().replace(" ", "")
    report = import_results(bundle, workshop.parent / "central", ["ffff " * 8, pinned])
    assert report.certificates_added == 1 and report.fingerprint == fingerprint_of(workshop)


def test_cli_import_trusts_the_keys_in_settings_and_refuses_others(bundle, workshop, tmp_path):
    from click.testing import CliRunner
    from ungp_hub.cli.main import main

    settings = tmp_path / "c.yaml"
    settings.write_text(f"hub:\n  state_dir: {tmp_path / 'central'}\n")
    runner = CliRunner()
    refused = runner.invoke(main, ["results", "import", "--settings", str(settings), str(bundle)])
    assert refused.exit_code == 1
    assert "does not trust" in refused.output and "Traceback" not in refused.output
    assert not (tmp_path / "central" / "workshops").exists()

    settings.write_text(
        f"hub:\n  state_dir: {tmp_path / 'central'}\n"
        f"certification:\n  trusted_workshop_keys: ['{fingerprint_of(workshop)}']\n"
    )
    imported = runner.invoke(main, ["results", "import", "--settings", str(settings), str(bundle)])
    assert imported.exit_code == 0, imported.output
    assert "1 added; 1 imported certificates verify" in imported.output


def test_a_malformed_trusted_key_in_settings_is_named(tmp_path):
    from ungp_hub.settings import SettingsError, load_settings

    path = tmp_path / "s.yaml"
    path.write_text("certification:\n  trusted_workshop_keys: ['not a fingerprint']\n")
    with pytest.raises(SettingsError, match="trusted_workshop_keys"):
        load_settings(path, environ={})


def test_a_second_pinned_key_cannot_add_to_a_workshop_another_key_imported(
    bundle, workshop, pinned, tmp_path
):
    central = tmp_path / "central"
    import_results(bundle, central, pinned)
    other = signing.signing_key(tmp_path / "other-secrets")
    (workshop / "logs" / "extra.log").write_text("planted\n")
    same_name = export_results(workshop, tmp_path / "other.tar", "accra-2026-11", other)
    both = [*pinned, signing.fingerprint(signing.public_pem(other))]
    with pytest.raises(KitError, match="was imported from key"):
        import_results(same_name, central, both)
    assert not (central / "workshops" / "accra-2026-11" / "logs" / "extra.log").exists()
    signed_by = central / "workshops" / "accra-2026-11" / "signed-by.txt"
    assert signed_by.read_text() == pinned[0] + "\n"
