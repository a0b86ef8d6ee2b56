"""The hub services' pages escape what people typed and forbid every script (issue 16).

Each service's page handler renders a template holding a name a trainee or analyst chose;
the answer escapes it and carries ``ungp_hub.service.page_policy.SERVICE_PAGES``.
"""

from __future__ import annotations

import pytest
from tornado import web
from tornado.httpclient import AsyncHTTPClient
from tornado.httpserver import HTTPServer
from tornado.testing import bind_unused_port
from ungp_hub.certification.service import PageHandler
from ungp_hub.dashboards.service import Base as DashboardsPage
from ungp_hub.exchange.service import ProgressPageHandler
from ungp_hub.service.page_policy import SERVICE_PAGES

TYPED = '<img src=x onerror="window.__pwned=1">'


def page(handler_class: type[web.RequestHandler]) -> type[web.RequestHandler]:
    class Page(handler_class):
        def initialize(self) -> None:
            pass

        def get_current_user(self) -> dict[str, str]:
            return {"name": "ana"}  # the hub's login is tested elsewhere

        def get(self) -> None:
            self.render("typed.html", typed=TYPED)

    return Page


@pytest.mark.parametrize("handler_class", [ProgressPageHandler, PageHandler, DashboardsPage])
async def test_a_service_page_escapes_and_forbids_script(tmp_path, handler_class):
    (tmp_path / "typed.html").write_text("<p>{{ typed }}</p>")
    settings = {"template_path": str(tmp_path), "prefix": "/services/x/", "hub_home": "/hub/home"}
    app = web.Application([("/", page(handler_class))], **settings)
    sock, port = bind_unused_port()
    server = HTTPServer(app)
    server.add_sockets([sock])
    try:
        answer = await AsyncHTTPClient().fetch(f"http://127.0.0.1:{port}/")
    finally:
        server.stop()
    assert answer.headers["Content-Security-Policy"] == SERVICE_PAGES
    assert "default-src 'none'" in SERVICE_PAGES and "script-src" not in SERVICE_PAGES
    assert answer.body.decode() == "<p>&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;</p>"
