"""Public pages load their scripts from the dashboards service, never from a CDN."""

from pathlib import Path

import pytest
from test_service import PREFIX, fetch
from tornado.httpserver import HTTPServer
from tornado.testing import bind_unused_port
from ungp_hub.dashboards.assets import (
    PUBLIC_TEMPLATE,
    TEMPLATES_ROOT,
    asset_roots,
    exporter_options,
)
from ungp_hub.dashboards.runner import RUN_SCRIPT, WORKDIR, RunLimits
from ungp_hub.dashboards.service import make_app


def test_every_exporter_url_is_under_the_services_assets():
    options = exporter_options(f"{PREFIX}assets/")
    settings = dict(
        o.removeprefix("--HTMLExporter.").split("=", 1)
        for o in options
        if o.startswith("--HTMLExporter.")
    )
    # nbconvert's three configurable CDN URLs (require.js, the widget manager, MathJax), each
    # replaced; Mermaid's is not configurable: the template (next test).
    assert set(settings) == {"require_js_url", "widget_renderer_url", "mathjax_url"}
    assert all(url.startswith(f"{PREFIX}assets/") for url in settings.values())
    assert settings["widget_renderer_url"].endswith("html-manager/embed-amd.js")


def test_the_public_template_imports_mermaid_from_the_assets():
    """nbconvert 7.17 loads Mermaid from cdnjs when a page has a diagram, and its
    `mermaid_js_url` is not configurable: the `ungp-public` template points it at the assets."""
    import nbformat
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config()
    for option in exporter_options(f"{PREFIX}assets/"):
        name, value = option.removeprefix("--").split("=", 1)
        if name.startswith("HTMLExporter."):
            config.HTMLExporter[name.removeprefix("HTMLExporter.")] = value
    exporter = HTMLExporter(
        config=config,
        template_name=PUBLIC_TEMPLATE,
        extra_template_basedirs=[str(TEMPLATES_ROOT / "nbconvert" / "templates")],
    )
    book = nbformat.v4.new_notebook()
    book.cells = [nbformat.v4.new_markdown_cell("```mermaid\nflowchart LR\n  a --> b\n```")]
    html, _ = exporter.from_notebook_node(book)
    assert "jp-Mermaid" in html
    assert f'import("{PREFIX}assets/mermaid/mermaid.esm.min.mjs")' in html
    assert "cdnjs" not in html and "jsdelivr" not in html


def test_the_render_command_carries_the_options():
    limits = RunLimits(image="x", render_options=exporter_options("/s/a b/"))
    script = RUN_SCRIPT.format(workdir=WORKDIR, render_options=" ".join(limits.render_options))
    assert "--HTMLExporter.require_js_url=/s/a b/require/require.js" in script


def test_asset_roots_find_jupyterhubs_require_and_an_installed_html_manager(tmp_path: Path):
    dist = tmp_path / "@jupyter-widgets" / "html-manager" / "dist"
    assert "html-manager" not in asset_roots(tmp_path)  # not installed: not served
    dist.mkdir(parents=True)
    roots = asset_roots(tmp_path)
    assert roots["html-manager"] == dist
    assert (roots["require"] / "require.js").is_file()


@pytest.fixture
def assets_service(tmp_path):
    from fakes import FakeHub, FakeRuns
    from ungp_hub.dashboards.publishing import Publisher
    from ungp_hub.dashboards.registry import Registry

    dist = tmp_path / "node" / "@jupyter-widgets" / "html-manager" / "dist"
    dist.mkdir(parents=True)
    (dist / "embed-amd.js").write_text("define([], function () {});")
    publisher = Publisher(Registry(tmp_path / "reg"), FakeHub(groups={}), FakeRuns(), [])
    app = make_app(publisher, PREFIX, "/", asset_roots(tmp_path / "node"))
    servers = []

    async def start():
        sock, port = bind_unused_port()
        server = HTTPServer(app)
        server.add_sockets([sock])
        servers.append(server)
        return f"http://127.0.0.1:{port}{PREFIX}"

    yield start
    for server in servers:
        server.stop()


async def test_the_service_serves_the_assets_to_anyone_cross_origin(assets_service):
    url = await assets_service()
    for path in ("assets/require/require.js", "assets/html-manager/embed-amd.js"):
        response = await fetch(url + path)  # no login: public pages are anonymous
        assert response.code == 200, path
        # A public page is sandboxed (opaque origin): its font loads are CORS requests.
        assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert (await fetch(url + "assets/html-manager/../../../etc/passwd")).code in (403, 404)
