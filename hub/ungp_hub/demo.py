"""Demo accounts for `make up`: one admin, one instructor, two trainees, one analyst."""

from __future__ import annotations

import json
import os
from pathlib import Path

from .accounts.hub_api import HubAPI
from .accounts.importer import import_roster
from .accounts.roster import Roster
from .settings import Settings

DEMO_ROSTER = """username,role,full_name,course
admin,admin,Hub Administrator,
instructor,instructor,Ines Instructor,demo
trainee1,trainee,Tomas Trainee,demo
trainee2,trainee,Tara Trainee,demo
analyst,analyst,Ana Analyst,
"""


def ensure_demo_accounts(settings: Settings) -> dict[str, str]:
    """Create the demo accounts once; afterwards return the passwords saved the first time."""
    saved = settings.state_dir / "secrets" / "demo-accounts.json"
    if saved.exists():
        return json.loads(saved.read_text())
    roster = Roster.parse(DEMO_ROSTER, "demo roster")
    db_url = settings.get("hub.database_url") or f"sqlite:///{settings.state_dir}/jupyterhub.sqlite"
    result = import_roster(roster, HubAPI.from_settings(settings), db_url, "demo roster")
    _write_private(saved, json.dumps(result.passwords, indent=2))
    return result.passwords


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
