"""The gateway's request handlers end when their client hangs up.

dask-gateway-proxy, the Go proxy in front of the gateway, follows the routing table through a
stream (GET /api/v1/routes?watch=1) read by an HTTP client with a 60 s timeout: every minute it
drops the stream and opens another. aiohttp does not cancel the handler of a client that went
away unless asked to, so each dropped stream's handler waits for the next routing event, writes
it into the closed connection and aiohttp logs "Error handling request" with a traceback
(ClientConnectionResetError: Cannot write to closing transport): one per minute without a
routing change, all at the next cluster start or stop (issue 23's "~6 aiohttp tracebacks per
cluster start"). With aiohttp's handler_cancellation the handler is cancelled when its client
hangs up, and the proxy's own clean-up forgets the stream at once. dask-gateway-server's
handlers expect cancellation (aiohttp cancelled them by default when they were written): a
client that hangs up mid-request is one that no longer waits for the answer.
"""

from __future__ import annotations

from aiohttp import web


def cancel_handlers_on_hang_up(app: web.Application) -> None:
    """Ask the server made for `app` (not made yet) to cancel handlers of lost clients."""
    # Application(handler_args=...) is the documented way; the gateway builds its own app.
    app._handler_args = {**(app._handler_args or {}), "handler_cancellation": True}


class CancelOnHangUp:
    """First among a dask-gateway backend's bases: its setup runs before the gateway makes its
    HTTP server, and sets what the server needs to end the handlers of lost clients."""

    async def setup(self, app: web.Application) -> None:
        cancel_handlers_on_hang_up(app)
        await super().setup(app)  # type: ignore[misc]
