"""The grader service: instructors ask the hub to autograde; the hub host runs the sandboxes.

A small tornado app run by JupyterHub as a managed service. It runs ``GradingRun`` in its
own process on the hub host (Docker, the course folders under STATE_DIR), so an instructor's
container never needs Docker or rights over other courses: it sends a request with its hub
token, and the service checks that the caller teaches the course (hub group
``instructors:COURSE``, read from the hub as the exchange does).

API (JSON, ``Authorization: token ...``), under /services/grader/:
  GET  api/courses/C/assignments/A          the grading status (see ``status.GradingStatus``)
  POST api/courses/C/assignments/A/grade    {"students": [...], "force": bool}: 202 + status;
                                            409 while a run of course C goes on
One run per course at a time; runs of different courses go on side by side.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime

from tornado import web

from ..courses.names import check_id
from ..errors import UserError
from ..service.app import HubService, tornado_app
from ..service.directory import Directory
from ..service.token_api import TokenAPIHandler
from ..settings import Settings
from .run import SubmissionResult
from .status import GradingStatus, status_from_records

log = logging.getLogger("ungp_hub.grader.service")
GRADER = "grader"


class Busy(UserError):
    """A run of this course goes on (HTTP 409)."""

    def __init__(self, reason: str):
        super().__init__(reason, 409)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Runs:
    """The runs this service made, by course and assignment; one thread per course at most."""

    def __init__(self, settings: Settings, starter=None):  # noqa: ANN001 - for tests
        self.settings = settings
        self.lock = threading.Lock()
        self.statuses: dict[tuple[str, str], GradingStatus] = {}
        self.busy: dict[str, str] = {}  # course -> assignment being graded
        self.starter = starter or self._thread

    def status(self, course: str, assignment: str) -> GradingStatus:
        with self.lock:
            status = self.statuses.get((course, assignment))
        if status is not None:
            return status
        from .site import site_assignment

        return status_from_records(site_assignment(self.settings, course, assignment))

    def start(
        self, course: str, assignment: str, students: list[str], force: bool, who: str
    ) -> GradingStatus:
        from .site import site_assignment

        work = site_assignment(self.settings, course, assignment)  # refuses unknown ones
        with self.lock:
            if course in self.busy:
                raise Busy(
                    f"the grader is grading {course}/{self.busy[course]}; wait for it "
                    "to finish (see its status) and ask again"
                )
            status = GradingStatus(
                course,
                assignment,
                "running",
                started_at=_now(),
                total=len(students or work.students()),
            )
            self.busy[course] = assignment
            self.statuses[(course, assignment)] = status
        log.info(
            "%s asked to grade %s/%s (%s)",
            who,
            course,
            assignment,
            ", ".join(students) if students else "all submissions",
        )
        self.starter(lambda: self._run(work, status, students, force))
        return status

    @staticmethod
    def _thread(target) -> None:  # noqa: ANN001
        threading.Thread(target=target, daemon=True, name="grading").start()

    def _run(self, work, status: GradingStatus, students: list[str], force: bool) -> None:  # noqa: ANN001
        from .site import site_run

        started = time.monotonic()

        def record(result: SubmissionResult) -> None:
            with self.lock:
                status.results.append(result)

        try:
            run = site_run(self.settings, work, on_result=record)
            summary = run.grade(students or None, force=force)
            with self.lock:
                status.results = list(summary.results)
                status.state = "done"
        except Exception as error:  # noqa: BLE001 - reported in the status, logged here
            log.exception("grading %s/%s failed", work.course, work.name)
            with self.lock:
                status.state = "failed"
                status.message = str(error)[:1000]
        finally:
            with self.lock:
                status.finished_at = _now()
                status.seconds = time.monotonic() - started
                self.busy.pop(work.course, None)
            log.info("%s/%s: %s", work.course, work.name, status.summary)


class GraderHandler(TokenAPIHandler):
    runs: Runs
    service = "the grader"

    def initialize(self, runs: Runs, directory: Directory) -> None:
        self.runs, self.directory = runs, directory

    def refusal(self, error: BaseException) -> tuple[int, str] | None:
        """A course the grader cannot find is 'not found' here (a bad name elsewhere)."""
        from ..courses.folders import CourseError

        if isinstance(error, CourseError):
            return 404, str(error)
        return super().refusal(error)

    def course(self, course: str) -> str:
        self.person.require_instructor(check_id(course, "course"))
        return course


class StatusHandler(GraderHandler):
    def get(self, course: str, assignment: str) -> None:
        status = self.runs.status(self.course(course), check_id(assignment, "assignment"))
        self.finish(status.to_json())


class GradeHandler(GraderHandler):
    def post(self, course: str, assignment: str) -> None:
        body = self.json_body()
        students = body.get("students") or []
        if not isinstance(students, list):
            raise UserError('"students" must be a list of trainee names')
        students = [check_id(str(s), "student") for s in students]
        status = self.runs.start(
            self.course(course),
            check_id(assignment, "assignment"),
            students,
            bool(body.get("force")),
            self.person.name,
        )
        self.set_status(202)
        self.finish(status.to_json())


def make_app(runs: Runs, directory: Directory, prefix: str) -> web.Application:
    """The grader's API under `prefix`."""
    name = r"([^/]+)"
    kwargs = {"runs": runs, "directory": directory}
    routes = [
        (rf"api/courses/{name}/assignments/{name}", StatusHandler, kwargs),
        (rf"api/courses/{name}/assignments/{name}/grade", GradeHandler, kwargs),
    ]
    return tornado_app(GRADER, prefix, routes)


class GraderService(HubService):
    """The grader, as JupyterHub runs it: the site settings' courses, sandbox and limits."""

    name = GRADER

    def make_app(self) -> web.Application:
        return make_app(Runs(self.settings), self.directory, self.prefix)

    def describe(self) -> str:
        return f"(courses in {self.settings.state_dir})"
