"""A trainee logs in with the password from their login slip and works in JupyterLab."""

from __future__ import annotations

from playwright.sync_api import expect
from testpolicy import ARTIFACTS


def test_trainee_logs_in_and_runs_a_cell_in_their_container(
    hub_factory, unique, page, docker_client
):
    hub = hub_factory()
    name = f"t-{unique}-web"
    passwords = hub.add_people(f"username,role,full_name\n{name},trainee,Web Trainee\n")

    page.goto(f"{hub.url}/hub/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", passwords[name])
    page.click("#login_submit")

    # The hub spawns the server and JupyterLab opens in the trainee's own container.
    page.wait_for_url(f"**/user/{name}/lab**", timeout=180_000)
    launcher = page.locator(".jp-LauncherCard[title*='Python 3']").first
    expect(launcher).to_be_visible(timeout=120_000)
    containers = docker_client.containers.list(filters={"label": f"org.ungp.user={name}"})
    assert len(containers) == 1, "the server must run in the trainee's container"

    launcher.click()
    # Like a person, wait until the notebook's kernel is connected and idle before running.
    expect(page.locator(".jp-StatusBar-Widget", has_text="| Idle").first).to_be_visible(
        timeout=120_000
    )
    cell = page.locator(".jp-Cell .jp-InputArea-editor .cm-content").first
    expect(cell).to_be_visible(timeout=60_000)
    cell.click()
    page.keyboard.type("import os; print('sum', 5 * 4, 'uid', os.getuid())")
    page.keyboard.press("Shift+Enter")
    output = page.locator(".jp-OutputArea-output").first
    expect(output).to_contain_text("sum 20 uid 1000", timeout=120_000)
    page.screenshot(path=str(ARTIFACTS / "trainee-jupyterlab.png"))

    # The landing page says where to go.
    page.goto(f"{hub.url}/hub/home")
    landing = page.locator("#ungp-landing")
    for section in ("Courses", "Data", "Dashboards", "Certificates"):
        expect(landing).to_contain_text(section)
    page.screenshot(path=str(ARTIFACTS / "trainee-landing.png"))
