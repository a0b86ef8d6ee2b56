"""The login throttle of LDAP logins: NativeAuthenticator's rule, by username, with a clock."""

from __future__ import annotations

from ungp_hub.accounts.ldap import UngpLDAPAuthenticator
from ungp_hub.accounts.throttle import LoginThrottle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_username_waits_after_failures_then_may_try_again():
    clock = Clock()
    throttle = LoginThrottle(allowed=3, wait_seconds=60, clock=clock)
    for _ in range(2):
        throttle.failed("ana")
    assert not throttle.blocked("ana")  # two wrong passwords: still free
    throttle.failed("ana")
    assert throttle.blocked("ana")
    assert not throttle.blocked("ben")  # per username: a classmate is not locked out
    clock.now += 59
    assert throttle.blocked("ana")
    clock.now += 2
    assert not throttle.blocked("ana")
    throttle.failed("ana")  # one more wrong try after the wait: blocked again at once
    assert throttle.blocked("ana")
    throttle.succeeded("ana")
    assert not throttle.blocked("ana")


def test_zero_turns_it_off():
    throttle = LoginThrottle(allowed=0, wait_seconds=60)
    for _ in range(50):
        throttle.failed("ana")
    assert not throttle.blocked("ana")


async def test_ldap_logins_stop_reaching_the_directory_when_blocked():
    """Blank passwords fail inside ldapauthenticator before any connection (nothing leaves
    the machine) and count as failures: after two, the username is blocked."""
    auth = UngpLDAPAuthenticator(
        allowed_failed_logins=2, seconds_before_next_try=600, server_address="127.0.0.1"
    )
    for _ in range(2):
        assert await auth.authenticate(None, {"username": "ana", "password": " "}) is None
    assert auth.throttle.blocked("ana")
    assert not auth.throttle.blocked("ben")
