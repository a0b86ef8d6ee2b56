"""JupyterHub with a shutdown that takes seconds: ``python -m ungp_hub.hub_app -f CONFIG``.

JupyterHub 6.1's cleanup (on SIGTERM or SIGINT) stops managed services one after the other,
each taking from a second (process exit) up to 65 s (a service that ignores SIGINT), while its
periodic service health check keeps running: a check that runs after cleanup deleted a
service's server record fails with AttributeError ('NoneType' object has no attribute 'proto'),
a traceback every minute of a slow stop. Here the periodic checks stop first (as
``JupyterHub.stop()`` already does, but the signal path does not), and the services stop
together, so the hub stops in the time of its slowest service (the Dask Gateway removing its
clusters' containers). See docs/decisions/dask.md ("Stopping the hub").
"""

from __future__ import annotations

import asyncio
import logging
import signal
from functools import cached_property

from jupyterhub.app import JupyterHub
from traitlets import default

LOGGER = "JupyterHub"


class UngpHub(JupyterHub):
    """JupyterHub whose cleanup stops its periodic checks, then all managed services at once."""

    # The log says "JupyterHub" as `jupyterhub`'s does (admins' filters look for it): traitlets
    # names the logger, and configures its handler, after the class.
    @default("log")
    def _log_default(self) -> logging.Logger:
        log = logging.getLogger(LOGGER)
        log.propagate = False
        return log

    def get_default_logging_config(self) -> dict:
        config = super().get_default_logging_config()
        loggers = config.get("loggers", {})
        if type(self).__name__ in loggers:
            loggers[LOGGER] = loggers.pop(type(self).__name__)
        return config

    async def start(self) -> None:
        # Started with SIGINT ignored (a background job of a non-interactive shell), the hub
        # would pass that on to the services it starts (exec keeps only ignored signals), and
        # JupyterHub stops services with SIGINT: a third-party one (the idle culler) then
        # waits out JupyterHub's 30 s. JupyterHub handles SIGINT itself once started.
        if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
            signal.signal(signal.SIGINT, signal.default_int_handler)
        await super().start()

    @cached_property
    def _health_check_lock(self) -> asyncio.Lock:
        return asyncio.Lock()

    async def check_services_health(self) -> None:
        async with self._health_check_lock:
            await super().check_services_health()

    async def cleanup(self) -> None:
        for callback in self._periodic_callbacks.values():
            callback.stop()
        managed = [service for service in self._service_map.values() if service.managed]
        # A health check under way (milliseconds) ends before the first service goes.
        async with self._health_check_lock:
            if managed:
                self.log.info("Stopping %i services together...", len(managed))
                # JupyterHub's own cleanup then finds them stopped and goes on at once.
                await asyncio.gather(*(service.stop() for service in managed))
        await super().cleanup()


main = UngpHub.launch_instance

if __name__ == "__main__":
    main()
