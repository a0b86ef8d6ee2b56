"""Import a roster into a running hub: all of it, or nothing.

The roster is checked whole first. Hub accounts and groups are then made through the hub's
REST API, and the passwords (NativeAuthenticator's table) and full names (``ungp_people``,
see :mod:`.people`) go into the hub database in one transaction; if any step fails, the
accounts made so far are deleted again.
"""

from __future__ import annotations

from dataclasses import dataclass

import bcrypt
import sqlalchemy
from nativeauthenticator.orm import UserInfo
from sqlalchemy.orm import Session

from .hub_api import HubAPI
from .passwords import slip_password
from .people import create_table, record_names
from .roster import Roster, RosterError


@dataclass
class ImportResult:
    passwords: dict[str, str]


def import_roster(roster: Roster, api: HubAPI, db_url: str, source: str) -> ImportResult:
    existing = api.user_names()
    clashes = [
        f"line {p.line}: user '{p.username}' already exists on the hub"
        for p in roster.people
        if p.username in existing
    ]
    if clashes:
        raise RosterError(source, clashes)

    passwords = {person.username: slip_password() for person in roster.people}
    hashed = {
        name: bcrypt.hashpw(password.encode(), bcrypt.gensalt())
        for name, password in passwords.items()
    }
    engine = sqlalchemy.create_engine(db_url)
    UserInfo.__table__.create(engine, checkfirst=True)
    create_table(engine)
    created: list[str] = []
    try:
        for admin in (False, True):
            names = [p.username for p in roster.people if (p.role == "admin") == admin]
            if not names:
                continue
            api.expect(
                api.request("POST", "/users", json={"usernames": names, "admin": admin}), 201
            )
            created += names
        for group, members in _groups(roster).items():
            path = api.group_path(group)
            if api.request("GET", path).status_code == 404:
                api.expect(api.request("POST", path), 201)
            api.expect(api.request("POST", path + "/users", json={"users": members}), 200)
        # One short transaction (SQLite allows one writer: the hub must not be kept waiting).
        with Session(engine) as db, db.begin():
            for person in roster.people:
                db.add(
                    UserInfo(
                        username=person.username,
                        password=hashed[person.username],
                        is_authorized=True,
                        email=person.email or None,
                    )
                )
            record_names(db, {p.username: p.full_name for p in roster.people})
    except BaseException:
        for name in created:
            api.request("DELETE", f"/users/{name}")
        raise
    finally:
        engine.dispose()
    return ImportResult(passwords=passwords)


def _groups(roster: Roster) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for person in roster.people:
        for group in person.groups:
            groups.setdefault(group, []).append(person.username)
    return groups
