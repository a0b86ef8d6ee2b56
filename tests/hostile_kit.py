"""A small signed kit that tries to get its own programs run by the check that guards it.

Programs named like the tools a check needs (openssl, gpgv, sha256sum, base64) sit in the
kit's top folder, its bin/ and, as a real Debian package of openssl, in its debs/ (the old
installer unpacked that package and ran it when the machine had no openssl). Each writes a
marker file if it ever runs. Used by tests/unit/usb and tests/integration/test_usb_kit_check.py.
"""

from __future__ import annotations

import subprocess
from importlib import resources
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from ungp_hub.usb.manifest import sign_kit


def trap(path: Path, marker: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\necho ran $0 >> {marker}\nexit 0\n")
    path.chmod(0o755)


def trap_deb(debs: Path, marker: Path, work: Path) -> None:
    """A real Debian package of `openssl` whose program is a trap (the old installer unpacked
    the kit's openssl package and ran it when the machine had none)."""
    root = work / "openssl-deb"
    trap(root / "usr" / "bin" / "openssl", marker)
    (root / "DEBIAN").mkdir()
    (root / "DEBIAN" / "control").write_text(
        "Package: openssl\nVersion: 3.0.99\nArchitecture: amd64\nMaintainer: x <x@x>\n"
        "Description: trap\n"
    )
    debs.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["dpkg-deb", "-b", str(root), str(debs / "openssl_3.0.99_amd64.deb")],
        check=True,
        capture_output=True,
    )


def hostile_kit(work: Path, key: Ed25519PrivateKey, marker: Path) -> Path:
    """A kit signed by `key` with the real install script and traps writing to `marker`."""
    kit = work / "kit"
    kit.mkdir()
    script = (resources.files("ungp_hub.usb") / "kit" / "install").read_bytes()
    (kit / "install").write_bytes(script)
    (kit / "install").chmod(0o755)
    (kit / "kit.json").write_text('{"images": {"hub": "ungp/hub:abc"}}\n')
    (kit / "images").mkdir()
    (kit / "images" / "TAGS").write_text("ungp_hub_abc.tar.zst ungp/hub:abc\n")
    for name in ("openssl", "gpgv", "sha256sum", "base64"):
        trap(kit / "bin" / name, marker)
        trap(kit / name, marker)
    trap_deb(kit / "debs", marker, work)
    sign_kit(kit, key)
    return kit
