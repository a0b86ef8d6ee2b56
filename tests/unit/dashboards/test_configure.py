"""The hub's configuration for dashboards, from the site settings."""

import json

import yaml
from traitlets.config import Config
from ungp_hub.configure import apply_settings
from ungp_hub.dashboards.consent import DashboardClients
from ungp_hub.dashboards.registry import Audience, Dashboard, Registry
from ungp_hub.dashboards.site import run_config
from ungp_hub.settings import load_settings


def configured(tmp_path, **dashboards):
    (tmp_path / "images.json").write_text(json.dumps({"user": "ungp/user:abc"}))
    settings = {
        "hub": {"state_dir": str(tmp_path), "bind_url": "http://127.0.0.1:9000"},
        "dashboards": dashboards,
    }
    path = tmp_path / "settings.yaml"
    path.write_text(yaml.safe_dump(settings))
    c = Config()
    apply_settings(c, load_settings(path, environ={}))
    return c


def test_service_spawner_roles_and_environment(tmp_path):
    c = configured(tmp_path)
    assert c.JupyterHub.allow_named_servers is True
    assert c.JupyterHub.spawner_class == "ungp_hub.dashboards.spawner.DashboardSpawner"
    assert c.DashboardSpawner.dashboards_root == str(tmp_path / "dashboards")
    service = next(s for s in c.JupyterHub.services if s["name"] == "dashboards")
    assert service["url"].endswith(":9006")
    roles = {role["name"]: role for role in c.JupyterHub.load_roles}
    assert "shares" in roles["dashboards-service"]["scopes"]
    assert roles["dashboards-service"]["services"] == ["dashboards"]
    for role in ("user", "server"):
        assert "access:services!service=dashboards" in roles[role]["scopes"]
    assert c.UngpDockerSpawner.environment["UNGP_DASHBOARDS_URL"].endswith(
        ":9006/services/dashboards/"
    )
    run = run_config(load_settings(tmp_path / "settings.yaml", environ={}))
    assert run["image"] == "ungp/user:abc"
    assert run["memory_bytes"] == 4 * 1024**3 and run["publisher_groups"] == ["analysts"]


def test_turned_off(tmp_path):
    c = configured(tmp_path, enabled=False)
    assert "dashboards" not in [s["name"] for s in c.JupyterHub.services]
    assert c.JupyterHub.spawner_class == "ungp_hub.spawner.docker.UngpDockerSpawner"


def test_no_consent_page_only_for_published_dashboards(tmp_path):
    c = configured(tmp_path)
    clients = c.JupyterHub.tornado_settings["oauth_no_confirm_list"]
    assert isinstance(clients, DashboardClients)
    Registry(tmp_path / "dashboards").save(Dashboard("ports", "ana.b", "P", Audience("all")))
    assert "jupyterhub-user-ana.b-dash-ports" in clients
    assert "jupyterhub-user-eve-dash-ports" not in clients  # not the owner
    assert "jupyterhub-user-ana.b-dash-other" not in clients  # not published
    assert "jupyterhub-user-ana.b" not in clients  # an ordinary server
    assert "service-dashboards" in clients
