"""The exchange service: a small tornado app run by JupyterHub as a managed service.

Every handler identifies the caller through the hub, checks the course role, then calls the
store. Refusals (``UserError``) become HTTP 4xx with ``{"reason": ...}`` and a log line;
anything else is a bug, logged with its traceback and answered with a bare 500.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jupyterhub.services.auth import HubOAuthCallbackHandler, HubOAuthenticated
from tornado import web

from ..courses.access import TRAINEES, Person
from ..courses.folders import courses_dir
from ..courses.names import check_id
from ..errors import BadNotebook, NotAllowed, NotFound, UserError
from ..service.app import HubService, tornado_app
from ..service.directory import Directory
from ..service.page_policy import SERVICE_PAGES
from ..service.token_api import TokenAPIHandler
from .progress import AssignmentProgress, CourseBooks, course_progress, course_summary, own_view
from .store import ExchangeStore
from .wire import decode_files, encode_files, leaks_hidden_tests

log = logging.getLogger("ungp_hub.exchange")
EXCHANGE = "exchange"


class Limits:
    def __init__(self, max_submission_bytes: int, max_release_bytes: int):
        self.max_submission_bytes = max_submission_bytes
        self.max_release_bytes = max_release_bytes


class ExchangeHandler(TokenAPIHandler):
    store: ExchangeStore
    limits: Limits
    books: CourseBooks
    service = "the exchange"

    def initialize(
        self, store: ExchangeStore, directory: Directory, limits: Limits, books: CourseBooks
    ) -> None:
        self.store, self.directory, self.limits, self.books = store, directory, limits, books


def _moment(value: Any, what: str) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        raise UserError(f"{what} {value!r} is not an ISO 8601 date and time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class CoursesHandler(ExchangeHandler):
    def get(self) -> None:
        self.finish({"user": self.person.name, "courses": self.person.courses})


class AssignmentsHandler(ExchangeHandler):
    def get(self, course: str) -> None:
        self.person.require_member(check_id(course, "course"))
        releases = [release.__dict__ for release in self.store.releases(course)]
        self.finish({"assignments": releases})


class AssignmentHandler(ExchangeHandler):
    def get(self, course: str, assignment: str) -> None:
        """Fetch: the files of the current release."""
        self.person.require_member(check_id(course, "course"))
        student = self.person.name if self.person.attends(course) else None
        files = self.store.released_files(course, check_id(assignment, "assignment"), student)
        self.finish({"files": encode_files(files)})

    def post(self, course: str, assignment: str) -> None:
        """Release an assignment (instructors)."""
        self.person.require_instructor(check_id(course, "course"))
        body = self.json_body()
        files = decode_files(body, self.limits.max_release_bytes)
        release = self.store.release(
            course,
            check_id(assignment, "assignment"),
            files,
            self.person.name,
            deadline=_moment(body.get("deadline"), "deadline"),
            late_until=_moment(body.get("late_until"), "late_until"),
            force=bool(body.get("force")),
        )
        log.info("%s released %s/%s v%d", self.person.name, course, assignment, release.version)
        self.set_status(201)
        self.finish({"release": release.__dict__})


class DeadlineHandler(ExchangeHandler):
    def put(self, course: str, assignment: str) -> None:
        self.person.require_instructor(check_id(course, "course"))
        body = self.json_body()
        release = self.store.set_deadline(
            course,
            check_id(assignment, "assignment"),
            _moment(body.get("deadline"), "deadline"),
            _moment(body.get("late_until"), "late_until"),
        )
        log.info(
            "%s set the deadline of %s/%s to %s",
            self.person.name,
            course,
            assignment,
            release.deadline,
        )
        self.finish({"release": release.__dict__})


class SubmitHandler(ExchangeHandler):
    def post(self, course: str, assignment: str) -> None:
        self.person.require_trainee(check_id(course, "course"))
        files = decode_files(self.json_body(), self.limits.max_submission_bytes)
        receipt = self.store.submit(
            course, check_id(assignment, "assignment"), self.person.name, files
        )
        log.info(
            "%s submitted %s/%s as %s (%s)",
            self.person.name,
            course,
            assignment,
            receipt.id,
            receipt.sha256,
        )
        self.set_status(201)
        self.finish({"receipt": receipt.as_dict()})


class SubmissionsHandler(ExchangeHandler):
    def get(self, course: str) -> None:
        """Submissions: all for instructors, one's own for trainees."""
        check_id(course, "course")
        student = self.get_argument("student", None)
        if not self.person.teaches(course):
            self.person.require_trainee(course)
            if student and student != self.person.name:
                raise NotAllowed("trainees may list only their own submissions")
            student = self.person.name
        assignment = self.get_argument("assignment", None)
        receipts = self.store.submissions(course, assignment, student)
        self.finish({"submissions": [receipt.as_dict() for receipt in receipts]})


