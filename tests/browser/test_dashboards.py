"""An analyst publishes dashboards; members, outsiders and the public open them in Chromium.

Real hub, real containers: the publish run, the dashboard server (gate + Voila) and the
refusals all go through the same paths as on a real hub.
"""

from __future__ import annotations

import time

import pytest
from dashboard_notebooks import failing_notebook, static_notebook, widget_notebook
from playwright.sync_api import expect
from testpolicy import ARTIFACTS
from ungp_hub.dashboards.client import DashboardsClient
from ungp_hub.dashboards.errors import DashboardError
from ungp_hub.testing.client import HubUser
from ungp_hub.testing.wait import wait_for

# In the dashboard's page: open a second connection to its kernel, ask it to run code and to
# describe itself; only the widget-safe request may get an answer.
EXECUTE_PROBE = """
async () => {
  const cfg = JSON.parse(document.getElementById("jupyter-config-data").textContent);
  const ws = new WebSocket(`ws://${location.host}${cfg.baseUrl}api/kernels/${cfg.kernelId}` +
                           `/channels?session_id=probe`);
  await new Promise((ok, fail) => { ws.onopen = ok; ws.onerror = fail; });
  const answered = new Set();
  ws.onmessage = (event) => {
    try { answered.add(JSON.parse(event.data).parent_header.msg_id); } catch (e) {}
  };
  const send = (id, type, content) => ws.send(JSON.stringify({
    header: {msg_id: id, msg_type: type, session: "probe", username: "", version: "5.3",
             date: new Date().toISOString()},
    parent_header: {}, metadata: {}, content: content, channel: "shell", buffers: []}));
  send("probe-exec", "execute_request", {code: "open('/srv/dashboard/x', 'w')", silent: false,
       store_history: false, user_expressions: {}, allow_stdin: false});
  send("probe-info", "kernel_info_request", {});
  await new Promise((ok) => setTimeout(ok, 4000));
  ws.close();
  return {info: answered.has("probe-info"), executed: answered.has("probe-exec")};
}
"""


def login(page, hub, name: str, password: str, then: str = "/hub/home") -> None:
    """Log in and go to `then` (not to /hub/spawn: viewers need no JupyterLab server)."""
    page.goto(f"{hub.url}/hub/login?next={then}")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", password)
    page.click("#login_submit")
    page.wait_for_url(f"**{then}*", timeout=60_000)


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_publish_share_refuse_and_public(hub_factory, unique, browser, tmp_path):
    hub = hub_factory()
    analyst, member, outsider = f"a-{unique}", f"m-{unique}", f"o-{unique}"
    group = f"ports-{unique}"
    passwords = hub.add_people(
        "username,role,full_name\n"
        f"{analyst},analyst,Ana Lyst\n{member},trainee,Mem Ber\n{outsider},trainee,Out Sider\n"
    )
    hub.api.request("POST", f"/groups/{group}", json={"users": [member]}).raise_for_status()

    person = HubUser(hub.url, analyst)
    person.login(passwords[analyst])
    client = DashboardsClient(f"{hub.url}/services/dashboards/", person.new_token())
    wait_for(lambda: client.list() is not None, 60, "the dashboards service")

    # A notebook that raises is refused with the notebook's own error, and nothing is listed.
    with pytest.raises(DashboardError) as refused:
        client.publish(write(tmp_path, "broken.ipynb", failing_notebook()), group, "Broken")
    assert "ValueError: reference week 2024-W99 has no AIS data" in str(refused.value)
    assert client.list() == []

    started = time.monotonic()
    published = client.publish(
        write(tmp_path, "ports.ipynb", widget_notebook()),
        group,
        "Port calls " + unique,
        description="Weekly calls per port",
        parameters={"scale": 2},
    )
    slug = published["slug"]
    server_path = f"/user/{analyst}/dash-{slug}/"

    # A member of the group finds it on the dashboards page and opens it.
    members = browser.new_context(viewport={"width": 1280, "height": 800})
    page = members.new_page()
    login(page, hub, member, passwords[member])
    page.click("#ungp-landing a:has-text('Dashboards')")
    expect(page.locator("#dashboards")).to_contain_text("Port calls " + unique)
    expect(page.locator("#dashboards")).to_contain_text("Weekly calls per port")
    page.screenshot(path=str(ARTIFACTS / "dashboards-list.png"))
    page.click(f"a[href$='d/{slug}']")
    dropdown = page.locator("select").first
    expect(dropdown).to_be_visible(timeout=180_000)
    first_render = time.monotonic() - started
    print(f"\npublish to first render: {first_render:.1f} s")
    (ARTIFACTS / "dashboards-publish-to-render.txt").write_text(f"{first_render:.1f} s\n")
    assert server_path in page.url
    output = page.locator("text=calls at Rotterdam: 24")  # parameter scale=2 applied
    expect(output).to_be_visible(timeout=60_000)
    # The kernel has no home files, no hub token, and cannot write its snapshot.
    expect(page.locator("body")).to_contain_text("home files: []")
    expect(page.locator("body")).to_contain_text("token in kernel: False")
    expect(page.locator("body")).to_contain_text("snapshot writable: no")

    dropdown.select_option("Hamburg")
    expect(page.locator("text=calls at Hamburg: 10")).to_be_visible(timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "dashboards-member-widget.png"))

    # The kernel's websocket carries widget messages, never code sent by a viewer.
    probe = page.evaluate(EXECUTE_PROBE)
    assert probe == {"info": True, "executed": False}

    # Through Voila's server nothing but the dashboard is reachable.
    for path in (
        "api/contents",
        "api/terminals",
        "voila/files/dashboard.ipynb",
        "voila/tree",
        "api/kernels",
        "lab",
    ):
        response = page.request.get(f"{hub.url}{server_path}{path}")
        assert response.status == 403, (path, response.status)

    # An outsider is refused, without the title or the data.
    outsiders = browser.new_context()
    other = outsiders.new_page()
    login(other, hub, outsider, passwords[outsider])
    for url in (f"{hub.url}/services/dashboards/d/{slug}", f"{hub.url}{server_path}"):
        response = other.goto(url)
        assert response.status == 403, (url, response.status)
        text = other.content()
        assert "Port calls" not in text and "calls at" not in text
    other.goto(f"{hub.url}/services/dashboards/")
    assert "Port calls" not in other.content()
    other.screenshot(path=str(ARTIFACTS / "dashboards-outsider-refused.png"))

    # Stopped while idle (as the culler does), it starts again on the next visit.
    hub.api.request("DELETE", f"/users/{analyst}/servers/dash-{slug}").raise_for_status()
    wait_for(
        lambda: (
            not hub.api.request("GET", f"/users/{analyst}").json()["servers"].get(f"dash-{slug}")
        ),
        60,
        "the dashboard server to stop",
    )
    page.goto(f"{hub.url}/services/dashboards/d/{slug}")
    expect(page.locator("#starting")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "dashboards-starting.png"))
    expect(page.locator("select").first).to_be_visible(timeout=120_000)
    expect(page.locator("text=calls at Rotterdam: 24")).to_be_visible(timeout=60_000)

    # A public dashboard opens with no login at all, as a static page without a kernel.
    public = client.publish(
        write(tmp_path, "public.ipynb", static_notebook()), "public", "Public " + unique
    )
    anonymous = browser.new_context()
    visitor = anonymous.new_page()
    response = visitor.goto(f"{hub.url}/services/dashboards/public/{public['slug']}")
    assert response.status == 200
    assert "sandbox" in response.headers["content-security-policy"]
    expect(visitor.locator("body")).to_contain_text("public figure: 42")
    visitor.screenshot(path=str(ARTIFACTS / "dashboards-public.png"))
    # ... while a group dashboard has no public page.
    assert visitor.goto(f"{hub.url}/services/dashboards/public/{slug}").status == 404

    # Unpublishing removes access at once.
    client.unpublish(slug)
    assert page.goto(f"{hub.url}/services/dashboards/d/{slug}").status == 403
    gone = page.goto(f"{hub.url}{server_path}")
    assert "calls at" not in page.content(), gone.status
    for context in (members, outsiders, anonymous):
        context.close()


