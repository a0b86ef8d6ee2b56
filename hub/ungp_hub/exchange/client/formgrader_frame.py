"""The formgrader's pages: framed only by this server's JupyterLab, no script but its own.

Framing. JupyterHub's single-user extension puts ``Content-Security-Policy: frame-ancestors
'none'`` into the server's default headers (jupyterhub/singleuser/extension.py), so every page
of the user's server refuses to be framed, including /formgrader, which nbgrader's lab
extension shows in an iframe: the panel stays blank (nbgrader issue #1870). Responses under
<base_url>formgrader get ``frame-ancestors 'self'`` (only the user's own JupyterLab may frame
them); every other page keeps the hub's header.

Trainee content. The formgrader shows trainees' notebooks to an instructor on the hub's origin.
Its submission pages are rendered with ``TraineeHTMLExporter`` (sanitised Markdown and
outputs), and every formgrader response carries a policy that forbids inline script
(``<script>`` without the response's nonce, ``on*=`` attributes, ``javascript:`` URLs) and
script, images and connections from other origins. The formgrader's own pages are full of
inline ``<script>`` blocks, so this extension stamps a nonce on exactly those written in its
templates (nbgrader's and nbconvert's, by rewriting the template source as Jinja loads it):
a ``<script>`` that arrives in a notebook's data never carries it. The template holds a
per-process secret placeholder; each response replaces it with a fresh nonce of the same
length (so Content-Length stays right) and is not cached (a 304 would pair an old page with a
new nonce).
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from typing import Any

from jinja2 import BaseLoader, Environment
from tornado.httputil import HTTPHeaders, HTTPServerRequest
from tornado.web import OutputTransform

from ungp_hub.trainee_html import TraineeHTMLExporter

FRAME_POLICY = "frame-ancestors 'self'"
SCRIPT_TAG = re.compile(r"<script(?=[\s>])", re.IGNORECASE)
# The only inline event handlers nbgrader's own templates write (the toggles of trainees' names):
# allowed by hash ('unsafe-hashes'), so an injected copy can only do what the button does.
TEMPLATE_HANDLERS = ("toggleAllNames()", "toggle_name(true);", "toggle_name(false);")


def _script_hash(code: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode()).digest()).decode() + "'"


def page_policy(nonce: str | None) -> str:
    """The formgrader's Content-Security-Policy; inline script only with ``nonce``."""
    handlers = " ".join(_script_hash(code) for code in TEMPLATE_HANDLERS)
    scripts = "'self'" + (f" 'nonce-{nonce}'" if nonce else "") + f" 'unsafe-hashes' {handlers}"
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            FRAME_POLICY,
        ]
    )


class NoncedTemplates(BaseLoader):
    """A Jinja loader that marks every ``<script`` its templates write with ``placeholder``."""

    def __init__(self, loader: BaseLoader, placeholder: str):
        self.loader = loader
        self.placeholder = placeholder

    def get_source(self, environment: Environment, template: str) -> tuple[str, Any, Any]:
        source, filename, uptodate = self.loader.get_source(environment, template)
        return SCRIPT_TAG.sub(f'<script nonce="{self.placeholder}"', source), filename, uptodate

    def list_templates(self) -> list[str]:
        return self.loader.list_templates()


def nonced_exporter_class(placeholder: str) -> type[TraineeHTMLExporter]:
    class FormgraderExporter(TraineeHTMLExporter):
        """The submission page's exporter: sanitised, its own scripts marked for the nonce."""

        def _create_environment(self) -> Environment:
            environment = super()._create_environment()
            environment.loader = NoncedTemplates(environment.loader, placeholder)
            return environment

    return FormgraderExporter


def formgrader_transform(base_url: str, placeholder: str | None = None) -> type[OutputTransform]:
    """The output transform for formgrader responses; ``placeholder`` is the templates' mark."""
    prefix = base_url.rstrip("/") + "/formgrader"
    mark = (placeholder or "").encode()

    class FormgraderPolicy(OutputTransform):
        def __init__(self, request: HTTPServerRequest):
            path = request.path or ""
            self.applies = path == prefix or path.startswith(prefix + "/")
            self.nonce = secrets.token_urlsafe(16).encode()

        def _stamp(self, chunk: bytes) -> bytes:
            return chunk.replace(mark, self.nonce) if mark else chunk

        def transform_first_chunk(
            self, status_code: int, headers: HTTPHeaders, chunk: bytes, finishing: bool
        ) -> tuple[int, HTTPHeaders, bytes]:
            if not self.applies:
                return status_code, headers, chunk
            nonced = bool(mark) and mark in chunk
            headers["Content-Security-Policy"] = page_policy(
                self.nonce.decode() if nonced else None
            )
            if nonced:
                headers["Cache-Control"] = "no-store"
                headers.pop("Etag", None)
            return status_code, headers, self._stamp(chunk)

        def transform_chunk(self, chunk: bytes, finishing: bool) -> bytes:
            return self._stamp(chunk) if self.applies else chunk

    return FormgraderPolicy


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "ungp_hub.exchange.client.formgrader_frame"}]


def _load_jupyter_server_extension(serverapp) -> None:  # noqa: ANN001
    """Runs after nbgrader's formgrader extension (extensions load sorted by name)."""
    web_app = serverapp.web_app
    settings = web_app.settings
    placeholder = secrets.token_urlsafe(16)  # as long as each response's nonce
    exporter = settings.get("nbgrader_exporter")
    if exporter is not None:
        settings["nbgrader_exporter"] = nonced_exporter_class(placeholder)(config=exporter.config)
    templates = settings.get("nbgrader_jinja2_env")
    if templates is not None:
        templates.loader = NoncedTemplates(templates.loader, placeholder)
    # First, before tornado's gzip transform (if any) compresses the body.
    web_app.transforms.insert(0, formgrader_transform(serverapp.base_url, placeholder))
    serverapp.log.info(
        "ungp: the formgrader may be framed by this server's own pages; trainee content in it "
        "is sanitised and no inline script runs but its own"
    )
