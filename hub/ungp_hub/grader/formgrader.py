"""The formgrader's autograde button, through the hub's grader service (a server extension).

Stock formgrader runs ``nbgrader autograde`` inside the instructor's own container: the
trainee's code then runs with the instructor's rights, next to every other submission. This
extension replaces the formgrader's ``POST /formgrader/api/submission/A/S/autograde``: it
asks the grader service (``UNGP_GRADER_URL``, with the container's hub token) to grade that
submission in a sandbox, waits for the run and answers in formgrader's own format
(``success``, ``log``, ``error``), the log being the grader's status summary. It also adds
``GET|POST /formgrader/api/ungp/grader/A``: the assignment's grading status, and grading of
every submission.

Enable it in the user image's jupyter_server_config.py with
``c.ServerApp.jpserver_extensions.update({"ungp_hub.grader.formgrader": True})``.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from typing import Any
from urllib.parse import quote

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest

AUTOGRADE = r"/formgrader/api/submission/([^/]+)/([^/]+)/autograde"
STATUS = r"/formgrader/api/ungp/grader/([^/]+)"


class GraderUnavailable(RuntimeError):
    """The grader service did not answer or refused; the message says why and what to do."""


class GraderClient:
    """The grader service's API, as seen from a user container."""

    def __init__(self, base_url: str, token: str, timeout: float = 60):
        self.base_url = base_url.rstrip("/") + "/api"
        self.token = token
        self.timeout = timeout

    @classmethod
    def from_environment(cls, environ: dict[str, str] | None = None) -> GraderClient:
        environ = os.environ if environ is None else environ
        url = environ.get("UNGP_GRADER_URL", "")
        if not url:
            raise GraderUnavailable(
                "this server has no grader service (UNGP_GRADER_URL is not "
                "set); ask the hub admin to enable grader.service"
            )
        return cls(url, environ.get("JUPYTERHUB_API_TOKEN", ""))

    def _path(self, course: str, assignment: str) -> str:
        return f"/courses/{quote(course, safe='')}/assignments/{quote(assignment, safe='')}"

    async def call(self, method: str, path: str, body: Any = None) -> dict[str, Any]:
        request = HTTPRequest(
            self.base_url + path,
            method=method,
            request_timeout=self.timeout,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
            body=None if body is None else json.dumps(body),
        )
        try:
            response = await AsyncHTTPClient().fetch(request)
        except HTTPClientError as error:
            reason = ""
            if error.response is not None and error.response.body:
                try:
                    reason = json.loads(error.response.body).get("reason", "")
                except ValueError:
                    pass
            raise GraderUnavailable(
                f"the grader refused ({error.code}): {reason or error.message}"
            ) from None
        except OSError as error:
            raise GraderUnavailable(
                f"the grader service does not answer at {self.base_url} "
                f"({type(error).__name__}); try again in a minute, and "
                "tell the hub admin if it keeps failing"
            ) from None
        return json.loads(response.body)

    async def status(self, course: str, assignment: str) -> dict[str, Any]:
        return await self.call("GET", self._path(course, assignment))

    async def grade(
        self, course: str, assignment: str, students: list[str], force: bool = True
    ) -> dict[str, Any]:
        body = {"students": students, "force": force}
        return await self.call("POST", self._path(course, assignment) + "/grade", body)

    async def grade_and_wait(
        self,
        course: str,
        assignment: str,
        students: list[str],
        limit: float = 3600,
        every: float = 1.0,
    ) -> dict[str, Any]:
        status = await self.grade(course, assignment, students)
        deadline = time.monotonic() + limit
        while status.get("state") == "running":
            if time.monotonic() > deadline:
                raise GraderUnavailable(
                    f"grading did not finish within {limit:.0f} s; see the grading status later"
                )
            await asyncio.sleep(every)
            status = await self.status(course, assignment)
        return status


def describe(status: dict[str, Any], student: str | None = None) -> tuple[bool, str, str]:
    """(success, log, error) in formgrader's terms, from a grader status."""
    results = [r for r in status.get("results", []) if student in (None, r["student"])]
    lines = [status.get("summary", "")]
    for r in results:
        score = "" if r.get("score") is None else f" {r['score']:g} / {r['max_score']:g}"
        lines.append(f"{r['student']}: {r['status']}{score}")
        lines += [f"  {where or 'submission'}: {why}" for where, why in r["reasons"].items()]
    # failed / timed out / error: scored zero or not at all, so formgrader shows its error box
    # with the reasons (what the CLI prints too).
    troubled = [r for r in results if r["status"] not in ("graded", "skipped")]
    success = status.get("state") == "done" and bool(results) and not troubled
    error = status.get("message", "")
    if not results and not error:
        error = "the grader returned no result for this submission"
    if not error:
        error = "\n".join(
            f"{r['student']} ({r['status']}): {'; '.join(r['reasons'].values())}" for r in troubled
        )
    return success, "\n".join(line for line in lines if line), error


def _handlers() -> list[tuple[str, type]]:
    from nbgrader.server_extensions.formgrader.base import BaseApiHandler, check_xsrf
    from tornado import web

    class AutogradeViaGrader(BaseApiHandler):
        @web.authenticated
        @check_xsrf
        async def post(self, assignment: str, student: str) -> None:
            course = self.coursedir.course_id
            try:
                client = GraderClient.from_environment()
                status = await client.grade_and_wait(course, assignment, [student])
                success, log, error = describe(status, student)
            except GraderUnavailable as problem:
                success, log, error = False, "", str(problem)
            self.write(json.dumps({"success": success, "log": log, "error": error}))

    class GradingStatus(BaseApiHandler):
        @web.authenticated
        async def get(self, assignment: str) -> None:
            await self._answer(assignment, grade=False)

        @web.authenticated
        @check_xsrf
        async def post(self, assignment: str) -> None:
            await self._answer(assignment, grade=True)

        async def _answer(self, assignment: str, grade: bool) -> None:
            course = self.coursedir.course_id
            try:
                client = GraderClient.from_environment()
                if grade:
                    status = await client.grade(course, assignment, [], force=False)
                else:
                    status = await client.status(course, assignment)
            except GraderUnavailable as problem:
                self.set_status(502)
                self.finish({"reason": str(problem)})
                return
            self.finish(status)

    return [(AUTOGRADE, AutogradeViaGrader), (STATUS, GradingStatus)]


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "ungp_hub.grader.formgrader"}]


def _load_jupyter_server_extension(serverapp) -> None:  # noqa: ANN001
    """Add the handlers AHEAD of every other extension's, so they win over nbgrader's."""
    from jupyter_server.utils import url_path_join

    enabled = getattr(serverapp, "jpserver_extensions", {}) or {}
    if enabled.get("nbgrader.server_extensions.formgrader") is False:
        return  # a trainee's server: no formgrader, nothing to replace
    web_app = serverapp.web_app
    base = web_app.settings["base_url"]
    web_app.add_handlers(".*$", [(url_path_join(base, p), h) for p, h in _handlers()])
    rules = web_app.default_router.rules
    rules.insert(0, rules.pop(-2))  # add_handlers puts it before the last rule; move it first
    serverapp.log.info("ungp: the formgrader's autograde runs in the hub's grader sandboxes")
