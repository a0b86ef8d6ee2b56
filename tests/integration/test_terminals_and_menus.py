"""The user image as people meet it: terminal shells, `ungp` inside, role menus, DATA.md.

JupyterLab's terminal runs `bash -l` as uid 1000 (images/user/jupyter_server_config.py); the
shells here are started the same way in the built image. The menus and the catalogue page
are checked through a real hub, on the pages and APIs JupyterLab itself reads.
"""

from __future__ import annotations

import json
import re
import subprocess

import requests
from ungp_catalogs.build import build_catalog
from ungp_hub.testing.client import HubUser
from ungp_hub.testing.containers import ungp_cli

TOOLS = ("nbgrader", "ungp", "python", "jupyter")
GRADING_PLUGINS = {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment"}


def in_image(image: str, *command: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["docker", "run", "--rm", "--network", "none", "--user", "1000", image, *command],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_every_shell_has_the_image_tools_first_and_ungp_says_what_runs_where(user_image):
    probe = (
        f"for t in {' '.join(TOOLS)}; do command -v $t; done; "
        "echo PATH=$PATH; ungp --help >/dev/null && echo HELP"
    )
    for shell in (["bash", "-lc"], ["sh", "-lc"], ["bash", "-c"]):
        result = in_image(user_image, *shell, probe)
        assert result.returncode == 0, (shell, result.stdout, result.stderr)
        found = result.stdout.splitlines()
        assert found[: len(TOOLS)] == [f"/opt/ungp/bin/{tool}" for tool in TOOLS], (shell, found)
        assert found[len(TOOLS)].startswith("PATH=/opt/ungp/bin:"), (shell, found)
        assert found[-1] == "HELP", (shell, result.stderr)

    meant_here = in_image(
        user_image, "bash", "-lc", "ungp cert verify --help && ungp catalog --help"
    )
    assert meant_here.returncode == 0, meant_here.stderr
    assert "Verify the credential" in meant_here.stdout and "catalogue" in meant_here.stdout

    for command, path in (
        ("ungp users import roster.csv", "ungp users import"),
        ("ungp cert list", "ungp cert list"),
    ):
        refused = in_image(user_image, "bash", "-lc", command)
        assert refused.returncode == 1, (command, refused.stdout, refused.stderr)
        assert f"`{path}` runs on the hub host, not in a user container" in refused.stderr
        assert "Traceback" not in refused.stderr


class Server:
    """A user's own Jupyter server, reached with one of their hub tokens."""

    def __init__(self, user: HubUser):
        self.url = f"{user.base_url}/user/{user.name}"
        self.headers = {"Authorization": f"token {user.new_token()}"}

    def get(self, path: str):
        return requests.get(self.url + path, headers=self.headers, timeout=60)


def _page_config(server: Server) -> dict:
    page = server.get("/lab")
    assert page.status_code == 200, page.text[:500]
    found = re.search(
        r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', page.text, re.S
    )
    assert found, page.text[:500]
    return json.loads(found.group(1))


def test_trainees_get_no_grading_menus_and_read_the_catalogue_page(
    hub_factory, unique, docker_client
):
    hub = hub_factory(start=False)
    build_catalog(hub.settings.data_dir, scale="small")  # writes DATA.md too
    hub.start()
    course = f"c{unique}"
    trainee, instructor = f"t-{unique}", f"i-{unique}"
    passwords = hub.add_people(
        f"username,role,course\n{trainee},trainee,{course}\n{instructor},instructor,{course}\n"
    )
    ungp_cli(hub.settings_file, "course", "create", course)
    users = {}
    for name in (trainee, instructor):
        users[name] = HubUser(hub.url, name)
        assert users[name].login(passwords[name]).status_code == 302
        assert users[name].start_server().status_code in (201, 202)
    for user in users.values():
        user.wait_ready()

    servers = {name: Server(user) for name, user in users.items()}
    trainee_disabled = set(_page_config(servers[trainee])["disabledExtensions"])
    instructor_disabled = set(_page_config(servers[instructor])["disabledExtensions"])
    assert GRADING_PLUGINS <= trainee_disabled, trainee_disabled
    assert not GRADING_PLUGINS & instructor_disabled, instructor_disabled

    assert servers[trainee].get("/formgrader").status_code == 404
    assert servers[instructor].get("/formgrader").status_code == 200

    # The landing page links to /hub/user-redirect/lab/tree/DATA.md: the copy in the home.
    page = servers[trainee].get("/api/contents/DATA.md?content=1")
    assert page.status_code == 200, page.text[:300]
    model = page.json()
    assert model["type"] == "file" and model["content"].startswith("# Data catalogue")
    assert model["writable"] is False
    # A trainee's terminal: a login shell in their container, as JupyterLab starts it.
    (box,) = docker_client.containers.list(filters={"label": f"org.ungp.user={trainee}"})
    code, out = box.exec_run(["bash", "-lc", "ungp catalog list"], user="1000")
    assert code == 0 and "ais_ports" in out.decode(), out.decode()[-2000:]
    code, out = box.exec_run(["bash", "-lc", "ungp course create x"], user="1000")
    assert code == 1, out.decode()
    assert "`ungp course create` runs on the hub host, not in a user container" in out.decode()

    docmanager = servers[trainee].get("/lab/api/settings/@jupyterlab/docmanager-extension:plugin")
    viewers = docmanager.json()["schema"]["properties"]["defaultViewers"]["default"]
    assert viewers["markdown"] == "Markdown Preview"
