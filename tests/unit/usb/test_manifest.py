"""The kit's manifest and its signature: every altered, missing or added file is named."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest
from ungp_hub.usb import signing
from ungp_hub.usb.errors import KitTampered, UntrustedKey
from ungp_hub.usb.manifest import MANIFEST, PUBLIC_KEY, SIGNATURE, read_manifest, write_manifest
from ungp_hub.usb.verify import verify_kit


def make_kit(root: Path, secrets: Path) -> Path:
    kit = root / "kit"
    (kit / "images").mkdir(parents=True)
    (kit / "debs").mkdir()
    (kit / "images" / "ungp_user_abc.tar.zst").write_bytes(bytes(range(256)) * 64)
    (kit / "debs" / "zstd_1.5.4_amd64.deb").write_bytes(b"deb" * 100)
    (kit / "install").write_text("#!/bin/bash\necho hi\n")
    key = signing.signing_key(secrets)
    write_manifest(kit)
    (kit / SIGNATURE).write_bytes(signing.sign(key, (kit / MANIFEST).read_bytes()))
    (kit / PUBLIC_KEY).write_bytes(signing.public_pem(key))
    return kit


@pytest.fixture
def kit(tmp_path) -> Path:
    return make_kit(tmp_path, tmp_path / "secrets")


@pytest.fixture
def organiser(tmp_path) -> list[str]:
    """The organiser key's fingerprint, as the installer pins it."""
    return [signing.fingerprint(signing.public_pem(signing.signing_key(tmp_path / "secrets")))]


def flip_byte(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def test_manifest_lists_every_file_with_its_sha256_in_sha256sum_format(kit):
    entries = read_manifest(kit)
    assert set(entries) == {"images/ungp_user_abc.tar.zst", "debs/zstd_1.5.4_amd64.deb", "install"}
    for name, digest in entries.items():
        assert digest == hashlib.sha256((kit / name).read_bytes()).hexdigest()
    # coreutils agrees, which is what the bash installer relies on
    result = subprocess.run(["sha256sum", "--quiet", "-c", MANIFEST], cwd=kit)
    assert result.returncode == 0


def test_a_whole_kit_verifies_and_reports_the_key_fingerprint(kit, organiser):
    (fingerprint,) = organiser
    assert verify_kit(kit, organiser) == fingerprint
    assert verify_kit(kit, [fingerprint.upper().replace(" ", "")]) == fingerprint


def test_a_flipped_byte_names_the_file(kit, organiser):
    flip_byte(kit / "images" / "ungp_user_abc.tar.zst", 1000)
    with pytest.raises(KitTampered) as caught:
        verify_kit(kit, organiser)
    assert caught.value.problems == [
        "images/ungp_user_abc.tar.zst: altered (its sha256 differs from the manifest)"
    ]
    assert "nothing was installed" in str(caught.value)


def test_missing_and_added_files_are_named(kit, organiser):
    (kit / "debs" / "zstd_1.5.4_amd64.deb").unlink()
    (kit / "debs" / "evil.deb").write_bytes(b"x")
    with pytest.raises(KitTampered) as caught:
        verify_kit(kit, organiser)
    assert "debs/zstd_1.5.4_amd64.deb: missing" in caught.value.problems
    assert "debs/evil.deb: not in the manifest" in caught.value.problems


def test_an_edited_manifest_fails_its_signature(kit, organiser):
    path = kit / "images" / "ungp_user_abc.tar.zst"
    path.write_bytes(b"replaced")
    write_manifest(kit)  # the attacker updates the hashes but cannot sign
    with pytest.raises(KitTampered, match="signature does not verify"):
        verify_kit(kit, organiser)


def test_a_resigned_kit_is_refused_unless_its_key_is_pinned(kit, organiser, tmp_path):
    other = signing.signing_key(tmp_path / "other-secrets")
    (kit / SIGNATURE).write_bytes(signing.sign(other, (kit / MANIFEST).read_bytes()))
    (kit / PUBLIC_KEY).write_bytes(signing.public_pem(other))
    other_print = signing.fingerprint(signing.public_pem(other))
    assert verify_kit(kit, [other_print]) == other_print  # self-consistent, but another key
    for trusted in (organiser, []):
        with pytest.raises(UntrustedKey, match="does not trust") as caught:
            verify_kit(kit, trusted)
        assert caught.value.fingerprint == other_print


def test_the_signing_key_is_kept_private_and_reused(tmp_path):
    first = signing.signing_key(tmp_path / "s")
    second = signing.signing_key(tmp_path / "s")
    assert signing.public_pem(first) == signing.public_pem(second)
    assert (tmp_path / "s" / signing.KEY_NAME).stat().st_mode & 0o077 == 0


def test_openssl_verifies_the_signature_like_the_bash_installer(kit):
    command = [
        "openssl",
        "pkeyutl",
        "-verify",
        "-pubin",
        "-inkey",
        PUBLIC_KEY,
        "-rawin",
        "-in",
        MANIFEST,
        "-sigfile",
        SIGNATURE,
    ]
    assert subprocess.run(command, cwd=kit, capture_output=True).returncode == 0
    flip_byte(kit / MANIFEST, 3)
    assert subprocess.run(command, cwd=kit, capture_output=True).returncode != 0