class SubmissionHandler(ExchangeHandler):
    def get(self, submission_id: str) -> None:
        receipt = self.store.submission(check_id(submission_id, "submission id"))
        if not self.person.may_read_student(receipt.course, receipt.student):
            raise NotFound(f"no submission {submission_id} of yours")
        files = self.store.submission_files(receipt)
        self.finish({"receipt": receipt.as_dict(), "files": encode_files(files)})


class FeedbackReleaseHandler(ExchangeHandler):
    def post(self, submission_id: str) -> None:
        receipt = self.store.submission(check_id(submission_id, "submission id"))
        self.person.require_instructor(receipt.course)
        body = self.json_body()
        notebook = check_id(str(body.get("notebook", "")), "notebook")
        try:
            html = base64.b64decode(str(body.get("html", "")), validate=True)
        except ValueError:
            raise UserError("the feedback must be base64-encoded HTML") from None
        if leaks_hidden_tests(html):
            raise BadNotebook(
                f"the feedback of {notebook} shows hidden tests; it was not released. Generate "
                "feedback with the hub's nbgrader configuration (it strips hidden tests)"
            )
        feedback_id = self.store.release_feedback(receipt, notebook, html, self.person.name)
        log.info("%s released feedback %d on %s", self.person.name, feedback_id, receipt.id)
        self.set_status(201)
        self.finish({"id": feedback_id})


class FeedbackListHandler(ExchangeHandler):
    def get(self, course: str) -> None:
        check_id(course, "course")
        student = self.get_argument("student", self.person.name)
        if not self.person.may_read_student(course, student):
            self.person.require_member(course)
            raise NotAllowed("trainees may read only their own feedback")
        assignment = self.get_argument("assignment", None)
        self.finish({"feedback": self.store.feedback(course, student, assignment)})


class FeedbackFileHandler(ExchangeHandler):
    def get(self, feedback_id: str) -> None:
        course, student, html = self.store.feedback_file(int(feedback_id))
        if not self.person.may_read_student(course, student):
            raise NotFound(f"no feedback {feedback_id} of yours")
        self.finish({"html": base64.b64encode(html).decode("ascii")})


class CourseProgressHandler(ExchangeHandler):
    async def get(self, course: str) -> None:
        """The instructor's view: every enrolled trainee and released assignment."""
        self.person.require_instructor(check_id(course, "course"))
        rows = await course_rows(self.store, self.directory, self.books, course)
        self.finish(
            {
                "course": course,
                "progress": [row.as_dict() for row in rows],
                "summary": course_summary(rows),
            }
        )


class StudentsHandler(ExchangeHandler):
    async def get(self, course: str) -> None:
        """The enrolled trainees with their full names from the hub (instructors), so that the
        instructor's nbgrader can put the names into the gradebook."""
        self.person.require_instructor(check_id(course, "course"))
        names = await self.directory.members(f"{TRAINEES}{course}")
        people = await asyncio.gather(*(self.directory.person_named(name) for name in names))
        self.finish({"students": [{"student": p.name, "name": p.full_name} for p in people]})


class MyProgressHandler(ExchangeHandler):
    async def get(self) -> None:
        rows = await own_rows(self.store, self.books, self.person)
        self.finish({"user": self.person.name, "progress": [row.as_dict() for row in rows]})


async def course_rows(
    store: ExchangeStore, directory: Directory, books: CourseBooks, course: str
) -> list[AssignmentProgress]:
    students = await directory.members(f"{TRAINEES}{course}")
    scores = await asyncio.to_thread(books.scores, course)
    return course_progress(store, course, students, scores)


