"""The newcomer's first hour, in Chromium, on the hub `make up` starts.

The hub is started as `make up` starts it (`ungp hub run` with settings/demo.yaml, in a
temporary state folder on free ports), so the demo it prepares is the one tested. Each demo
role logs in and does its first task from the landing page: the trainee opens a lesson, reads
the catalogue, starts a Dask cluster, fetches and submits an assignment and later reads the
feedback; the instructor collects, autogrades and releases feedback in the formgrader; the
analyst publishes a dashboard from a JupyterLab terminal, which an anonymous visitor then
views with every other host blocked; a verifier checks the demo certificate. Screenshots are
kept in test-artifacts/newcomer/.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

import nbformat
import pytest
import requests
from demo_fixtures import NAME_PREFIX, Demo
from playwright.sync_api import BrowserContext, Page, expect
from playwright.sync_api import Error as PlaywrightError
from testpolicy import ARTIFACTS, REPO_ROOT
from ungp_hub.certification.registry import Registry
from ungp_hub.testing.logs import EXPECTED_HUB_MESSAGES, assert_clean_log
from ungp_hub.testing.wait import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.integration]
SLOW = 180_000
SHOTS = ARTIFACTS / "newcomer"
# Not m0: the docs test (same demo hub, earlier in the session) fetches m0 as trainee1.
ASSIGNMENT = "m8_fast_indicators"


def goto(page: Page, url: str) -> None:
    """Navigate; again if Chromium dropped the load because an interface came or went (Docker
    adds and removes interfaces as containers and networks start and stop: ERR_NETWORK_CHANGED)."""
    for attempt in range(3):
        try:
            page.goto(url)
            return
        except PlaywrightError as error:
            if "ERR_NETWORK_CHANGED" not in str(error) or attempt == 2:
                raise


def follow(page: Page, link) -> None:
    """Follow a link as a click does, with goto's retry."""
    goto(page, urljoin(page.url, link.get_attribute("href")))


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def log_in(context: BrowserContext, hub: Demo, name: str) -> Page:
    page = context.new_page()
    goto(page, f"{hub.url}/hub/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", hub.passwords[name])
    page.click("#login_submit")
    page.wait_for_url(f"**/user/{name}/lab**", timeout=SLOW)
    expect(page.locator(".jp-LauncherCard").first).to_be_visible(timeout=SLOW)
    goto(page, f"{hub.url}/hub/home")
    expect(page.locator("#ungp-start-here")).to_be_visible()
    return page


