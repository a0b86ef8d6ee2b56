"""Public verification off the event loop: a few worker processes, each with a time limit.

Anyone can ask the verification page to check a credential, and checking one means
canonicalising it (RDFC-1.0), which an attacker can make expensive (a "poison graph" of
symmetric blank nodes is exponential for every RDFC implementation). So each verification
runs in its own short-lived process, forked from a forkserver that has the verifier imported
(a few tens of ms), with a memory limit, and is killed when it passes the time limit: a thread
could not be stopped. At most `slots` run at once; a request beyond that is answered 503 with
Retry-After at once instead of queueing, so the service's event loop (its pages, its health
answer, exam submissions) never waits for a verification.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import resource
import traceback
from dataclasses import dataclass, field
from datetime import datetime
from multiprocessing.connection import Connection
from typing import Any

from ungp_credentials import VerificationResult

from ..errors import UserError

log = logging.getLogger("ungp_hub.certification")
PRELOAD = ["ungp_credentials", "ungp_hub.certification.issuing"]


class VerifierBusy(UserError):
    """Every verification slot is taken (503; the answer carries Retry-After)."""

    status = 503


class VerificationTooCostly(UserError):
    """A credential that took longer or more memory to check than any credential needs (422)."""

    status = 422


@dataclass
class VerificationWorkers:
    """How the service runs verifications: `slots` at once, each `time_limit` seconds and
    `memory_limit` bytes of address space at most."""

    slots: int = 2
    time_limit: float = 10.0
    memory_limit: int = 1 << 30
    retry_after: int = 5
    busy: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        self._processes = multiprocessing.get_context("forkserver")
        self._processes.set_forkserver_preload(PRELOAD)

    async def verify(
        self, certifier: Any, document: dict[str, Any] | str | bytes, now: datetime
    ) -> VerificationResult:
        """``certifier.verify(document, now)`` in a worker process; raises `VerifierBusy`
        when all slots are taken and `VerificationTooCostly` past the limits."""
        if self.busy >= self.slots:
            raise VerifierBusy(
                f"the verifier is checking {self.busy} other credentials; try again in "
                f"{self.retry_after} seconds"
            )
        self.busy += 1
        try:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(None, self._run, certifier, document, now)
        finally:
            self.busy -= 1

    def _run(self, certifier: Any, document: Any, now: datetime) -> VerificationResult:
        """In an executor thread: start the worker, wait for it up to the time limit."""
        receive, send = self._processes.Pipe(duplex=False)
        worker = self._processes.Process(
            target=_verify_in_worker,
            args=(send, certifier, document, now, self.memory_limit),
            daemon=True,
        )
        worker.start()
        send.close()
        try:
            if not receive.poll(self.time_limit):
                raise VerificationTooCostly(
                    f"checking this credential took more than {self.time_limit:g} seconds and "
                    "was stopped; a credential takes well under a second"
                )
            kind, value = receive.recv()
        except EOFError:
            raise VerificationTooCostly(
                "checking this credential needed more memory than any credential needs and "
                "was stopped"
            ) from None
        finally:
            if worker.is_alive():
                worker.kill()
            worker.join()
            receive.close()
        if kind == "bug":
            log.error("verification failed in its worker:\n%s", value)
            raise RuntimeError("verification failed in its worker (see the log)")
        return value


def _verify_in_worker(
    send: Connection, certifier: Any, document: Any, now: datetime, memory_limit: int
) -> None:
    """The worker process: limit its memory, verify, send ("result", ...) or ("bug", ...)."""
    resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    try:
        outcome: tuple[str, Any] = ("result", certifier.verify(document, now))
    except MemoryError:
        send.close()
        return
    except Exception:  # noqa: BLE001 - a bug: the parent logs the traceback
        outcome = ("bug", traceback.format_exc())
    send.send(outcome)
    send.close()
