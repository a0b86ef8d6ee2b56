"""Let JupyterLab show the formgrader in its frame, and nothing else.

JupyterHub's single-user extension puts ``Content-Security-Policy: frame-ancestors 'none'``
into the server's default headers (jupyterhub/singleuser/extension.py), so every page of the
user's server refuses to be framed, including /formgrader, which nbgrader's lab extension
shows in an iframe: the panel stays blank (nbgrader issue #1870). This server extension adds
an output transform that replaces the header with ``frame-ancestors 'self'`` (same origin:
only the user's own JupyterLab may frame it) on responses under <base_url>formgrader only;
every other page keeps the hub's header.
"""

from __future__ import annotations

from tornado.httputil import HTTPServerRequest
from tornado.web import OutputTransform

FORMGRADER_POLICY = "frame-ancestors 'self'"


def formgrader_transform(base_url: str) -> type[OutputTransform]:
    prefix = base_url.rstrip("/") + "/formgrader"

    class FormgraderFrame(OutputTransform):
        def __init__(self, request: HTTPServerRequest):
            path = request.path or ""
            self.applies = path == prefix or path.startswith(prefix + "/")

        def transform_first_chunk(self, status_code, headers, chunk, finishing):  # noqa: ANN001
            if self.applies:
                headers["Content-Security-Policy"] = FORMGRADER_POLICY
            return status_code, headers, chunk

    return FormgraderFrame


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "ungp_hub.exchange.client.formgrader_frame"}]


def _load_jupyter_server_extension(serverapp) -> None:  # noqa: ANN001
    serverapp.web_app.add_transform(formgrader_transform(serverapp.base_url))
    serverapp.log.info("ungp: the formgrader may be framed by this server's own pages")
