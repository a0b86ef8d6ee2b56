"""A trainee's HTML does not run in the instructor's formgrader (issue 16), in Chromium.

On the `make up` demo hub (shared with test_newcomer): trainee1 fetches an assignment that no
other test uses, adds a Markdown cell and a code cell that displays HTML and
JavaScript, each carrying payloads that would set ``window.__pwned`` or the page's title, and
submits it through the Assignment List's API. The instructor collects it and autogrades it
(the sandboxes run the trainee's display code, so the outputs are the trainee's), then opens
the submission in the formgrader: no payload ran, the answer's Markdown and the displayed
HTML still render, and the page came with a policy that forbids inline script.
"""

from __future__ import annotations

import nbformat
import pytest
import requests
from nbformat.v4 import new_code_cell, new_markdown_cell
from playwright.sync_api import expect
from test_newcomer import goto, shot

pytestmark = [pytest.mark.browser, pytest.mark.integration]
COURSE = "demo"
ASSIGNMENT = "m2_port_calls"  # not m0 (docs test) nor m8 (newcomer journey)
# trainee2 and trainee3 cannot hand in again on the demo: their submitted/ folders were made
# by the demo's set-up as root, and the instructor's collect (uid 1000) is refused there.
TRAINEE = "trainee1"
TITLE_PAYLOAD = "document.title='pwned'"
MARKDOWN = f"""## My method

The suppressed cells are **marked**.

<img src=x onerror="window.__pwned='markdown img'">
<script>window.__pwned='markdown script';{TITLE_PAYLOAD}</script>
<a href="javascript:window.__pwned='markdown link'">details</a>
<svg onload="window.__pwned='markdown svg'"></svg>
"""
DISPLAY = f"""from IPython.display import HTML, Javascript, Markdown, display
display(HTML("<b id='shown'>Table 3 is safe</b>"
             "<img src=x onerror=\\"window.__pwned='output img'\\">"
             "<script>window.__pwned='output script';{TITLE_PAYLOAD}</script>"))
display(Javascript("window.__pwned='output javascript'"))
display(Markdown("<img src=y onerror=\\"window.__pwned='output markdown'\\">"))
"""


def call(url: str, token: str, method: str, path: str, **kwargs) -> requests.Response:
    headers = {"Authorization": f"token {token}"}
    response = requests.request(method, url + path, headers=headers, timeout=600, **kwargs)
    assert response.ok, f"{method} {path}: {response.status_code} {response.text[:2000]}"
    return response


def submit_with_payloads(hub) -> str:
    """Fetch, add the payload cells, submit as the trainee; the notebook's name."""
    url, token = hub.server(TRAINEE)
    form = {"course_id": COURSE, "assignment_id": ASSIGNMENT}
    listing = call(url, token, "POST", "/assignments/fetch", data=form).json()
    fetched = [
        entry
        for entry in listing["value"]
        if entry["assignment_id"] == ASSIGNMENT and entry["status"] == "fetched"
    ]
    assert len(fetched) == 1, listing
    (fetched,) = fetched
    notebook = fetched["notebooks"][0]
    path = f"/api/contents/{notebook['path']}"
    model = call(url, token, "GET", path).json()
    nb = nbformat.from_dict(model["content"])
    nb.cells += [new_markdown_cell(MARKDOWN), new_code_cell(DISPLAY)]
    call(url, token, "PUT", path, json={"type": "notebook", "content": nb})
    result = call(url, token, "POST", "/assignments/submit", data=form).json()
    assert result.get("success", True) is not False, result
    return notebook["notebook_id"]


def grade_and_find_submission(hub, notebook_id: str) -> str:
    """Collect and autograde as the instructor (sandboxed); the submission's formgrader id."""
    url, token = hub.server("instructor")
    api = "/formgrader/api"
    collected = call(url, token, "POST", f"{api}/assignment/{ASSIGNMENT}/collect").json()
    assert collected["success"], collected["error"] + collected["log"]
    graded = call(url, token, "POST", f"{api}/submission/{ASSIGNMENT}/{TRAINEE}/autograde")
    assert graded.json()["success"], graded.text
    submissions = call(url, token, "GET", f"{api}/submitted_notebooks/{ASSIGNMENT}/{notebook_id}")
    (submission,) = [s for s in submissions.json() if s["student"] == TRAINEE]
    return submission["id"]


def test_trainee_html_does_not_run_in_the_instructors_formgrader(make_up_demo, browser):
    notebook_id = submit_with_payloads(make_up_demo)
    submission_id = grade_and_find_submission(make_up_demo, notebook_id)

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    blocked: list[str] = []
    page.on("console", lambda message: blocked.append(message.text))
    goto(page, f"{make_up_demo.url}/hub/login")
    page.fill("input[name=username]", "instructor")
    page.fill("input[name=password]", make_up_demo.passwords["instructor"])
    page.click("#login_submit")
    page.wait_for_url("**/user/instructor/**", timeout=180_000)

    submission_url = f"{make_up_demo.url}/user/instructor/formgrader/submissions/{submission_id}/"
    with page.expect_response(lambda r: r.url.startswith(submission_url)) as answer:
        goto(page, submission_url)
    policy = answer.value.headers.get("content-security-policy", "")
    try:
        expect(page.locator("h2", has_text="My method")).to_be_visible(timeout=60_000)
        page.wait_for_load_state("load")
        page.wait_for_timeout(1000)  # give an onerror/onload a chance to fire, were it there
        assert page.evaluate("() => window.__pwned") is None
        assert page.title() != "pwned"
        assert page.locator("[onerror], [onload], a[href^='javascript']").count() == 0
        # The formgrader's own inline script ran (it defines the page's submission_id).
        assert page.evaluate("() => typeof submission_id") == "string"
        # The answer and the displayed HTML render; the payloads are shown as text or dropped.
        expect(page.locator("strong", has_text="marked")).to_be_visible()
        expect(page.locator("b", has_text="Table 3 is safe")).to_be_visible()
        expect(page.get_by_text("window.__pwned='markdown script'").first).to_be_visible()
        # nbgrader's own list pages still work under the policy (their tables are built by
        # scripts the policy must let run).
        goto(page, f"{make_up_demo.url}/user/instructor/formgrader/manage_submissions/{ASSIGNMENT}")
        student = page.locator("tr").filter(has=page.locator("td.student-id", has_text=TRAINEE))
        expect(student.locator("td.score")).to_contain_text("/", timeout=60_000)
    finally:
        shot(page, "formgrader-xss")
        context.close()
    scripts = policy.split("script-src")[1].split(";")[0]
    assert "'nonce-" in scripts and "unsafe-inline" not in scripts, policy
    # No inline script was even tried: neither the formgrader's own (nonce) nor a trainee's.
    assert [m for m in blocked if "Content Security Policy" in m and "inline" in m] == []
