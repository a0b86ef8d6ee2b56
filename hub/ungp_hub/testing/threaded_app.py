"""Serve a tornado app from a thread for a test (its own event loop, a free local port)."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from tornado.httpserver import HTTPServer
from tornado.web import Application


@contextmanager
def serving(make: Callable[[], Application], path: str = "") -> Iterator[str]:
    """Yield the base URL (plus `path`); `make` runs in the server's thread, on its loop."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    holder, started = {}, threading.Event()

    def run() -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        server = HTTPServer(make())
        server.listen(port, "127.0.0.1")
        holder["loop"] = loop
        started.set()
        loop.run_forever()
        server.stop()
        loop.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    started.wait(10)
    try:
        yield f"http://127.0.0.1:{port}{path}"
    finally:
        holder["loop"].call_soon_threadsafe(holder["loop"].stop)
        thread.join(10)
