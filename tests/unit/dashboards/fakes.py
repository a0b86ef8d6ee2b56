"""Stand-ins for the hub and for container runs, so the rules can be tested without Docker."""

from __future__ import annotations

from dataclasses import dataclass, field

import nbformat
from nbformat.v4 import new_code_cell, new_notebook
from ungp_hub.dashboards.runner import RunResult


def notebook(code: str = "print(1)") -> bytes:
    book = new_notebook()
    book.cells = [new_code_cell(code)]
    return nbformat.writes(book).encode()


@dataclass
class FakeHub:
    """People, groups, servers and shares as the hub would keep them."""

    groups: dict[str, list[str]] = field(default_factory=dict)
    admins: set[str] = field(default_factory=set)
    servers: dict[tuple[str, str], dict] = field(default_factory=dict)
    shares: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    calls: list[tuple] = field(default_factory=list)

    async def person(self, name: str) -> tuple[list[str], bool]:
        return [g for g, members in self.groups.items() if name in members], name in self.admins

    async def group_exists(self, group: str) -> bool:
        return group in self.groups

    async def server(self, owner: str, server: str) -> dict | None:
        return self.servers.get((owner, server))

    async def start(self, owner: str, server: str) -> None:
        self.calls.append(("start", owner, server))
        self.servers.setdefault((owner, server), {"ready": False, "pending": "spawn"})

    async def remove_server(self, owner: str, server: str) -> None:
        self.calls.append(("remove", owner, server))
        self.servers.pop((owner, server), None)

    async def share_with_group(self, owner: str, server: str, group: str) -> None:
        self.calls.append(("share", owner, server, "group:" + group))
        self.shares.setdefault((owner, server), set()).add("group:" + group)

    async def share_with_user(self, owner: str, server: str, user: str) -> None:
        self.calls.append(("share", owner, server, user))
        self.shares.setdefault((owner, server), set()).add(user)

    async def revoke_user(self, owner: str, server: str, user: str) -> None:
        self.calls.append(("revoke-user", owner, server, user))
        self.shares.get((owner, server), set()).discard(user)

    async def revoke_shares(self, owner: str, server: str) -> None:
        self.calls.append(("revoke", owner, server))
        self.shares.pop((owner, server), None)

    async def user_shares(self, owner: str, server: str) -> set[str]:
        return {s for s in self.shares.get((owner, server), set()) if not s.startswith("group:")}

    async def members(self, group: str) -> list[str]:
        return list(self.groups.get(group, []))

    async def user_names(self) -> list[str]:
        return sorted({name for members in self.groups.values() for name in members} | self.admins)


@dataclass
class FakeRuns:
    """Runs a 'notebook' by looking for the word FAIL in it; records what it was given."""

    given: list[tuple] = field(default_factory=list)

    async def __call__(self, source: bytes, parameters: dict, html: bool, groups: list[str]):
        self.given.append((source, dict(parameters), html, list(groups)))
        if b"FAIL" in source:
            return RunResult(False, 1.5, source, None, "ValueError: no data for this week")
        return RunResult(True, 2.0, source + b" ", b"<html>static</html>" if html else None, "")
