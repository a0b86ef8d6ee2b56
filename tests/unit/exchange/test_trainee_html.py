"""Trainee-controlled HTML is inert in the formgrader and in feedback (issue 16).

The same payloads as the browser test (tests/browser/test_formgrader_xss.py): an image whose
``onerror`` runs, a ``<script>``, a ``javascript:`` link, in Markdown and in outputs.
"""

from __future__ import annotations

import os

import nbgrader
import pytest
from bs4 import BeautifulSoup
from nbconvert.exporters import HTMLExporter
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from tornado.httputil import HTTPHeaders, HTTPServerRequest
from traitlets.config import Config
from ungp_hub.exchange.client.config import configure
from ungp_hub.exchange.client.formgrader_frame import (
    formgrader_transform,
    nonced_exporter_class,
    page_policy,
)
from ungp_hub.trainee_html import TraineeHTMLExporter, clean_trainee_html

PAYLOADS = [
    '<img src=x onerror="window.__pwned=1">',
    "<script>window.__pwned=2</script>",
    '<a href="javascript:window.__pwned=3">link</a>',
    '<a href=" data:text/html,<script>window.__pwned=4</script>">link</a>',
    "<svg><script>window.__pwned=5</script></svg>",
    '<svg onload="window.__pwned=6"></svg>',
    '<iframe src="javascript:window.__pwned=8"></iframe>',
    '<form action="javascript:window.__pwned=9"><button>go</button></form>',
    '<p style="background:url(javascript:window.__pwned=10)">x</p>',
    # last: an HTML parser that misses it takes everything after it for a style sheet
    '<math><mtext><table><mglyph><style><img src=x onerror="window.__pwned=7">',
]
TEMPLATES = os.path.join(
    os.path.dirname(nbgrader.__file__), "server_extensions/formgrader/templates"
)
RESOURCES = {
    "base_url": "/user/instructor",
    "notebook_id": "problem1",
    "assignment_id": "ps1",
    "submission_id": "abc",
    "index": 0,
    "total": 1,
    "student": "trainee1",
    "last_name": "",
    "first_name": "",
    "notebook_path": "courses/demo/autograded/trainee1/ps1/problem1.ipynb",
}


def runnable(html: str) -> list[str]:
    """What a browser would run from ``html``: script elements, on* attributes, js: URLs."""
    found = []
    for element in BeautifulSoup(html, "html.parser").find_all(True):
        if element.name in ("script", "iframe", "object", "embed", "form", "svg", "math"):
            found.append(str(element)[:80])
        for name, value in element.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if name.startswith("on") or "javascript:" in text.replace(" ", "").lower():
                found.append(f"{element.name} {name}={text[:60]}")
            if name in ("href", "src") and text.strip().lower().startswith("data:text"):
                found.append(f"{element.name} {name}={text[:60]}")
    return found


@pytest.mark.parametrize("payload", PAYLOADS)
def test_each_payload_is_left_with_nothing_that_runs(payload):
    assert runnable(payload), "the payload itself must be dangerous"
    cleaned = clean_trainee_html(payload)
    assert runnable(cleaned) == []
    assert "__pwned" not in cleaned or "&lt;" in cleaned  # dropped, or shown as text


def test_what_notebooks_need_to_read_well_is_kept():
    table = (
        "<div><style scoped>.dataframe tbody tr th {vertical-align: top;}</style>"
        '<table border="1" class="dataframe"><thead><tr><th>price</th></tr></thead>'
        '<tbody><tr><td style="color: red; position: fixed">101.5</td></tr></tbody></table></div>'
    )
    cleaned = clean_trainee_html(table)
    assert '<table class="dataframe">' in cleaned and "<th>price</th>" in cleaned
    assert '<td style="color: red;">101.5</td>' in cleaned  # no position: fixed over the page
    assert "vertical-align" not in cleaned  # pandas' style block goes, not shown as text
    prose = '<h2>Method</h2><p>See <a href="https://unstats.un.org">UNSD</a> and <code>x</code></p>'
    assert clean_trainee_html(prose) == prose
    image = '<img src="data:image/png;base64,iVBORw0K" alt="chart">'
    assert clean_trainee_html(image) == image
    assert clean_trainee_html("<script>x</script>") == "&lt;script&gt;x&lt;/script&gt;"


def submission() -> dict:
    markdown = "# My answer\n\nThe index rises by **2.1%**.\n\n" + "\n\n".join(PAYLOADS)
    html_output = new_output(
        "display_data",
        data={"text/html": "<b>shown</b>" + "".join(PAYLOADS), "text/plain": "shown"},
    )
    script_output = new_output(
        "display_data", data={"application/javascript": "window.__pwned=20", "text/plain": ""}
    )
    markdown_output = new_output("display_data", data={"text/markdown": PAYLOADS[0]})
    grading = {"solution": True, "grade": True, "grade_id": "explain", "points": 1, "score": 0}
    answer = new_markdown_cell(markdown, metadata={"nbgrader": {**grading, "locked": False}})
    code = new_code_cell("show()", outputs=[html_output, script_output, markdown_output])
    forged = {**grading, "grade_id": 'x"><img src=x onerror="window.__pwned=30">'}
    tampered = new_code_cell("1", metadata={"nbgrader": forged})
    return new_notebook(cells=[new_markdown_cell("Intro <i>text</i>"), answer, code, tampered])


