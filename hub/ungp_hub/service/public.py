"""A bounded body for pages anyone may ask for (no login): verification, public dashboards.

A service's `max_body_size` is set for its signed-in uploads (exam submissions, notebooks: tens
of MB), and tornado reads a whole body before a handler sees it. A public handler mixes in
`BoundedBody` instead: its body is streamed, a declared Content-Length over `max_body` is
refused 413 before any of it is read, and a chunked body is cut at `max_body` by tornado.
"""

from __future__ import annotations

from tornado import httputil, web


@web.stream_request_body
class BoundedBody(web.RequestHandler):
    """Mixin (before the handler's base): the body, at most `max_body` bytes of it."""

    max_body = 0  # a GET carries no body
    body_parts: list[bytes]

    def prepare(self) -> None:
        self.body_parts = []
        declared = self.request.headers.get("Content-Length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
            what = f"at most {self.max_body:,} bytes" if self.max_body else "no body"
            raise web.HTTPError(413, f"this page takes {what} of request")
        # A chunked body has no length to check first: tornado stops it at this size.
        self.request.connection.set_max_body_size(self.max_body)

    def data_received(self, chunk: bytes) -> None:
        self.body_parts.append(chunk)

    def form(self) -> tuple[dict[str, list[bytes]], dict[str, list[httputil.HTTPFile]]]:
        """The form fields and uploaded files of the body (urlencoded or multipart)."""
        arguments: dict[str, list[bytes]] = {}
        files: dict[str, list[httputil.HTTPFile]] = {}
        httputil.parse_body_arguments(
            self.request.headers.get("Content-Type", ""),
            b"".join(self.body_parts),
            arguments,
            files,
            self.request.headers,
        )
        return arguments, files
