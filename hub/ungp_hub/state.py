"""The state directory: everything the hub keeps lives under one folder.

Backups and restores cover exactly this folder (and the users' volumes), so nothing the hub
needs to remember may be written anywhere else.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import UserError


class StateMissing(UserError, RuntimeError):
    """A command needs the state of a hub that has not run here (the message says which)."""


class StateDir:
    def __init__(self, path: Path | str):
        self.path = Path(path)

    def require(self, settings_file: Path | None) -> None:
        """Fail, naming the settings, unless the folder exists: commands that work on a hub's
        state must never create it (a mistyped or missing --settings would make a second,
        empty state next to the real one)."""
        if self.path.is_dir():
            return
        named = settings_file or "the defaults (no settings file found)"
        raise StateMissing(
            f"the state folder {self.path} of {named} does not exist: no hub has run with "
            "these settings. Pass the settings file of your hub with --settings FILE or "
            "UNGP_SETTINGS=FILE (the demo of `make up`: --settings settings/demo.yaml, from "
            "the checkout), or start the hub first."
        )

    def ensure(self) -> None:
        for sub in ("secrets", "logs", "data"):
            (self.path / sub).mkdir(parents=True, exist_ok=True)
        os.chmod(self.path / "secrets", 0o700)

    @property
    def database(self) -> Path:
        return self.path / "jupyterhub.sqlite"

    @property
    def logs(self) -> Path:
        return self.path / "logs"

    def secret(self, name: str) -> str:
        """A random token kept in secrets/NAME, made on first use (mode 0600)."""
        path = self.path / "secrets" / name
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
        return path.read_text().strip()

    def proxy_command(self) -> list[str] | None:
        """configurable-http-proxy installed by `make` into the project, else from PATH."""
        for candidate in (
            os.environ.get("UNGP_PROXY_COMMAND", ""),
            str(Path(os.sys.prefix) / "node" / "node_modules" / ".bin" / "configurable-http-proxy"),
        ):
            if candidate and Path(candidate).exists():
                return [candidate]
        found = shutil.which("configurable-http-proxy")
        return [found] if found else None


@contextmanager
def sqlite_transaction(path: Path, read_only: bool = False) -> Iterator[sqlite3.Connection]:
    """A service's SQLite file in one transaction (committed on success, rolled back on an
    error), rows readable by column name; `read_only` opens it so that nothing can be written."""
    if read_only:
        db = sqlite3.connect(f"{Path(path).as_uri()}?mode=ro", uri=True, timeout=30)
    else:
        db = sqlite3.connect(path, timeout=30)
    db.row_factory = sqlite3.Row
    try:
        with db:
            yield db
    finally:
        db.close()
