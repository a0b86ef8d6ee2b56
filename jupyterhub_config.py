"""JupyterHub configuration of ungp-hub.

Everything comes from the site settings file (UNGP_SETTINGS, default
/etc/ungp-hub/settings.yaml; see docs/reference/settings.md). Plain traitlets lines added
below the call still work and win, e.g. ``c.Spawner.start_timeout = 300``.
"""

from ungp_hub.configure import apply_settings
from ungp_hub.settings import load_settings, site_settings_file

c = get_config()  # noqa: F821
apply_settings(c, load_settings(site_settings_file()))