def formgrade_config() -> Config:
    config = Config()
    config.HTMLExporter.template_name = "formgrade"
    config.HTMLExporter.extra_template_basedirs = [TEMPLATES]
    return config


def test_stock_formgrader_page_runs_the_payloads():
    """The finding of issue 16, kept as the control for the test below."""
    html, _ = HTMLExporter(config=formgrade_config()).from_notebook_node(
        submission(), resources=dict(RESOURCES)
    )
    assert any("__pwned" in found for found in runnable(html))


def test_formgrader_page_keeps_the_answer_and_runs_no_trainee_code():
    exporter = TraineeHTMLExporter(config=formgrade_config())
    html, _ = exporter.from_notebook_node(submission(), resources=dict(RESOURCES))
    assert [found for found in runnable(html) if "__pwned" in found] == []
    # Independent of how a parser reads it: as many <script> tags as the formgrader writes
    # for an empty notebook.
    empty, _ = exporter.from_notebook_node(new_notebook(), resources=dict(RESOURCES))
    assert html.count("<script") == empty.count("<script")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("h1").get_text().startswith("My answer")
    assert soup.find("strong", string="2.1%") is not None
    assert soup.find("b", string="shown") is not None
    assert soup.find("i", string="text") is not None
    assert soup.find("input", id="explain") is not None  # the score box is still there
    assert "&lt;script&gt;window.__pwned=2&lt;/script&gt;" in html  # shown, as text


def test_feedback_is_rendered_sanitised():
    config = Config()
    configure(config, {"UNGP_EXCHANGE_URL": "http://x", "UNGP_COURSES": "demo"}, cwd="/")
    assert config.GenerateFeedback.exporter_class == "ungp_hub.trainee_html.TraineeHTMLExporter"
    from nbgrader.converters import GenerateFeedback

    feedback = GenerateFeedback(config=config)
    # What GenerateFeedback.start makes, with the feedback template it configures.
    exporter = feedback.exporter_class(parent=feedback, config=feedback.config)
    assert isinstance(exporter, TraineeHTMLExporter)
    assert exporter.template_name == "feedback"
    scores = {"notebook": "problem1", "score": 0, "max_score": 1, "late_penalty": 0}
    html, _ = exporter.from_notebook_node(submission(), resources={"nbgrader": scores})
    assert [found for found in runnable(html) if "__pwned" in found] == []
    assert "My answer" in html


def page_through_transform(placeholder: str) -> tuple[HTTPHeaders, str]:
    exporter = nonced_exporter_class(placeholder)(config=formgrade_config())
    html, _ = exporter.from_notebook_node(submission(), resources=dict(RESOURCES))
    transform = formgrader_transform("/user/instructor/", placeholder)(
        HTTPServerRequest(method="GET", uri="/user/instructor/formgrader/submissions/abc/")
    )
    headers = HTTPHeaders({"Etag": '"x"', "Content-Length": str(len(html.encode()))})
    _, headers, body = transform.transform_first_chunk(200, headers, html.encode(), True)
    assert headers["Content-Length"] == str(len(body))
    return headers, body.decode()


def test_only_the_formgraders_own_scripts_carry_the_responses_nonce():
    placeholder = "P" * 22
    headers, page = page_through_transform(placeholder)
    policy = headers["Content-Security-Policy"]
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert placeholder not in page and len(nonce) == 22
    scripts = BeautifulSoup(page, "html.parser").find_all("script")
    assert len(scripts) > 5  # jQuery, formgrade.js, the inline set-up block...
    assert {script.get("nonce") for script in scripts} == {nonce}
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'self'" in policy and "Etag" not in headers
    assert headers["Cache-Control"] == "no-store"
    again, _ = page_through_transform(placeholder)
    assert again["Content-Security-Policy"] != policy  # a fresh nonce per response


def test_a_script_in_the_data_never_gets_the_nonce():
    """Even with the sanitiser out of the way, a notebook's <script> stays unstamped."""
    placeholder = "Q" * 22
    exporter = nonced_exporter_class(placeholder)(config=formgrade_config())
    exporter.filters = {"clean_html": lambda html: html}  # as if the sanitiser missed it
    evil = {"text/html": "<script id=evil>window.__pwned=1</script>"}
    output = new_output("display_data", data=evil)
    notebook = new_notebook(cells=[new_code_cell("x", outputs=[output])])
    html, _ = exporter.from_notebook_node(notebook, resources=dict(RESOURCES))
    evil = BeautifulSoup(html, "html.parser").find("script", id="evil")
    assert evil is not None and evil.get("nonce") is None


def test_other_pages_keep_their_headers_and_api_answers_get_no_nonce():
    transform = formgrader_transform("/user/ana/", "R" * 22)
    lab = transform(HTTPServerRequest(method="GET", uri="/user/ana/lab"))
    headers = HTTPHeaders({"Content-Security-Policy": "frame-ancestors 'none'"})
    lab.transform_first_chunk(200, headers, b"<script>", True)
    assert headers["Content-Security-Policy"] == "frame-ancestors 'none'"
    api = transform(HTTPServerRequest(method="GET", uri="/user/ana/formgrader/api/assignments"))
    headers = HTTPHeaders()
    api.transform_first_chunk(200, headers, b"[]", True)
    assert headers["Content-Security-Policy"] == page_policy(None)
    assert "nonce-" not in headers["Content-Security-Policy"]
