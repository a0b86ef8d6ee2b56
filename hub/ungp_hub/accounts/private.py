"""Files that hold passwords: readable by their owner only, from the first byte on."""

from __future__ import annotations

import os
from pathlib import Path


def write_private(path: Path, data: bytes) -> Path:
    """Write DATA to PATH with mode 0600, also when PATH already exists with a wider mode.

    The mode is set before anything is written (``os.open`` for a new file, ``fchmod`` for an
    old one), so no other user can open the file while the passwords are being written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        os.fchmod(handle.fileno(), 0o600)
        handle.write(data)
    return path
