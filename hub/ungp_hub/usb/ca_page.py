"""The workshop CA's certificate, served by the hub at /hub/workshop-ca.crt for browsers."""

from __future__ import annotations

import os

from tornado import web

CA_PATH = "/workshop-ca.crt"


class WorkshopCAHandler(web.RequestHandler):
    def get(self) -> None:
        with open(os.environ["UNGP_TLS_CA"], "rb") as handle:
            self.set_header("Content-Type", "application/x-x509-ca-cert")
            self.set_header("Content-Disposition", 'attachment; filename="workshop-ca.crt"')
            self.finish(handle.read())


def ca_handler() -> tuple[str, type[web.RequestHandler]]:
    return CA_PATH, WorkshopCAHandler
