"""How the hub's managed services (exchange, grader, certification, dashboards) stop.

JupyterHub stops a managed service with SIGINT, waits 30 s, then SIGTERM, 30 s, then SIGKILL,
one service after the other. Python turns SIGINT into a KeyboardInterrupt traceback in the
log, or ignores it altogether when the hub was started with SIGINT ignored (a background job of
a non-interactive shell: every child inherits that), which made each service cost the full
30 s. So each service waits on this instead of running its loop forever: both signals, whatever
the inherited disposition, end the wait and the service returns from main() with status 0.
"""

from __future__ import annotations

import asyncio
import signal

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


async def until_stopped() -> signal.Signals:
    """Wait for SIGINT or SIGTERM; return which arrived. The handlers are removed on return,
    so a second signal while the service finishes (threads, open files) has its default
    effect again: SIGTERM then ends the process at once."""
    loop = asyncio.get_running_loop()
    arrived: asyncio.Future[signal.Signals] = loop.create_future()
    for sig in STOP_SIGNALS:
        loop.add_signal_handler(sig, lambda s=sig: arrived.done() or arrived.set_result(s))
    try:
        return await arrived
    finally:
        for sig in STOP_SIGNALS:
            loop.remove_signal_handler(sig)