async def own_rows(
    store: ExchangeStore, books: CourseBooks, person: Person
) -> list[AssignmentProgress]:
    rows = []
    for course, role in sorted(person.courses.items()):
        if role == "trainee":
            scores = await asyncio.to_thread(books.scores, course)
            rows += own_view(course_progress(store, course, scores=scores, student=person.name))
    return rows


class ProgressPageHandler(HubOAuthenticated, web.RequestHandler):
    """The progress page in the browser (hub login): own assignments and taught courses."""

    def initialize(self, store: ExchangeStore, directory: Directory, books: CourseBooks) -> None:
        self.store, self.directory, self.books = store, directory, books

    def render(self, template_name: str, **kwargs: Any) -> Any:
        """A template page: no script may run in it (ungp_hub.service.page_policy)."""
        self.set_header("Content-Security-Policy", SERVICE_PAGES)
        return super().render(template_name, **kwargs)

    @web.authenticated
    async def get(self) -> None:
        person = await self.directory.person_named(self.current_user["name"])
        taught = []
        for course, role in sorted(person.courses.items()):
            if role == "instructor":
                rows = await course_rows(self.store, self.directory, self.books, course)
                taught.append((course, rows, course_summary(rows)))
        attended = await own_rows(self.store, self.books, person)
        self.render(
            "progress.html",
            taught=taught,
            attended=attended,
            duration=_duration,
            hub_home=f"{self.hub_auth.hub_prefix}home",
        )


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return ""
    minutes = round(seconds / 60)
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"


def make_app(
    store: ExchangeStore,
    directory: Directory,
    limits: Limits,
    prefix: str,
    books: CourseBooks | None = None,
) -> web.Application:
    """The exchange's API and progress pages under `prefix`."""
    name = r"([^/]+)"
    books = books or CourseBooks(None)
    kwargs = {"store": store, "directory": directory, "limits": limits, "books": books}
    api = [
        (r"api/courses", CoursesHandler),
        (rf"api/courses/{name}/assignments", AssignmentsHandler),
        (rf"api/courses/{name}/assignments/{name}", AssignmentHandler),
        (rf"api/courses/{name}/assignments/{name}/deadline", DeadlineHandler),
        (rf"api/courses/{name}/assignments/{name}/submissions", SubmitHandler),
        (rf"api/courses/{name}/submissions", SubmissionsHandler),
        (rf"api/courses/{name}/feedback", FeedbackListHandler),
        (rf"api/submissions/{name}", SubmissionHandler),
        (rf"api/submissions/{name}/feedback", FeedbackReleaseHandler),
        (r"api/feedback/([0-9]+)", FeedbackFileHandler),
        (rf"api/courses/{name}/progress", CourseProgressHandler),
        (rf"api/courses/{name}/students", StudentsHandler),
        (r"api/progress", MyProgressHandler),
    ]
    pages = [
        (
            "progress/?",
            ProgressPageHandler,
            {"store": store, "directory": directory, "books": books},
        ),
        ("oauth_callback", HubOAuthCallbackHandler, {}),
    ]
    return tornado_app(
        EXCHANGE,
        prefix,
        [(path, handler, kwargs) for path, handler in api] + pages,
        template_path=str(Path(__file__).with_name("templates")),
        cookie_secret=os.urandom(32),
    )


class ExchangeService(HubService):
    """The exchange, as JupyterHub runs it: files under STATE_DIR/exchange, the limits of
    the `exchange` settings, gradebooks (for progress) in the course folders."""

    name = EXCHANGE

    def make_app(self) -> web.Application:
        settings = self.settings
        exchange = settings.get("exchange")
        limits = Limits(
            int(exchange["max_submission_mb"] * 1e6), int(exchange["max_release_mb"] * 1e6)
        )
        # base64 makes bodies 4/3 of the files; the store checks the exact limit.
        body = max(limits.max_submission_bytes, limits.max_release_bytes)
        self.max_body_size = int(body * 1.4) + 65536
        self.store = ExchangeStore(settings.state_dir / "exchange")
        books = CourseBooks(courses_dir(settings.state_dir), settings.get("courses.gradebook_url"))
        return make_app(self.store, self.directory, limits, self.prefix, books)

    def describe(self) -> str:
        return f"(files in {self.store.root})"
