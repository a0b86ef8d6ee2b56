"""The kit's bash ``install`` checks a kit with the machine's own gpgv, against a pinned key.

The script runs for real (``--check-only`` stops it after the check, before anything is
written), on a small signed kit with traps (tests/hostile_kit.py). test_usb_kit_check.py runs
the same check on a bare Debian 12, which has no openssl.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from importlib import resources
from pathlib import Path

import pytest
from hostile_kit import hostile_kit
from ungp_hub.usb import openpgp, signing
from ungp_hub.usb.manifest import MANIFEST, OPENPGP_KEY, OPENPGP_SIGNATURE, sign_kit

TOOLS_NEEDED = (
    "bash env sed base64 od tr tail sha256sum sha1sum cut awk gpgv mktemp rm find sort comm "
    "dirname cat echo head grep"
).split()


@pytest.fixture
def marker(tmp_path) -> Path:
    return tmp_path / "a-kit-program-ran"


@pytest.fixture
def key(tmp_path):
    return signing.signing_key(tmp_path / "secrets")


@pytest.fixture
def kit(tmp_path, key, marker) -> Path:
    return hostile_kit(tmp_path, key, marker)


@pytest.fixture
def system_path(tmp_path) -> str:
    """A PATH with the tools the check needs and no openssl (a bare Debian has none), then the
    kit's own folders, as a careless caller's PATH might have them."""
    tools = tmp_path / "system-bin"
    tools.mkdir()
    for name in TOOLS_NEEDED:
        (tools / name).symlink_to(shutil.which(name))
    return f"{tools}"


def run_install(kit: Path, *args: str, path: str, state: Path) -> subprocess.CompletedProcess:
    env = {"PATH": f"{kit}/bin:{kit}:{path}", "UNGP_STATE_DIR": str(state), "HOME": str(state)}
    return subprocess.run(
        [shutil.which("bash"), str(kit / "install"), *args],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


def test_a_pinned_kit_is_checked_with_the_systems_gpgv_and_no_kit_program_runs(
    kit, key, marker, system_path, tmp_path
):
    fingerprint = signing.fingerprint(signing.public_pem(key))
    state = tmp_path / "state"
    result = run_install(
        kit, "--check-only", "--expect-key", fingerprint, path=system_path, state=state
    )
    assert result.returncode == 0, result.stderr
    assert f"kit signed by key {fingerprint}" in result.stderr
    assert "kit verified" in result.stderr
    assert not marker.exists(), marker.read_text()
    assert not state.exists()  # --check-only writes nothing


def test_without_a_pinned_key_and_no_one_to_ask_nothing_is_installed(
    kit, key, marker, system_path, tmp_path
):
    state = tmp_path / "state"
    result = run_install(kit, path=system_path, state=state)
    assert result.returncode == 1
    assert signing.fingerprint(signing.public_pem(key)) in result.stderr
    assert "--expect-key" in result.stderr and "Nothing was installed" in result.stderr
    assert not state.exists() and not marker.exists()


def test_a_kit_resigned_by_another_key_is_refused(kit, key, marker, system_path, tmp_path):
    organiser = signing.fingerprint(signing.public_pem(key))
    (kit / "images" / "TAGS").write_text("ungp_hub_abc.tar.zst evil/hub:abc\n")
    sign_kit(kit, signing.signing_key(tmp_path / "attacker"))
    result = run_install(kit, "--expect-key", organiser, path=system_path, state=tmp_path / "state")
    assert result.returncode == 1
    assert f"not by the organiser's key {organiser}" in result.stderr
    assert not (tmp_path / "state").exists() and not marker.exists()


def test_the_organisers_public_key_with_another_keys_openpgp_signature_is_refused(
    kit, key, marker, system_path, tmp_path
):
    """MANIFEST.pub is the organiser's (so the fingerprint matches) but MANIFEST is changed and
    signed in OpenPGP by another key, whose keyring also holds the organiser's key."""
    attacker = signing.signing_key(tmp_path / "attacker")
    (kit / "images" / "TAGS").write_text("ungp_hub_abc.tar.zst evil/hub:abc\n")
    organiser_pem = (kit / "MANIFEST.pub").read_bytes()
    sign_kit(kit, attacker)
    (kit / "MANIFEST.pub").write_bytes(organiser_pem)
    keyring = openpgp.public_key(key) + openpgp.public_key(attacker)
    (kit / OPENPGP_KEY).write_bytes(keyring)
    fingerprint = signing.fingerprint(organiser_pem)
    result = run_install(
        kit, "--expect-key", fingerprint, path=system_path, state=tmp_path / "state"
    )
    assert result.returncode == 1
    assert "MANIFEST: its signature does not verify" in result.stderr
    assert not (tmp_path / "state").exists() and not marker.exists()


