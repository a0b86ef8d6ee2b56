"""Pieces that run in user containers: feedback stripping, the formgrader header, config."""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_notebook, new_output
from tornado.httputil import HTTPHeaders, HTTPServerRequest
from traitlets.config import Config
from ungp_hub.courses.folders import course_environment, course_volumes
from ungp_hub.exchange.client.config import configure, current_course
from ungp_hub.exchange.client.feedback import HideHiddenTests
from ungp_hub.exchange.client.formgrader_frame import formgrader_transform
from ungp_hub.exchange.wire import leaks_hidden_tests


def test_hidden_tests_and_their_tracebacks_are_removed():
    source = (
        "assert f(1) == 1\n### BEGIN HIDDEN TESTS\nassert f(2) == 'secret'\n### END HIDDEN TESTS"
    )
    error = new_output("error", ename="AssertionError", evalue="secret", traceback=["secret"])
    cell = new_code_cell(source, outputs=[error])
    plain = new_code_cell("print(1)", outputs=[new_output("stream", name="stdout", text="1\n")])
    notebook = new_notebook(cells=[cell, plain])
    result, _ = HideHiddenTests().preprocess(notebook, {})
    text = nbformat.writes(result)
    assert "secret" not in text and "HIDDEN" not in text
    assert result.cells[0].source == "assert f(1) == 1"
    assert result.cells[0].outputs[0]["text"] == "Hidden tests: failed.\n"
    assert result.cells[1].outputs[0]["text"] == "1\n"
    assert leaks_hidden_tests(b"<p>Hidden tests: passed.</p>") is False
    assert leaks_hidden_tests(b"<span>BEGIN</span> <span>HIDDEN TESTS</span>") is True
    assert leaks_hidden_tests(b"<span>### BEGIN HIDDEN TESTS</span>") is True


def _headers_for(path: str) -> HTTPHeaders:
    transform = formgrader_transform("/user/ana/")(HTTPServerRequest(method="GET", uri=path))
    headers = HTTPHeaders({"Content-Security-Policy": "frame-ancestors 'none'"})
    transform.transform_first_chunk(200, headers, b"", True)
    return headers


def test_only_formgrader_pages_may_be_framed_by_the_same_origin():
    assert (
        "frame-ancestors 'self'" in _headers_for("/user/ana/formgrader")["Content-Security-Policy"]
    )
    assert "'self'" in _headers_for("/user/ana/formgrader/gradebook/ps1")["Content-Security-Policy"]
    for other in ("/user/ana/lab", "/user/ana/formgraderx", "/user/ana/api/formgrader"):
        assert _headers_for(other)["Content-Security-Policy"] == "frame-ancestors 'none'"


def test_configuration_of_instructor_and_trainee_containers(tmp_path):
    trainee = Config()
    configure(trainee, {"UNGP_EXCHANGE_URL": "http://x/services/exchange"})
    assert trainee.ExchangeFactory.submit.endswith("HubSubmit")
    assert "root" not in trainee.CourseDirectory
    instructor = Config()
    env = {"UNGP_EXCHANGE_URL": "http://x", "UNGP_COURSES": "a,b", "UNGP_COURSES_ROOT": "/c"}
    configure(instructor, env, cwd="/c/b/source")
    assert instructor.CourseDirectory.course_id == "b"
    assert instructor.CourseDirectory.db_url == "sqlite:////c/b/gradebook.db"
    assert current_course(["a", "b"], "/c", "/home") == "a"
    nothing = Config()
    configure(nothing, {})
    assert "ExchangeFactory" not in nothing


def test_only_existing_courses_taught_are_mounted(tmp_path):
    (tmp_path / "stats").mkdir()
    groups = ["instructors:stats", "instructors:gone", "trainees:econ", "trainees"]
    volumes = course_volumes(str(tmp_path), "/home/jovyan/courses", groups)
    assert volumes == {
        str(tmp_path / "stats"): {"bind": "/home/jovyan/courses/stats", "mode": "rw"}
    }
    assert course_volumes(str(tmp_path), "/m", ["trainees:stats"]) == {}
    env = course_environment(str(tmp_path), "/m", groups, "", 0.5)
    assert env["UNGP_COURSES"] == "stats" and env["UNGP_LATE_PENALTY_PER_HOUR"] == "0.5"
