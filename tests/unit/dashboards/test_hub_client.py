"""The service's calls to the hub's REST API, against a small stand-in of that API."""

import json

import pytest
from tornado.httpclient import HTTPClientError
from tornado.httpserver import HTTPServer
from tornado.testing import bind_unused_port
from tornado.web import Application, RequestHandler
from ungp_hub.dashboards.hub_client import HubClient


class FakeAPI(RequestHandler):
    """Records calls; servers, shares and a spawn that fails like JupyterHub 6.1's race."""

    def initialize(self, state):
        self.state = state

    def _record(self, body=True):
        payload = json.loads(self.request.body) if body and self.request.body else None
        self.state["calls"].append((self.request.method, self.request.uri, payload))

    def get(self, path):
        self._record(body=False)
        if path.startswith("users/ana"):
            self.finish(
                {
                    "name": "ana",
                    "groups": ["analysts"],
                    "admin": False,
                    "servers": self.state["servers"],
                }
            )
        elif path.startswith("shares/"):
            users = [{"user": {"name": n}, "group": None} for n in self.state["shared"]]
            self.finish({"items": [*users, {"user": None, "group": {"name": "ports"}}]})
        elif path == "groups/ports":
            self.finish({"name": "ports", "users": ["bob", "eve"]})
        else:
            self.set_status(404)

    def post(self, path):
        self._record()
        if path.startswith("users/") and self.state["spawn"] != "ok":
            if self.state["spawn"] == "race":  # the server starts, the answer is a 500
                self.state["servers"][path.rsplit("/", 1)[1]] = {"pending": "spawn"}
            self.set_status(500)
        self.finish("{}")

    def patch(self, path):
        self._record()
        self.finish("{}")


@pytest.fixture
def api():
    state = {"calls": [], "servers": {}, "shared": ["bob", "zed"], "spawn": "ok"}

    async def start():
        sock, port = bind_unused_port()
        server = HTTPServer(Application([(r"/hub/api/(.*)", FakeAPI, {"state": state})]))
        server.add_sockets([sock])
        return HubClient(f"http://127.0.0.1:{port}/hub/api", "secret"), state

    return start


async def test_person_groups_and_shares(api):
    hub, state = await api()
    assert await hub.person("ana") == (["analysts"], False)
    assert await hub.members("ports") == ["bob", "eve"]
    assert await hub.members("nobody") == []
    assert await hub.user_shares("ana", "dash-x") == {"bob", "zed"}  # group shares left out
    await hub.share_with_user("ana", "dash-x", "eve")
    await hub.revoke_user("ana", "dash-x", "zed")
    assert state["calls"][-2] == ("POST", "/hub/api/shares/ana/dash-x", {"user": "eve"})
    assert state["calls"][-1] == ("PATCH", "/hub/api/shares/ana/dash-x", {"user": "zed"})


async def test_start_survives_the_spawn_race_but_not_a_real_failure(api):
    hub, state = await api()
    state["spawn"] = "race"
    await hub.start("ana", "dash-x")  # 500, yet the server exists: fine
    state["spawn"] = "fail"
    with pytest.raises(HTTPClientError):
        await hub.start("ana", "dash-y")
