"""The dashboards service over HTTP, with the hub's authentication replaced by a stand-in."""

import base64
import json

import pytest
from fakes import FakeHub, FakeRuns, notebook
from tornado.httpclient import AsyncHTTPClient
from tornado.httpserver import HTTPServer
from tornado.testing import bind_unused_port
from ungp_hub.dashboards.publishing import Publication, Publisher
from ungp_hub.dashboards.registry import Audience, Registry
from ungp_hub.dashboards.service import make_app

PREFIX = "/services/dashboards/"
ACCESS = "access:services!service=dashboards"


class FakeAuth:
    """'Authorization: token NAME' is the user NAME, holding the service's access scope."""

    access_scopes = {ACCESS}
    login_url = "/hub/login"

    def get_user(self, handler):
        scheme, _, name = handler.request.headers.get("Authorization", "").partition(" ")
        return {"name": name, "kind": "user", "scopes": [ACCESS]} if name else None

    def check_scopes(self, required, model):
        return set(required) & set(model["scopes"])

    def _persist_url_token_if_set(self, handler):
        pass


@pytest.fixture
def service(tmp_path):
    """The service on a free port, served by the test's own event loop (started lazily)."""
    hub = FakeHub(groups={"analysts": ["ana"], "ports": ["bob"], "trainees": ["eve"]})
    publisher = Publisher(Registry(tmp_path), hub, FakeRuns(), ["analysts"])
    app = make_app(publisher, PREFIX, "/")
    app.settings["hub_auth"] = FakeAuth()
    servers = []

    async def start():
        sock, port = bind_unused_port()
        server = HTTPServer(app)
        server.add_sockets([sock])  # in the loop that runs the test
        servers.append(server)
        return f"http://127.0.0.1:{port}{PREFIX}", publisher, hub

    yield start
    for server in servers:
        server.stop()


async def fetch(url, user="", method="GET", body=None):
    headers = {"Authorization": f"token {user}"} if user else {}
    return await AsyncHTTPClient().fetch(
        url,
        method=method,
        headers=headers,
        raise_error=False,
        follow_redirects=False,
        body=None if body is None else json.dumps(body),
        allow_nonstandard_methods=True,
    )


async def test_publish_through_the_api_and_refusals(service):
    url, publisher, _hub = await service()
    good = {"notebook": base64.b64encode(notebook()).decode(), "to": "ports", "title": "Ports"}
    response = await fetch(url + "api/dashboards", "ana", "POST", good)
    assert response.code == 200, response.body
    assert json.loads(response.body)["url"] == PREFIX + "d/ports"

    bad = dict(good, notebook=base64.b64encode(notebook("FAIL")).decode(), title="Other")
    response = await fetch(url + "api/dashboards", "ana", "POST", bad)
    assert response.code == 422
    assert "ValueError: no data for this week" in json.loads(response.body)["reason"]

    response = await fetch(url + "api/dashboards", "", "POST", good)
    assert response.code == 403  # no token: no publishing from a page's cookies

    response = await fetch(url + "api/dashboards", "eve", "POST", good)
    assert response.code == 403 and "analysts" in json.loads(response.body)["reason"]
    assert [d.slug for d in publisher.registry.all()] == ["ports"]


async def test_outsiders_get_a_refusal_that_names_nothing(service):
    url, publisher, hub = await service()
    await publisher.publish(
        Publication("ana", notebook(), "Secret port calls", Audience("group", "ports"))
    )
    for path in ("d/secret-port-calls", "d/no-such-one", "api/dashboards/secret-port-calls"):
        response = await fetch(url + path, "eve")
        assert response.code == 403, path
        assert b"Secret" not in response.body and b"secret" not in response.body
    listing = await fetch(url, "eve")
    assert listing.code == 200 and b"Secret port calls" not in listing.body
    runs = await fetch(url + "api/dashboards/secret-port-calls/runs", "bob")
    assert runs.code == 403  # a viewer, not the owner


async def test_members_see_it_listed_and_are_sent_on_or_shown_starting(service):
    url, publisher, hub = await service()
    await publisher.publish(
        Publication(
            "ana",
            notebook(),
            "Port calls",
            Audience("group", "ports"),
            description="Calls per week",
        )
    )
    listing = await fetch(url, "bob")
    assert b"Port calls" in listing.body and b"Calls per week" in listing.body
    starting = await fetch(url + "d/port-calls", "bob")
    assert starting.code == 200 and b'id="starting"' in starting.body
    hub.servers[("ana", "dash-port-calls")] = {"ready": True, "url": "/user/ana/dash-port-calls/"}
    ready = await fetch(url + "d/port-calls", "bob")
    assert ready.code == 302 and ready.headers["Location"] == "/user/ana/dash-port-calls/"


async def test_public_pages_need_no_login_and_are_sandboxed(service):
    url, publisher, _hub = await service()
    await publisher.publish(Publication("ana", notebook(), "Open", Audience("public")))
    await publisher.publish(Publication("ana", notebook(), "Closed", Audience("group", "ports")))
    page = await fetch(url + "public/open")
    assert page.code == 200 and page.body == b"<html>static</html>"
    assert page.headers["Content-Security-Policy"].startswith("sandbox")
    assert (await fetch(url + "public/closed")).code == 404
    assert (await fetch(url + "public/missing")).code == 404


async def test_public_pages_read_no_request_body(service):
    """Anyone may ask for a public page: a body (up to the 64 MB notebooks may have) is
    refused before it is read (issue 18)."""
    url, publisher, _hub = await service()
    await publisher.publish(Publication("ana", notebook(), "Open", Audience("public")))
    for path in ("public/open", "public/missing"):
        answer = await fetch(url + path, body="x" * 1_000_000)
        assert answer.code == 413, path
    assert (await fetch(url + "public/open")).code == 200


async def test_owner_sees_failed_refresh_on_the_page_and_in_runs(service):
    url, publisher, _hub = await service()
    await publisher.publish(Publication("ana", notebook(), "Ports", Audience("group", "ports")))
    (publisher.registry.folder("ports") / "source.ipynb").write_bytes(notebook("FAIL"))
    response = await fetch(url + "api/dashboards/ports/runs", "ana", "POST", {})
    assert json.loads(response.body)["status"] == "failed"
    owner_page = (await fetch(url, "ana")).body
    assert b"Last run failed" in owner_page and b"ValueError: no data" in owner_page
    assert b"Last run failed" not in (await fetch(url, "bob")).body
    runs = json.loads((await fetch(url + "api/dashboards/ports/runs", "ana")).body)["runs"]
    assert [r["status"] for r in runs] == ["failed", "succeeded"]
    output = await fetch(url + f"api/dashboards/ports/runs/{runs[0]['id']}/output", "ana")
    assert output.code == 200 and b"FAIL" in output.body
