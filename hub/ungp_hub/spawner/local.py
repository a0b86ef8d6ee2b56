"""Demo-mode fallback: servers as local processes when no Docker engine is available.

Not isolated at all (every server runs as the hub's user): only for a quick try-out on a
laptop. The hub's pages and log say "demo mode" whenever this spawner is in use.
"""

from jupyterhub.spawner import SimpleLocalProcessSpawner
from traitlets import Unicode


class DemoLocalSpawner(SimpleLocalProcessSpawner):
    """SimpleLocalProcessSpawner that exposes the same extra attributes as the Docker one."""

    stop_reason = Unicode("", help="Unused in demo mode; present for the templates.")
    profile_name = "demo"
