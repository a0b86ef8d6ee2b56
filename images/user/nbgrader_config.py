# nbgrader in every user container talks to the hub's exchange service over HTTP (no shared
# folder); instructors also get their course folder and gradebook. The settings come from the
# environment the hub gives the container (see ungp_hub.exchange.client.config).
import os

from ungp_hub.exchange.client.config import configure

c = get_config()  # noqa: F821
configure(c, os.environ)
