"""The HTTP side of the client: one method per exchange endpoint, refusals as ExchangeError."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import quote

import requests
from nbgrader.exchange import ExchangeError

from ..wire import encode_files


class ExchangeUnavailable(ExchangeError):
    pass


class ExchangeClient:
    def __init__(self, base_url: str, token: str, timeout: float = 120):
        self.base_url = base_url.rstrip("/") + "/api"
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"token {token}"
        self.timeout = timeout

    def call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        url = self.base_url + path
        try:
            response = self.session.request(method, url, timeout=self.timeout, **kwargs)
        except requests.RequestException as error:
            raise ExchangeUnavailable(
                f"the course exchange does not answer at {self.base_url} "
                f"({error.__class__.__name__}); try again in a minute, and tell the hub admin "
                "if it keeps failing"
            ) from None
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code >= 400:
            reason = body.get("reason") or response.reason
            raise ExchangeError(f"the exchange refused ({response.status_code}): {reason}")
        return body

    @staticmethod
    def _q(value: str) -> str:
        return quote(value, safe="")

    def courses(self) -> dict[str, str]:
        return self.call("GET", "/courses")["courses"]

    def students(self, course: str) -> dict[str, str]:
        """Enrolled trainee -> full name ('' when the hub has none); instructors only."""
        found = self.call("GET", f"/courses/{self._q(course)}/students")["students"]
        return {row["student"]: row["name"] for row in found}

    def releases(self, course: str) -> list[dict[str, Any]]:
        return self.call("GET", f"/courses/{self._q(course)}/assignments")["assignments"]

    def release(self, course: str, assignment: str, files: dict[str, bytes], **options: Any):
        body = {"files": encode_files(files), **options}
        path = f"/courses/{self._q(course)}/assignments/{self._q(assignment)}"
        return self.call("POST", path, json=body)["release"]

    def fetch(self, course: str, assignment: str) -> dict[str, bytes]:
        path = f"/courses/{self._q(course)}/assignments/{self._q(assignment)}"
        return _decoded(self.call("GET", path)["files"])

    def submit(self, course: str, assignment: str, files: dict[str, bytes]) -> dict[str, Any]:
        path = f"/courses/{self._q(course)}/assignments/{self._q(assignment)}/submissions"
        return self.call("POST", path, json={"files": encode_files(files)})["receipt"]

    def submissions(self, course: str, assignment: str | None = None, student: str | None = None):
        params = {
            key: value for key, value in (("assignment", assignment), ("student", student)) if value
        }
        return self.call("GET", f"/courses/{self._q(course)}/submissions", params=params)[
            "submissions"
        ]

    def submission_files(self, submission_id: str) -> dict[str, bytes]:
        return _decoded(self.call("GET", f"/submissions/{self._q(submission_id)}")["files"])

    def release_feedback(self, submission_id: str, notebook: str, html: bytes) -> int:
        body = {"notebook": notebook, "html": base64.b64encode(html).decode("ascii")}
        return self.call("POST", f"/submissions/{self._q(submission_id)}/feedback", json=body)["id"]

    def feedback(self, course: str, assignment: str | None = None, student: str | None = None):
        params = {
            key: value for key, value in (("assignment", assignment), ("student", student)) if value
        }
        return self.call("GET", f"/courses/{self._q(course)}/feedback", params=params)["feedback"]

    def feedback_html(self, feedback_id: str) -> bytes:
        return base64.b64decode(self.call("GET", f"/feedback/{self._q(feedback_id)}")["html"])


def _decoded(files: dict[str, str]) -> dict[str, bytes]:
    return {name: base64.b64decode(content) for name, content in files.items()}