def open_from_nbgrader_menu(page: Page, item: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    page.locator(".lm-Menu-itemLabel").get_by_text(item, exact=True).click()


def assignment_row(page: Page, listing: str, name: str):
    """The row of one assignment in nbgrader's Assignment List (names share prefixes)."""
    item_name = page.locator(".item_name").get_by_text(name, exact=True)  # inside the row
    return page.locator(f"{listing} .list_item").filter(has=item_name)


def run_in_new_notebook(page: Page, lab: str, code: str) -> None:
    # ?reset: an empty workspace, so the Launcher shows even if the last page left a document open
    goto(page, f"{lab}/lab?reset")
    page.locator(".jp-LauncherCard[title*='Python 3']").first.click(timeout=SLOW)
    expect(page.locator(".jp-StatusBar-Widget", has_text="| Idle").first).to_be_visible(
        timeout=SLOW
    )
    editor = page.locator(".jp-Cell .jp-InputArea-editor .cm-content").first
    editor.click()
    page.keyboard.insert_text(code)
    page.keyboard.press("Shift+Enter")


@pytest.fixture(scope="module")
def contexts(browser):
    made: dict[str, BrowserContext] = {}

    def context(role: str) -> BrowserContext:
        if role not in made:
            made[role] = browser.new_context(viewport={"width": 1280, "height": 900})
        return made[role]

    context.made = made
    yield context
    for context_ in made.values():
        context_.close()


@pytest.fixture(autouse=True)
def shots_on_failure(request, contexts):
    """Every open page as the person saw it when a step failed."""
    yield
    if getattr(getattr(request.node, "rep_call", None), "failed", False):
        for role, context in contexts.made.items():
            for number, page in enumerate(context.pages):
                shot(page, f"FAILED-{request.node.name}-{role}-{number}")


def test_trainee_opens_a_lesson_the_catalogue_and_a_dask_cluster(make_up_demo, contexts):
    page = log_in(contexts("trainee"), make_up_demo, "trainee1")
    lab = f"{make_up_demo.url}/user/trainee1"
    expect(page.locator("#ungp-start-here")).to_contain_text("As a trainee of demo")
    shot(page, "01-trainee-landing")

    follow(page, page.locator("#ungp-first-lessons"))
    rendered = page.locator(".jp-RenderedMarkdown")
    expect(rendered.locator("h1", has_text="Lessons of the course")).to_be_visible(timeout=SLOW)
    shot(page, "02-trainee-lesson-index")

    lesson = REPO_ROOT / "courses/m0-foundations/lessons/01-jupyter-and-pandas.ipynb"
    heading = nbformat.read(lesson, as_version=4).cells[0].source.splitlines()[0].lstrip("# ")
    goto(page, f"{lab}/lab/tree/lessons/demo/m0-foundations/{lesson.name}")
    expect(page.locator(".jp-Notebook").first).to_contain_text(heading, timeout=SLOW)
    shot(page, "03-trainee-lesson")

    goto(page, f"{make_up_demo.url}/hub/home")
    follow(page, page.locator("#ungp-start-here").get_by_role("link", name="data catalogue"))
    expect(rendered.get_by_text("Every dataset of the hub")).to_be_visible(timeout=SLOW)
    shot(page, "04-trainee-data-catalogue")

    run_in_new_notebook(
        page,
        lab,
        "from dask_gateway import Gateway\n"
        "cluster = Gateway().new_cluster()\n"
        "cluster.scale(1)\n"
        "client = cluster.get_client()\n"
        "client.wait_for_workers(1, timeout=120)\n"
        "print('dask says', client.submit(sum, [5, 4]).result())\n"
        "import os; print('uid', os.getuid())\n"
        "cluster.shutdown()",
    )
    output = page.locator(".jp-OutputArea-output").first
    expect(output).to_contain_text("dask says 9", timeout=SLOW)
    expect(output).to_contain_text("uid 1000")  # the image's unprivileged user
    # in the trainee's own container (its name is the demo's, see demo_fixtures)
    (container,) = make_up_demo.docker_client.containers.list(
        filters={"label": "org.ungp.user=trainee1", "name": NAME_PREFIX}
    )
    assert container.labels["org.ungp.profile"] == "trainee"
    shot(page, "05-trainee-dask")


def test_trainee_fetches_and_submits_the_first_assignment(make_up_demo, contexts):
    page = contexts("trainee").pages[0]
    goto(page, f"{make_up_demo.url}/user/trainee1/lab")
    open_from_nbgrader_menu(page, "Assignment List")
    released = assignment_row(page, "#released_assignments_list", ASSIGNMENT)
    try:
        expect(released).to_be_visible(timeout=SLOW)
    finally:
        shot(page, "06-trainee-assignment-list")
    released.get_by_role("button", name="Fetch").click()
    fetched = assignment_row(page, "#fetched_assignments_list", ASSIGNMENT)
    expect(fetched).to_be_visible(timeout=SLOW)
    fetched.get_by_role("button", name="Submit").click()
    expect(assignment_row(page, "#submitted_assignments_list", ASSIGNMENT)).to_be_visible(
        timeout=SLOW
    )
    shot(page, "07-trainee-submitted")


def close_success(page: Page) -> None:
    modal = page.locator("#success-modal")
    expect(modal).to_be_visible(timeout=SLOW)
    modal.locator("button.close, .btn.close").first.click()
    expect(modal).to_be_hidden(timeout=30_000)


def test_demo_hand_ins_belong_to_the_instructors_container_user(make_up_demo):
    """The demo hands in m0 for trainee2 and trainee3 as root on the host; nbgrader's collect
    (uid 1000, in the instructor's container) must be able to add their later hand-ins."""
    submitted = make_up_demo.state_dir / "courses" / "demo" / "submitted"
    for trainee in ("trainee2", "trainee3"):
        for path in [submitted / trainee, *(submitted / trainee).rglob("*")]:
            assert path.stat().st_uid == 1000, path


def test_instructor_collects_autogrades_and_releases_feedback(make_up_demo, contexts):
    page = log_in(contexts("instructor"), make_up_demo, "instructor")
    expect(page.locator("#ungp-start-here")).to_contain_text("As an instructor of demo")
    shot(page, "08-instructor-landing")
    follow(page, page.locator("#ungp-first-formgrader"))
    name_cell = page.locator("td.name").get_by_text(ASSIGNMENT, exact=True)
    row = page.locator("tr").filter(has=name_cell)
    expect(row).to_be_visible(timeout=SLOW)
    row.locator("td.collect a").click()
    close_success(page)
    shot(page, "09-instructor-collected")

    row.locator("td.num-submissions a").click()
    student = page.locator("tr").filter(has=page.locator("td.student-id", has_text="trainee1"))
    expect(student).to_be_visible(timeout=SLOW)
    student.locator("td.autograde a").click()
    close_success(page)
    expect(student.locator("td.score")).to_contain_text(
        re.compile(r"\d+(\.\d+)? / \d+"), timeout=SLOW
    )
    student.locator("td.generate-feedback a").click()
    close_success(page)
    student.locator("td.release-feedback a").click()
    close_success(page)
    shot(page, "10-instructor-feedback-released")

    # The formgrader inside JupyterLab too (framed by the server's own page: nbgrader #1870).
    goto(page, f"{make_up_demo.url}/user/instructor/lab")
    open_from_nbgrader_menu(page, "Formgrader")
    framed = page.frame_locator("iframe[src*='formgrader']")
    expect(framed.locator("body")).to_contain_text(ASSIGNMENT, timeout=SLOW)
    shot(page, "10b-instructor-formgrader-in-jupyterlab")
    goto(page, f"{make_up_demo.url}/services/exchange/progress/")
    progress = page.locator(
        f"#course-demo tr[data-student='trainee1'][data-assignment='{ASSIGNMENT}']"
    )
    expect(progress).to_contain_text("feedback", timeout=SLOW)
    shot(page, "10c-instructor-course-progress")


def test_trainee_reads_the_feedback(make_up_demo, contexts):
    page = contexts("trainee").pages[0]
    goto(page, f"{make_up_demo.url}/user/trainee1/lab")
    open_from_nbgrader_menu(page, "Assignment List")
    submitted = assignment_row(page, "#submitted_assignments_list", ASSIGNMENT)
    expect(submitted).to_be_visible(timeout=SLOW)
    submitted.get_by_role("button", name="Fetch Feedback").click()
    expect(submitted.get_by_text("view feedback")).to_be_visible(timeout=SLOW)
    shot(page, "11-trainee-feedback")
    goto(page, f"{make_up_demo.url}/hub/home")
    row = page.locator("#ungp-progress tr[data-course='demo']")
    expect(row.locator("td").nth(4)).to_have_text("1")


def test_analyst_publishes_from_a_terminal_and_anyone_views_it_offline(
    make_up_demo, contexts, browser
):
    page = log_in(contexts("analyst"), make_up_demo, "analyst")
    expect(page.locator("#ungp-start-here")).to_contain_text("As an analyst")
    goto(page, f"{make_up_demo.url}/user/analyst/lab?reset")
    page.locator(".jp-LauncherCard[title*='terminal' i]").first.click(timeout=SLOW)
    terminal = page.locator(".jp-Terminal").first
    expect(terminal).to_be_visible(timeout=SLOW)
    terminal.click()
    page.keyboard.type(
        "ungp dashboards examples ~/dashboards && ungp dashboards publish "
        "~/dashboards/scanner-monthly-cpi.ipynb --to public --slug cpi-newcomer "
        "--title 'Monthly CPI'\n"
    )
    public = f"{make_up_demo.url}/services/dashboards/public/cpi-newcomer"
    wait_for(lambda: requests.get(public, timeout=5).status_code == 200, 300, public)
    shot(page, "12-analyst-terminal")

    anonymous = browser.new_context(viewport={"width": 1280, "height": 900})
    outside: list[str] = []

    def only_the_hub(route) -> None:
        if re.match(r"^(https?|wss?)://(127\.0\.0\.1|localhost)[:/]", route.request.url):
            route.continue_()
        elif route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    anonymous.route("**/*", only_the_hub)
    viewer = anonymous.new_page()
    goto(viewer, public)
    expect(viewer.get_by_text("Monthly CPI").first).to_be_visible(timeout=SLOW)
    viewer.wait_for_load_state("networkidle")
    shot(viewer, "13-anonymous-public-dashboard")
    anonymous.close()
    assert outside == [], f"the public dashboard fetched from outside the hub: {outside}"


def test_verifier_checks_the_demo_certificate(make_up_demo, browser):
    (credential,) = Registry(
        make_up_demo.state_dir / "certification" / "registry.sqlite"
    ).credentials("trainee2", None, "foundation")
    anonymous = browser.new_context(viewport={"width": 1280, "height": 900})
    page = anonymous.new_page()
    goto(page, f"{make_up_demo.url}/services/certification/verify/{credential.id}")
    expect(page.get_by_text("VALID", exact=True).first).to_be_visible(timeout=60_000)
    # The holder has not agreed to show her name on the public page (the default setting).
    expect(page.get_by_text("Tara Trainee")).to_have_count(0)
    expect(page.get_by_text("Foundation certificate in big data").first).to_be_visible()
    shot(page, "14-verifier-valid")
    anonymous.close()


def test_the_journey_left_no_traceback_in_the_hub_and_services_log(make_up_demo):
    """The hub and every hub service print into the log of `ungp hub run` (what `make up`
    shows): after the docs' commands and every role's first task, no traceback, no error."""
    assert_clean_log(make_up_demo.log(), "the make up demo's log", EXPECTED_HUB_MESSAGES)
