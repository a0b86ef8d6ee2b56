"""JupyterHub configuration of the USB kit's hub container.

The site settings as everywhere (UNGP_SETTINGS), plus TLS with the certificate that the
workshop CA issued at install: the settings schema has no TLS keys because a server hub sits
behind a TLS reverse proxy, while a workshop hub on a LAN has none.
"""

import os

from ungp_hub.configure import apply_settings
from ungp_hub.settings import load_settings

c = get_config()  # noqa: F821
apply_settings(c, load_settings(os.environ.get("UNGP_SETTINGS", "/etc/ungp-hub/settings.yaml")))
if os.environ.get("UNGP_TLS_CERT") and os.environ.get("UNGP_TLS_KEY"):
    c.JupyterHub.ssl_cert = os.environ["UNGP_TLS_CERT"]
    c.JupyterHub.ssl_key = os.environ["UNGP_TLS_KEY"]
if os.environ.get("UNGP_TLS_CA"):
    from ungp_hub.usb.ca_page import CA_PATH, ca_handler

    c.JupyterHub.extra_handlers = [*c.JupyterHub.get("extra_handlers", []), ca_handler()]
    c.JupyterHub.template_vars = {
        **c.JupyterHub.get("template_vars", {}),
        "announcement_login": f'First visit? <a href="/hub{CA_PATH}">Download the workshop '
        "certificate</a> and install it in your browser to make the warning go away.",
    }
