"""The dashboards kept under STATE_DIR/dashboards: one folder per dashboard.

    d/<slug>/dashboard.json    title, owner, audience, schedule, last run
    d/<slug>/source.ipynb      the notebook as the analyst published it (scheduled runs start here)
    d/<slug>/live/dashboard.ipynb   the snapshot Voila serves (mounted read-only)
    d/<slug>/public/index.html      static render for public dashboards (no kernel)
    d/<slug>/runs/<id>/run.json, output.ipynb   every run, kept

Snapshots are replaced with an atomic rename, so a viewer never sees half a notebook and a
failed run never touches the live snapshot.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import SERVER_PREFIX
from .errors import DashboardError, NoSuchDashboard

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")
AUDIENCE_KINDS = ("group", "all", "public")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def slugify(text: str) -> str:
    """A URL-safe name from a title or file name: 'Weekly port calls' -> 'weekly-port-calls'."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40].strip("-")
    return slug or "dashboard"


def check_slug(slug: str) -> str:
    if not SLUG.match(slug):
        raise DashboardError(
            f"bad dashboard name {slug!r}: use 1-40 lower-case letters, digits and dashes, "
            "starting and ending with a letter or digit"
        )
    return slug


@dataclass(frozen=True)
class Audience:
    """Who may open a dashboard: one group, every user of the hub, or anyone (public)."""

    kind: str
    group: str = ""

    @classmethod
    def parse(cls, text: str) -> Audience:
        """`--to` of the CLI: 'all', 'public' or a group name."""
        text = text.strip()
        if not text:
            raise DashboardError("say who sees the dashboard: --to GROUP, --to all or --to public")
        if text in ("all", "public"):
            return cls(text)
        return cls("group", text)

    def describe(self) -> str:
        return {"all": "all users", "public": "public (no login)"}.get(
            self.kind, f"group {self.group}"
        )

    def admits(self, name: str, groups: list[str]) -> bool:
        if self.kind in ("all", "public"):
            return bool(name)
        return self.group in groups


@dataclass
class Dashboard:
    slug: str
    owner: str
    title: str
    audience: Audience
    description: str = ""
    published: str = field(default_factory=now)
    updated: str = field(default_factory=now)
    parameters: dict[str, Any] = field(default_factory=dict)
    schedule: dict[str, Any] | None = None
    last_run: dict[str, Any] | None = None

    @property
    def server_name(self) -> str:
        return f"{SERVER_PREFIX}{self.slug}"

    def can_view(self, name: str, groups: list[str], admin: bool = False) -> bool:
        return bool(name) and (admin or name == self.owner or self.audience.admits(name, groups))

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["audience"] = asdict(self.audience)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Dashboard:
        data = dict(data)
        data["audience"] = Audience(**data["audience"])
        return cls(**data)


@dataclass
class Run:
    id: str
    slug: str
    trigger: str
    parameters: dict[str, Any]
    started: str = field(default_factory=now)
    status: str = "running"
    duration_s: float | None = None
    error: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class Registry:
    def __init__(self, root: Path | str):
        self.root = Path(root)

    def folder(self, slug: str) -> Path:
        return self.root / "d" / check_slug(slug)

    def live_dir(self, slug: str) -> Path:
        return self.folder(slug) / "live"

    def exists(self, slug: str) -> bool:
        return (self.folder(slug) / "dashboard.json").exists()

    def get(self, slug: str) -> Dashboard:
        path = self.folder(slug) / "dashboard.json"
        if not path.exists():
            raise NoSuchDashboard(f"there is no dashboard {slug!r}")
        return Dashboard.from_json(json.loads(path.read_text()))

    def all(self) -> list[Dashboard]:
        base = self.root / "d"
        if not base.is_dir():
            return []
        found = [
            self.get(p.name) for p in sorted(base.iterdir()) if (p / "dashboard.json").exists()
        ]
        return sorted(found, key=lambda d: d.updated, reverse=True)

    def save(self, dashboard: Dashboard) -> None:
        _write_atomic(
            self.folder(dashboard.slug) / "dashboard.json",
            json.dumps(dashboard.to_json(), indent=2).encode(),
        )

    def source(self, slug: str) -> bytes:
        return (self.folder(slug) / "source.ipynb").read_bytes()

    def install(self, slug: str, source: bytes, snapshot: bytes, html: bytes | None) -> None:
        """Make a successful run the live snapshot (and the public page, if any)."""
        folder = self.folder(slug)
        _write_atomic(folder / "source.ipynb", source)
        _write_atomic(folder / "live" / "dashboard.ipynb", snapshot)
        public = folder / "public" / "index.html"
        if html is not None:
            _write_atomic(public, html)
        elif public.exists():
            public.unlink()

    def public_page(self, slug: str) -> bytes | None:
        path = self.folder(slug) / "public" / "index.html"
        return path.read_bytes() if path.exists() else None

    def remove(self, slug: str) -> None:
        shutil.rmtree(self.folder(slug), ignore_errors=True)

    def new_run(self, slug: str, trigger: str, parameters: dict[str, Any]) -> Run:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")  # sorts in run order
        run = Run(f"{stamp}-{secrets.token_hex(2)}", slug, trigger, dict(parameters))
        self.save_run(run)
        return run

    def save_run(self, run: Run, output: bytes | None = None) -> None:
        folder = self.folder(run.slug) / "runs" / run.id
        if output is not None:
            _write_atomic(folder / "output.ipynb", output)
        _write_atomic(folder / "run.json", json.dumps(run.to_json(), indent=2).encode())

    def runs(self, slug: str) -> list[Run]:
        base = self.folder(slug) / "runs"
        if not base.is_dir():
            return []
        runs = [
            Run(**json.loads((p / "run.json").read_text()))
            for p in base.iterdir()
            if (p / "run.json").exists()
        ]
        return sorted(runs, key=lambda r: r.id, reverse=True)

    def run_output(self, slug: str, run_id: str) -> bytes | None:
        if not re.match(r"^[0-9T]+-[0-9a-f]+$", run_id):
            return None
        path = self.folder(slug) / "runs" / run_id / "output.ipynb"
        return path.read_bytes() if path.exists() else None


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    for parent in (path.parent, path.parent.parent):
        os.chmod(parent, 0o755)  # the dashboard container reads as an unprivileged user
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    temporary.write_bytes(data)
    os.chmod(temporary, 0o644)
    os.replace(temporary, path)