def test_a_changed_file_is_named_after_the_signature_checks(
    kit, key, marker, system_path, tmp_path
):
    (kit / "images" / "TAGS").write_text("ungp_hub_abc.tar.zst evil/hub:abc\n")
    result = run_install(
        kit,
        "--expect-key",
        signing.fingerprint(signing.public_pem(key)),
        path=system_path,
        state=tmp_path / "state",
    )
    assert result.returncode == 1
    assert "images/TAGS: FAILED" in result.stderr
    assert not (tmp_path / "state").exists() and not marker.exists()


def test_gpgv_reports_the_openpgp_fingerprint_the_installer_computes(kit, key, tmp_path):
    """What an admin can also do by hand: `gpgv` prints the key's OpenPGP fingerprint, which
    `ungp usb public-key` and `ungp usb build` print next to the kit fingerprint."""
    home = tmp_path / "gnupg"
    home.mkdir()
    command = [
        "gpgv",
        "--homedir",
        str(home),
        "--status-fd",
        "1",
        "--keyring",
        str(kit / OPENPGP_KEY),
        OPENPGP_SIGNATURE,
        MANIFEST,
    ]
    checked = subprocess.run(command, cwd=kit, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert f"VALIDSIG {openpgp.fingerprint(key)} " in checked.stdout
    data = bytearray((kit / MANIFEST).read_bytes())
    data[3] ^= 0x01
    (kit / MANIFEST).write_bytes(bytes(data))
    assert subprocess.run(command, cwd=kit, capture_output=True).returncode != 0


def test_the_install_script_never_names_a_program_inside_the_kit():
    """Every command the script runs comes from PATH, which it sets to the system's folders."""
    script = (resources.files("ungp_hub.usb") / "kit" / "install").read_text()
    assert "export PATH=/usr/sbin:/usr/bin:/sbin:/bin\n" in script
    assert "openssl" not in script


def test_ungp_usb_install_without_a_key_and_no_one_to_ask_runs_nothing(kit, key, marker):
    from click.testing import CliRunner
    from ungp_hub.cli.main import main

    runner = CliRunner()
    unpinned = runner.invoke(main, ["usb", "install", str(kit)])
    assert unpinned.exit_code == 2
    assert signing.fingerprint(signing.public_pem(key)) in unpinned.output
    assert "--expect-key" in unpinned.output

    wrong = runner.invoke(main, ["usb", "install", str(kit), "--expect-key", "ab12" * 8])
    assert wrong.exit_code == 1 and "does not trust" in wrong.output
    assert "Traceback" not in wrong.output and not marker.exists()


def test_public_key_prints_both_fingerprints_of_the_signing_key(tmp_path):
    from click.testing import CliRunner
    from ungp_hub.cli.main import main

    (tmp_path / "s.yaml").write_text(f"hub:\n  state_dir: {tmp_path / 'state'}\n")
    shown = CliRunner().invoke(main, ["usb", "public-key", "--settings", str(tmp_path / "s.yaml")])
    assert shown.exit_code == 0, shown.output
    key = signing.signing_key(tmp_path / "state" / "secrets")
    assert f"fingerprint: {signing.fingerprint(signing.public_pem(key))}\n" in shown.output
    assert f"(what gpgv prints for a kit): {openpgp.fingerprint(key)}\n" in shown.output


@pytest.mark.parametrize(("answer", "code"), [("y", 0), ("n", 1), ("", 1)])
def test_at_a_terminal_the_kit_key_is_shown_and_must_be_confirmed(
    kit, key, marker, tmp_path, answer, code
):
    """No --expect-key, a person at the keyboard (a pseudo-terminal): only "y" goes on."""
    import pty

    controller, terminal = pty.openpty()
    with subprocess.Popen(
        [shutil.which("bash"), str(kit / "install"), "--check-only"],
        stdin=terminal,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={"PATH": "/usr/bin:/bin", "UNGP_STATE_DIR": str(tmp_path / "state")},
    ) as process:
        os.write(controller, f"{answer}\n".encode())
        _, stderr = process.communicate(timeout=60)
    os.close(controller)
    os.close(terminal)
    assert process.returncode == code, stderr
    assert signing.fingerprint(signing.public_pem(key)) in stderr
    assert "Is this exactly the fingerprint the organiser gave you" in stderr
    assert ("kit verified" in stderr) is (code == 0)
    assert not marker.exists() and not (tmp_path / "state").exists()
