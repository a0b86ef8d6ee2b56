"""Full names of hub accounts: kept by the hub, handed to JupyterHub at each login.

JupyterHub 6 has no field an admin can set for a person's name, but a user's ``user_info``
(set from what the authenticator returns at login) is the display name JupyterLab shows and
part of the user model services read with ``read:users:name``. So a roster import records
each full name in the table ``ungp_people`` of the hub database (in the same transaction as
the passwords), and :class:`~ungp_hub.accounts.native.UngpNativeAuthenticator` returns it as
``user_info`` when the person logs in. Services never read this table: they read
``user_info`` from the hub's API (:func:`display_name`), which works the same for an OAuth or
LDAP authenticator that fills ``user_info`` itself.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Unicode
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class PersonName(Base):
    __tablename__ = "ungp_people"
    username = Column(Unicode(255), primary_key=True)
    full_name = Column(Unicode(255), nullable=False)


def create_table(bind: Engine | Connection) -> None:
    PersonName.__table__.create(bind, checkfirst=True)


def record_names(db: Session, names: dict[str, str]) -> None:
    """Username -> full name; an empty name is not recorded (the username stands in)."""
    for username, full_name in names.items():
        if full_name.strip():
            db.merge(PersonName(username=username, full_name=full_name.strip()))


def full_name_of(db: Session, username: str) -> str:
    """The recorded full name, or ''; the table must exist (:func:`create_table`)."""
    found = db.get(PersonName, username)
    return found.full_name if found else ""


def user_info(full_name: str) -> dict[str, str]:
    """JupyterHub's ``user_info`` for a full name, in the keys the single-user server reads
    (jupyter_server's identity: ``name``, ``display_name``, ``initials``)."""
    initials = "".join(part[0] for part in full_name.split() if part[:1].isupper())[:3]
    return {"name": full_name, "display_name": full_name, "initials": initials}


def display_name(user_model: dict[str, Any] | None) -> str:
    """The full name in a hub user model (``user_info.display_name``), or ''."""
    info = (user_model or {}).get("user_info")
    if not isinstance(info, dict):
        return ""
    name = info.get("display_name") or info.get("name") or ""
    return name.strip() if isinstance(name, str) else ""
