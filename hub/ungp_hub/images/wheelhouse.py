"""The wheelhouse: every wheel of the user image's lock file, downloaded on the host.

pip inside a container cannot verify TLS to the index on the project's machines, and the USB
kit has no network at all, so images are always built from a local folder of wheels whose
hashes the lock file pins.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .errors import ImageBuildError

# The image runs Debian trixie's Python 3.13 on x86_64.
TARGET_PYTHON = "3.13"
TARGET_PLATFORMS = (
    "manylinux_2_28_x86_64",
    "manylinux_2_27_x86_64",
    "manylinux_2_26_x86_64",
    "manylinux_2_24_x86_64",
    "manylinux_2_17_x86_64",
    "manylinux2014_x86_64",
    "any",
)


def lock(requirements_in: Path, lock_file: Path) -> None:
    """Resolve requirements.in for the image's Python into a hash-pinned lock file (uses uv)."""
    command = [
        sys.executable,
        "-m",
        "uv",
        "pip",
        "compile",
        str(requirements_in),
        "--python-version",
        TARGET_PYTHON,
        "--python-platform",
        "x86_64-manylinux_2_28",
        "--generate-hashes",
        "--no-header",
        "-q",
        "-o",
        str(lock_file),
    ]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise ImageBuildError(f"could not lock {requirements_in}:\n{result.stderr}")


def download(lock_file: Path, wheel_dir: Path, log_path: Path) -> None:
    """Fill wheel_dir with the locked wheels; a no-op for wheels already there."""
    wheel_dir.mkdir(parents=True, exist_ok=True)
    command = [
        # --no-deps: the lock is complete, and pip would judge markers by the host Python.
        sys.executable,
        "-m",
        "pip",
        "download",
        "-q",
        "--no-deps",
        "--require-hashes",
        "-r",
        str(lock_file),
        "--only-binary=:all:",
        "--python-version",
        TARGET_PYTHON,
        "--implementation",
        "cp",
        "--abi",
        "cp" + TARGET_PYTHON.replace(".", ""),
        "-d",
        str(wheel_dir),
    ]
    for platform in TARGET_PLATFORMS:
        command += ["--platform", platform]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "w") as log:
        if subprocess.run(command, stdout=log, stderr=subprocess.STDOUT).returncode != 0:
            raise ImageBuildError(
                f"downloading the wheelhouse failed; see {log_path}. Without a package index, "
                "copy a wheelhouse (e.g. from the USB kit) to {wheel_dir} first."
            )
