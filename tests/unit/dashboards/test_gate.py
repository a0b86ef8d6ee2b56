"""The gate in a dashboard server: Voila's pages pass, the Jupyter API and files do not."""

import json

import pytest
from test_service import FakeAuth
from tornado.httpclient import AsyncHTTPClient
from tornado.httpserver import HTTPServer
from tornado.testing import bind_unused_port
from tornado.web import Application, RequestHandler
from ungp_hub.dashboards import SERVICE_NAME
from ungp_hub.dashboards.assets import MERMAID_MODULE
from ungp_hub.dashboards.gate import TEMPLATES_ROOT, make_app, voila_command, voila_environment

PREFIX = "/user/ana/dash-ports/"


class FakeVoila(RequestHandler):
    """Answers every path, as Voila (and a Jupyter server) would."""

    def get(self, path):
        self.write(f"voila saw {path}")

    def post(self, path):
        self.write(f"voila got {path}")


@pytest.fixture
def gate():
    servers = []

    async def start():
        voila_sock, voila_port = bind_unused_port()
        voila = HTTPServer(Application([(r"/(.*)", FakeVoila)]))
        voila.add_sockets([voila_sock])
        app = make_app(f"http://127.0.0.1:{voila_port}", PREFIX)
        app.settings["hub_auth"] = FakeAuth()
        sock, port = bind_unused_port()
        server = HTTPServer(app)
        server.add_sockets([sock])
        servers.extend([voila, server])
        return f"http://127.0.0.1:{port}{PREFIX}"

    yield start
    for server in servers:
        server.stop()


async def get(url, user="bob", method="GET"):
    return await AsyncHTTPClient().fetch(
        url,
        method=method,
        headers={"Authorization": f"token {user}"} if user else {},
        raise_error=False,
        follow_redirects=False,
        allow_nonstandard_methods=True,
        body=b"" if method in ("POST", "PUT", "PATCH") else None,
    )


async def test_the_dashboard_and_its_static_files_pass(gate):
    url = await gate()
    page = await get(url)
    assert page.code == 200 and page.body == f"voila saw {PREFIX[1:]}".encode()
    static = await get(url + "voila/static/voila.js")
    assert static.code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "api/contents"),
        ("GET", "api/terminals"),
        ("POST", "api/kernels"),
        ("GET", "voila/files/dashboard.ipynb"),
        ("GET", "voila/tree"),
        ("PUT", "api/contents/x"),
        ("DELETE", "api/kernels/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"),
        ("GET", "lab"),
    ],
)
async def test_jupyter_api_and_files_are_refused(gate, method, path):
    url = await gate()
    response = await get(url + path, method=method)
    assert response.code == 403, (method, path)
    assert b"voila" not in response.body


async def test_not_logged_in_goes_to_the_hub(gate):
    url = await gate()
    response = await get(url, user="")
    assert response.code == 302 and response.headers["Location"].startswith("/hub/login")


def test_voila_is_private_and_quiet():
    command = voila_command("/srv/dashboard/dashboard.ipynb", 8899, PREFIX)
    assert "--Voila.ip=127.0.0.1" in command and "--no-browser" in command
    assert "--VoilaConfiguration.show_tracebacks=False" in command
    assert f"--Voila.base_url={PREFIX}" in command
    environment = voila_environment(
        {"PATH": "/opt/ungp/bin", "JUPYTERHUB_API_TOKEN": "secret", "JUPYTERHUB_CLIENT_ID": "c"}
    )
    assert environment == {"PATH": "/opt/ungp/bin", "JUPYTER_PATH": str(TEMPLATES_ROOT)}


def test_voila_uses_the_template_without_cdn_links():
    """Voila's lab template links Font Awesome from jsdelivr: blank offline. Ours drops it."""
    import jinja2

    command = voila_command("/srv/dashboard/dashboard.ipynb", 8899, PREFIX)
    assert "--VoilaConfiguration.template=ungp" in command
    folder = TEMPLATES_ROOT / "voila" / "templates" / "ungp"
    assert json.loads((folder / "conf.json").read_text()) == {"base_template": "lab"}
    # Render our block over a stand-in parent that has Voila 0.5's two links in notebook_css.
    links = "".join(
        f'<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/@fortawesome/'
        f'fontawesome-free@^5/css/{name}" type="text/css" />'
        for name in ("all.min.css", "v4-shims.min.css")
    )
    parent = (
        "{% block notebook_css %}<style>kept</style>" + links + "{% endblock %}"
        "{% block html_head_js_mermaidjs %}https://cdnjs.example/mermaid{% endblock %}"
    )
    loader = jinja2.DictLoader(
        {
            "voila/templates/lab/index.html.j2": parent,
            "mermaidjs.html.j2": "{% macro mermaid_js(url, elk) %}import({{ url }}){% endmacro %}",
            "ungp": (folder / "index.html.j2").read_text(),
        }
    )
    template = jinja2.Environment(loader=loader).get_template("ungp")
    html = template.render(resources={})
    assert "<style>kept</style>" in html and "http" not in html
    # Mermaid from the hub's dashboards service, as the gate tells Voila (same origin)
    resources = json.loads(command[-1].split("=", 1)[1])
    assert resources == {"ungp_mermaid_url": f"/services/{SERVICE_NAME}/assets/{MERMAID_MODULE}"}
    html = template.render(resources=resources)
    assert f"import(/services/{SERVICE_NAME}/assets/{MERMAID_MODULE})" in html
    assert "http" not in html
