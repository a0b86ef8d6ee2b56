"""Voila dashboards: analysts publish a notebook to a group, all users or the public.

A dashboard is a snapshot of a notebook (run first in a container of the user image), served
by the owner's named server ``dash-<slug>``, which runs only Voila behind a gate that forwards
Voila's own routes and nothing else. Access goes through JupyterHub's sharing; the public sees
a static render served by the dashboards service. See docs/dashboards.md and
docs/decisions/dashboards.md.
"""

SERVER_PREFIX = "dash-"
SERVICE_NAME = "dashboards"
