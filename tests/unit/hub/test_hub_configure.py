"""Settings become JupyterHub configuration (without starting anything)."""

from __future__ import annotations

from traitlets.config import Config
from ungp_hub.configure import apply_settings
from ungp_hub.configure.hub import internal_ports
from ungp_hub.settings import load_settings
from ungp_hub.spawner.profiles import describe_memory, memory_in_bytes, profile_for


def configured(tmp_path, text: str) -> Config:
    path = tmp_path / "settings.yaml"
    path.write_text(f"hub:\n  state_dir: {tmp_path / 'state'}\n" + text)
    c = Config()
    apply_settings(c, load_settings(path, environ={}))
    return c


def test_demo_without_engine_uses_local_processes_and_says_so(tmp_path):
    c = configured(tmp_path, "  spawner: local\n  demo: true\n")
    assert c.JupyterHub.spawner_class == "ungp_hub.spawner.local.DemoLocalSpawner"
    assert "Demo mode" in c.JupyterHub.template_vars["announcement"]


def test_state_database_and_secrets_live_under_the_state_dir(tmp_path):
    c = configured(tmp_path, "  spawner: local\n  bind_url: http://127.0.0.1:9000\n")
    state = tmp_path / "state"
    assert c.JupyterHub.db_url == f"sqlite:///{state / 'jupyterhub.sqlite'}"
    assert c.JupyterHub.cookie_secret_file.startswith(str(state))
    assert (state / "secrets").stat().st_mode & 0o077 == 0
    assert c.JupyterHub.hub_port == 9002
    assert c.ConfigurableHTTPProxy.api_url == "http://127.0.0.1:9001"
    assert c.JupyterHub.cleanup_servers is False


def test_postgresql_by_setting(tmp_path):
    url = "postgresql://hub:pw@db/hub"
    c = configured(tmp_path, f"  spawner: local\n  database_url: {url}\n")
    assert c.JupyterHub.db_url == url


def test_culler_and_cli_services(tmp_path):
    c = configured(tmp_path, "  spawner: local\nculler:\n  timeout: 600\n  every: 60\n")
    services = {service["name"]: service for service in c.JupyterHub.services}
    assert "ungp-cli" in services
    culler = services["idle-culler"]["command"]
    assert "--timeout=600" in culler and "--cull-every=60" in culler
    off = configured(tmp_path, "  spawner: local\nculler:\n  enabled: false\n")
    assert "idle-culler" not in [s["name"] for s in off.JupyterHub.services]


def test_authenticators_by_setting(tmp_path):
    native = configured(tmp_path, "  spawner: local\n")
    assert native.JupyterHub.authenticator_class.endswith("UngpNativeAuthenticator")
    oauth = configured(
        tmp_path,
        "  spawner: local\nauth:\n  type: oauth\n  oauth:\n    client_id: abc\n",
    )
    assert oauth.JupyterHub.authenticator_class == "oauthenticator.generic.GenericOAuthenticator"
    assert oauth.GenericOAuthenticator.client_id == "abc"
    ldap = configured(tmp_path, "  spawner: local\nauth:\n  type: ldap\n")
    assert ldap.JupyterHub.authenticator_class == "ungp_hub.accounts.ldap.UngpLDAPAuthenticator"


def test_every_password_authenticator_is_throttled(tmp_path):
    """Both authenticators that see passwords get the same throttle from one setting."""
    throttle = "  login_throttle: {failed_logins: 4, wait_seconds: 90}\n"
    native = configured(tmp_path, f"  spawner: local\nauth:\n{throttle}")
    assert native.NativeAuthenticator.allowed_failed_logins == 4
    assert native.NativeAuthenticator.seconds_before_next_try == 90
    ldap = configured(tmp_path, f"  spawner: local\nauth:\n  type: ldap\n{throttle}")
    assert ldap.UngpLDAPAuthenticator.allowed_failed_logins == 4
    assert ldap.UngpLDAPAuthenticator.seconds_before_next_try == 90
    default = configured(tmp_path, "  spawner: local\n")
    assert default.NativeAuthenticator.allowed_failed_logins == 5  # on by default


def test_internal_ports_follow_the_public_port():
    assert internal_ports("http://127.0.0.1:8000") == (8001, 8002)


def test_profiles_by_group():
    assert profile_for(["trainees"], False) == "trainee"
    assert profile_for(["trainees", "analysts"], False) == "analyst"
    assert profile_for(["analysts", "instructors:ais"], False) == "instructor"
    assert profile_for([], True) == "instructor"
    assert memory_in_bytes("2G") == 2 * 1024**3
    assert memory_in_bytes("512M") == 512 * 1024**2
    assert describe_memory(memory_in_bytes("400M")) == "400 MiB"
    assert describe_memory(memory_in_bytes("2G")) == "2 GiB"