def test_example_dashboard_refreshes_and_a_failed_run_keeps_it(hub_factory, unique, browser):
    """The shipped AIS example on real (small) catalogue data, then a refresh that fails."""
    from ungp_catalogs.build import build_catalog
    from ungp_hub.dashboards.examples import example_paths

    hub = hub_factory()
    build_catalog(hub.state_dir / "data", scale="small", domains=["ais"])
    analyst = f"a-{unique}"
    passwords = hub.add_people(f"username,role,full_name\n{analyst},analyst,Ana Lyst\n")
    person = HubUser(hub.url, analyst)
    person.login(passwords[analyst])
    client = DashboardsClient(f"{hub.url}/services/dashboards/", person.new_token())
    wait_for(lambda: client.list() is not None, 60, "the dashboards service")

    published = client.publish(example_paths()[0], "all", "Weekly ports " + unique)
    slug = published["slug"]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    # Voila runs the whole notebook for every page load: on a busy 2-core machine the first
    # byte and the widgets can take longer than Playwright's 30 s defaults.
    context.set_default_timeout(120_000)
    context.set_default_navigation_timeout(180_000)
    page = context.new_page()
    login(page, hub, analyst, passwords[analyst])
    # Voila streams the page while the notebook runs: do not wait for "load"
    page.goto(f"{hub.url}/services/dashboards/d/{slug}", wait_until="commit")
    expect(page.locator("text=Reference week").first).to_be_visible(timeout=180_000)
    page.get_by_role("button", name="country").click()
    expect(page.locator("text=, all countries:").first).to_be_visible(timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / "dashboards-example-ais.png"), full_page=True)

    # A refresh with a week the data does not have fails; the dashboard stays as it was.
    client.schedule(slug, every=3600, parameters={"reference_week": "2001-W01"})
    client_run = client.refresh(slug)
    assert client_run["status"] == "failed"
    assert "2001-W01 is not in the data" in client_run["error"]
    runs = client.runs(slug)
    assert [r["status"] for r in runs] == ["failed", "succeeded"]
    assert all(r["duration_s"] > 0 for r in runs)
    page.goto(f"{hub.url}/services/dashboards/")
    expect(page.locator(".run-status.failed")).to_contain_text("Last run failed")
    page.screenshot(path=str(ARTIFACTS / "dashboards-failed-refresh.png"))
    # Voila streams the page while the notebook runs: do not wait for "load"
    page.goto(f"{hub.url}/services/dashboards/d/{slug}", wait_until="commit")
    expect(page.locator("text=Reference week").first).to_be_visible(timeout=120_000)
    context.close()
