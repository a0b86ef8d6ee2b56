"""What every exchange class shares: where the service is, the token, folders and times."""

from __future__ import annotations

import fnmatch
import os
from datetime import UTC, datetime
from pathlib import Path

from nbgrader.exchange.abc import Exchange
from traitlets import Bool, Float, Unicode, default

from ...courses.names import check_relative_path
from .http import ExchangeClient

# nbgrader's own timestamp format, so timestamp.txt parses in autograde and the list shows it.
NBGRADER_TIME = "%Y-%m-%d %H:%M:%S.%f UTC"
NOT_SENT = ("receipts", "feedback")


def nbgrader_time(iso_moment: str) -> str:
    """The server's ISO time as nbgrader writes timestamps (always UTC)."""
    return datetime.fromisoformat(iso_moment).astimezone(UTC).strftime(NBGRADER_TIME)


class HubExchange(Exchange):
    """Base of the HTTP exchange classes (nothing is read from or written to a shared folder)."""

    service_url = Unicode(
        help="""URL of the hub's exchange service as containers see it, e.g.
        http://172.30.0.1:8003/services/exchange. Default: $UNGP_EXCHANGE_URL, set by the hub
        in every user container.""",
    ).tag(config=True)

    @default("service_url")
    def _service_url_default(self) -> str:
        return os.environ.get("UNGP_EXCHANGE_URL", "")

    api_token = Unicode(
        help="Hub token sent to the service. Default: $JUPYTERHUB_API_TOKEN (the user's own).",
    ).tag(config=True)

    @default("api_token")
    def _api_token_default(self) -> str:
        return os.environ.get("JUPYTERHUB_API_TOKEN", "")

    path_includes_course = Bool(
        False,
        help="""If true, assignments live in ./COURSE/ASSIGNMENT instead of ./ASSIGNMENT (as
        nbgrader's default exchange's option of the same name).""",
    ).tag(config=True)

    max_submission_mb = Float(
        0.0,
        help="""Refuse to send more than this many MB before asking the service (which has
        the real limit). 0: no local check.""",
    ).tag(config=True)

    def client(self) -> ExchangeClient:
        if not self.service_url or not self.api_token:
            self.fail(
                "the course exchange is not configured in this server (UNGP_EXCHANGE_URL or the "
                "hub token is missing); restart your server from the hub's home page"
            )
        return ExchangeClient(self.service_url, self.api_token)

    def require_course(self) -> str:
        if not self.coursedir.course_id:
            self.fail("No course id specified. Re-run with --course=COURSE.")
        return self.coursedir.course_id

    def assignment_path(self, course: str, assignment: str) -> Path:
        parts = [course, assignment] if self.path_includes_course else [assignment]
        return Path(self.assignment_dir, *parts).resolve()

    def read_folder(self, folder: Path, skip: tuple[str, ...] = ()) -> dict[str, bytes]:
        """The files of an assignment folder, minus nbgrader's ignore globs and hidden files."""
        ignore = list(self.coursedir.ignore) + list(skip)
        files: dict[str, bytes] = {}
        for path in sorted(folder.rglob("*")):
            relative = path.relative_to(folder)
            if any(part.startswith(".") for part in relative.parts):
                continue
            if any(fnmatch.fnmatch(part, glob) for part in relative.parts for glob in ignore):
                continue
            if path.is_file() and not path.is_symlink():
                files[relative.as_posix()] = path.read_bytes()
        return files

    @staticmethod
    def write_files(folder: Path, files: dict[str, bytes], only_missing: bool = False) -> None:
        for name, content in files.items():
            target = folder / check_relative_path(name)
            if only_missing and target.exists():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)

    # nbgrader's start() calls these three; each class does its work in copy_files.
    def init_src(self) -> None:
        pass

    def init_dest(self) -> None:
        pass
