"""Offline-complete pages: with every host but the hub blocked, nothing is asked of the outside.

Workshops run without internet access. Chromium aborts (and this test records) every request
to a host other than 127.0.0.1/localhost, then opens the shipped AIS dashboard published to
the public, anonymously (its widgets and plot are drawn from the state the run saved), and
sweeps the hub's and the services' pages and a private (Voila) dashboard.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

from dashboard_notebooks import DIAGRAM, widget_notebook
from playwright.sync_api import expect
from testpolicy import ARTIFACTS, require
from ungp_hub.dashboards.assets import HTML_MANAGER_PACKAGE, default_node_modules
from ungp_hub.dashboards.client import DashboardsClient
from ungp_hub.testing.client import HubUser
from ungp_hub.testing.wait import wait_for

LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def node_modules() -> Path:
    """`make` installs html-manager beside configurable-http-proxy; a test run may name another."""
    found = Path(os.environ.get("UNGP_TEST_NODE_MODULES") or default_node_modules())
    require(
        (found / HTML_MANAGER_PACKAGE / "dist" / "embed-amd.js").is_file(),
        f"the npm package {HTML_MANAGER_PACKAGE} in {found}",
    )
    return found


def offline_context(browser, external: list[str]):  # noqa: ANN001, ANN201
    """A browser context where only the hub's own host answers."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(120_000)
    context.set_default_navigation_timeout(180_000)

    def route(route) -> None:  # noqa: ANN001
        url = route.request.url
        if url.startswith(("data:", "blob:")) or urlparse(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            external.append(url)
            route.abort()

    context.route("**/*", route)
    return context


def login(page, hub, name: str, password: str) -> None:  # noqa: ANN001
    page.goto(f"{hub.url}/hub/login?next=/hub/home")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", password)
    page.click("#login_submit")
    page.wait_for_url("**/hub/home*", timeout=60_000)


def test_public_dashboard_and_every_page_work_with_the_outside_blocked(
    hub_factory, unique, browser, tmp_path
):
    from ungp_catalogs.build import build_catalog
    from ungp_hub.dashboards.examples import example_paths

    hub = hub_factory({"dashboards": {"node_modules": str(node_modules())}})
    build_catalog(hub.state_dir / "data", scale="small", domains=["ais"])
    analyst = f"a-{unique}"
    passwords = hub.add_people(f"username,role,full_name\n{analyst},analyst,Ana Lyst\n")
    person = HubUser(hub.url, analyst)
    person.login(passwords[analyst])
    client = DashboardsClient(f"{hub.url}/services/dashboards/", person.new_token())
    wait_for(lambda: client.list() is not None, 60, "the dashboards service")

    public = client.publish(example_paths()[0], "public", "Ports " + unique)
    private_source = tmp_path / "ports.ipynb"
    private_source.write_bytes(widget_notebook(DIAGRAM))
    private = client.publish(private_source, "all", "Private " + unique)

    external: list[str] = []
    anonymous = offline_context(browser, external)
    visitor = anonymous.new_page()
    response = visitor.goto(f"{hub.url}/services/dashboards/public/{public['slug']}")
    assert response.status == 200
    expect(visitor.locator("body")).to_contain_text("weeks 2024-W09 to 2024-W16")
    # The widgets, drawn by the widget manager the service serves, from the saved state:
    # the place and week menus, and the plot inside the output widget.
    expect(visitor.locator(".jupyter-widgets select").first).to_be_visible()
    expect(visitor.locator(".jupyter-widgets img").first).to_be_visible()
    # The example's method diagram, drawn by the Mermaid module the service serves.
    expect(visitor.locator(".jp-Mermaid img, .jp-Mermaid svg").first).to_be_visible()
    visitor.screenshot(path=str(ARTIFACTS / "offline-public-dashboard.png"), full_page=True)
    assert external == []

    visitor.goto(f"{hub.url}/hub/login")
    expect(visitor.locator("#login_submit")).to_be_visible()
    anonymous.close()

    context = offline_context(browser, external)
    page = context.new_page()
    login(page, hub, analyst, passwords[analyst])
    for path in (
        "/hub/home",
        "/hub/token",
        "/services/dashboards/",
        "/services/exchange/progress/",
        "/services/certification/",
    ):
        page.goto(f"{hub.url}{path}")
        page.wait_for_load_state("networkidle")
    # JupyterLab itself (the analyst's own server, started by this visit)
    page.goto(f"{hub.url}/hub/spawn", wait_until="commit")
    page.wait_for_url(f"**/user/{analyst}/lab**", timeout=180_000)
    expect(page.locator(".jp-LauncherCard").first).to_be_visible(timeout=180_000)
    page.wait_for_load_state("networkidle")
    # A private dashboard: the Voila page and its widgets, over the hub's proxy.
    page.goto(f"{hub.url}/services/dashboards/d/{private['slug']}", wait_until="commit")
    expect(page.locator("select").first).to_be_visible()
    expect(page.locator("text=calls at Rotterdam: 12")).to_be_visible()
    expect(page.locator(".jp-Mermaid img, .jp-Mermaid svg").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(ARTIFACTS / "offline-private-dashboard.png"))
    context.close()
    assert external == [], external
