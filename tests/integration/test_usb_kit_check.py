"""The kit's check on a bare Debian 12 (no openssl, no network): the system's gpgv and
coreutils verify a pinned kit, and no program from the kit runs, whether the check passes
or refuses. Seconds: a small kit (tests/hostile_kit.py), not the session's full one."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_kit import hostile_kit
from ungp_hub.images.base import base_image_name, ensure_base_image
from ungp_hub.testing.target import run
from ungp_hub.usb import signing
from ungp_hub.usb.manifest import sign_kit

pytestmark = [pytest.mark.integration]


def check_on_bare_debian(kit, *args: str):
    """Run the kit's install in a fresh bookworm container; print whether a trap ran."""
    return run(
        [
            "docker",
            "run",
            "--rm",
            "--network",
            "none",
            "--label",
            "ungp.test=usb",
            "-v",
            f"{kit}:/kit:ro",
            base_image_name("bookworm"),
            "bash",
            "-c",
            'command -v openssl && echo HOST-HAS-OPENSSL; /kit/install "$@"; code=$?; '
            "cat /tmp/kit-program-ran 2>/dev/null; ls /var/lib/ungp-hub 2>/dev/null; exit $code",
            "install",
            *args,
        ],
        timeout=120,
    )


@pytest.fixture(scope="module")
def bookworm(docker_client):
    ensure_base_image(docker_client, "bookworm")


def test_a_pinned_kit_verifies_with_gpgv_and_a_forged_one_is_refused(bookworm, tmp_path):
    key = signing.signing_key(tmp_path / "secrets")
    fingerprint = signing.fingerprint(signing.public_pem(key))
    # The traps write to this path inside the container, where the script above reads it.
    kit = hostile_kit(tmp_path, key, marker=Path("/tmp/kit-program-ran"))

    good = check_on_bare_debian(kit, "--check-only", "--expect-key", fingerprint)
    assert good.returncode == 0, good.stderr
    assert "HOST-HAS-OPENSSL" not in good.stdout  # the case the old installer mishandled
    assert "kit verified" in good.stderr
    assert "ran " not in good.stdout  # no program of the kit ran

    sign_kit(kit, signing.signing_key(tmp_path / "attacker"))
    forged = check_on_bare_debian(kit, "--expect-key", fingerprint)
    assert forged.returncode == 1
    assert "not by the organiser's key" in forged.stderr
    assert "ran " not in forged.stdout and forged.stdout.strip() == ""  # no state dir either
