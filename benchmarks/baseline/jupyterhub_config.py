"""Stock JupyterHub + DockerSpawner, as its docs set it up: the baseline of spawn_burst.py."""

import os

c = get_config()  # noqa: F821
port = int(os.environ["BASELINE_PORT"])
state = os.environ["BASELINE_STATE"]
c.JupyterHub.bind_url = f"http://127.0.0.1:{port}"
c.JupyterHub.hub_port = port + 2
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{port + 1}"
c.JupyterHub.db_url = f"sqlite:///{state}/baseline.sqlite"
c.JupyterHub.cookie_secret_file = f"{state}/cookie_secret"
c.JupyterHub.pid_file = f"{state}/jupyterhub.pid"
c.ConfigurableHTTPProxy.pid_file = f"{state}/proxy.pid"
if os.environ.get("UNGP_PROXY_COMMAND"):
    c.ConfigurableHTTPProxy.command = [os.environ["UNGP_PROXY_COMMAND"]]
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = os.environ["BASELINE_PASSWORD"]
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "docker"
c.DockerSpawner.image = os.environ["BASELINE_IMAGE"]
c.DockerSpawner.remove = True
c.DockerSpawner.pull_policy = "never"
c.DockerSpawner.name_template = "bench-base-{username}"
c.DockerSpawner.extra_create_kwargs = {"labels": {"ungp.bench": "1"}}
c.JupyterHub.hub_ip = "0.0.0.0"
c.JupyterHub.hub_connect_ip = "172.17.0.1"
c.Spawner.start_timeout = 300
c.Spawner.http_timeout = 300
c.JupyterHub.services = [{"name": "bench", "api_token": os.environ["BASELINE_TOKEN"]}]
c.JupyterHub.load_roles = [{"name": "admin", "services": ["bench"]}]
