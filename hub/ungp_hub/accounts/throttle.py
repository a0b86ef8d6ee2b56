"""Failed password logins per username, for authenticators that have no throttle of their own.

NativeAuthenticator has one (``allowed_failed_logins``, ``seconds_before_next_try``); this is
the same rule, with the same trait names, for LDAP: after ``allowed`` wrong passwords in a row
a username waits ``wait_seconds`` before any try, right or wrong. Per username, in memory: a
hub restart forgets the counts (as NativeAuthenticator's do), and a classroom behind one NAT
address is not locked out together.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class LoginThrottle:
    allowed: int
    wait_seconds: float
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, tuple[int, float]] = field(default_factory=dict)

    def blocked(self, username: str) -> bool:
        count, last = self._failures.get(username, (0, 0.0))
        if not self.allowed or count < self.allowed:
            return False
        return self.clock() - last < self.wait_seconds

    def failed(self, username: str) -> None:
        count, _ = self._failures.get(username, (0, 0.0))
        self._failures[username] = (count + 1, self.clock())

    def succeeded(self, username: str) -> None:
        self._failures.pop(username, None)
