"""nbgrader as people use it: the trainee's assignment list and the instructor's formgrader.

The instructor releases an assignment (in their container, as the CLI would); in Chromium the
trainee fetches and submits it from JupyterLab's Nbgrader menu and sees their progress on the
hub's landing page; the instructor opens the formgrader inside JupyterLab (the frame must
show: nbgrader issue #1870) and the course's progress page.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect
from testpolicy import ARTIFACTS
from ungp_hub.testing.client import HubUser
from ungp_hub.testing.containers import container_of, run_in, ungp_cli, write_in
from ungp_hub.testing.nbgrader_assignment import source_notebook

SLOW = 180_000


def log_in(page: Page, url: str, name: str, password: str) -> None:
    page.goto(f"{url}/hub/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", password)
    page.click("#login_submit")
    page.wait_for_url(f"**/user/{name}/lab**", timeout=SLOW)
    expect(page.locator(".jp-LauncherCard").first).to_be_visible(timeout=SLOW)


def open_from_nbgrader_menu(page: Page, item: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    page.locator(".lm-Menu-itemLabel").get_by_text(item, exact=True).click()


def test_trainee_fetches_and_submits_and_instructor_sees_it(
    hub_factory, unique, browser, docker_client
):
    hub = hub_factory()
    course = f"b{unique}"
    teacher, trainee = f"ines-{unique}", f"ana-{unique}"
    passwords = hub.add_people(
        f"username,role,course\n{teacher},instructor,{course}\n{trainee},trainee,{course}\n"
    )
    ungp_cli(hub.settings_file, "course", "create", course)
    instructor = HubUser(hub.url, teacher)
    assert instructor.login(passwords[teacher]).status_code == 302
    instructor.start_server()
    instructor.wait_ready()
    box = container_of(docker_client, teacher)
    home = f"/home/jovyan/courses/{course}"
    write_in(box, f"{home}/source/ps1/ps1.ipynb", source_notebook())
    run_in(box, "nbgrader", "generate_assignment", "ps1", workdir=home)
    run_in(box, "nbgrader", "release_assignment", "ps1", workdir=home)

    # The trainee, in JupyterLab: Nbgrader > Assignment List, Fetch, then Submit.
    trainee_context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = trainee_context.new_page()
    log_in(page, hub.url, trainee, passwords[trainee])
    open_from_nbgrader_menu(page, "Assignment List")
    released = page.locator("#released_assignments_list")
    expect(released).to_contain_text("ps1", timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / "course-trainee-assignment-list.png"))
    released.get_by_role("button", name="Fetch").click()
    fetched = page.locator("#fetched_assignments_list")
    expect(fetched).to_contain_text("ps1", timeout=60_000)
    fetched.get_by_role("button", name="Submit").click()
    expect(page.locator("#submitted_assignments_list")).to_contain_text("ps1", timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / "course-trainee-submitted.png"))
    # Trainees do not grade: the menu offers them no formgrader.
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    expect(page.locator(".lm-Menu-itemLabel").get_by_text("Assignment List")).to_be_visible()
    expect(page.locator(".lm-Menu-itemLabel").get_by_text("Formgrader", exact=True)).to_have_count(
        0
    )
    page.keyboard.press("Escape")

    page.goto(f"{hub.url}/hub/home")
    row = page.locator(f"#ungp-progress tr[data-course='{course}']")
    expect(row).to_contain_text(course)
    assert row.locator("td").all_inner_texts()[1:] == ["1", "1", "1", "0"]
    page.screenshot(path=str(ARTIFACTS / "course-trainee-landing-progress.png"))
    trainee_context.close()

    # The instructor: the formgrader inside JupyterLab shows the assignment and the submission.
    teacher_context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = teacher_context.new_page()
    log_in(page, hub.url, teacher, passwords[teacher])
    open_from_nbgrader_menu(page, "Formgrader")
    grader = page.frame_locator("iframe[src*='formgrader']")
    expect(grader.locator("body")).to_contain_text("ps1", timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / "course-instructor-formgrader.png"))

    page.goto(f"{hub.url}/services/exchange/progress/")
    progress = page.locator(f"#course-{course} tr[data-student='{trainee}']")
    expect(progress).to_contain_text("submitted", timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / "course-instructor-progress.png"))
    teacher_context.close()
