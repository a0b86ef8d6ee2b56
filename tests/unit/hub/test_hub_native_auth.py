"""Password logins: the stock NativeAuthenticator rules, checked without blocking the hub."""

from __future__ import annotations

import asyncio
import time

import bcrypt
from jupyterhub.orm import new_session_factory
from nativeauthenticator.orm import UserInfo
from ungp_hub.accounts.native import UngpNativeAuthenticator


def authenticator(tmp_path, **config) -> UngpNativeAuthenticator:
    db = new_session_factory(f"sqlite:///{tmp_path / 'hub.sqlite'}")()
    auth = UngpNativeAuthenticator(
        allowed_failed_logins=2, seconds_before_next_try=600, _deprecated_db_session=db, **config
    )  # as JupyterHub builds it
    for name, authorized in (("ana", True), ("ben", False)):
        hashed = bcrypt.hashpw(b"correct horse 7", bcrypt.gensalt(rounds=12))
        auth.db.add(UserInfo(username=name, password=hashed, is_authorized=authorized))
    auth.db.commit()
    return auth


async def test_right_wrong_unapproved_and_unknown(tmp_path):
    auth = authenticator(tmp_path)
    assert await auth.authenticate(None, {"username": "ana", "password": "correct horse 7"}) == "ana"
    assert await auth.authenticate(None, {"username": "ana", "password": "wrong"}) is None
    assert await auth.authenticate(None, {"username": "ben", "password": "correct horse 7"}) is None
    assert await auth.authenticate(None, {"username": "nobody", "password": "x"}) is None


async def test_repeated_failures_block_even_the_right_password(tmp_path):
    auth = authenticator(tmp_path)
    for _ in range(3):
        assert await auth.authenticate(None, {"username": "ana", "password": "guess"}) is None
    right = {"username": "ana", "password": "correct horse 7"}
    assert await auth.authenticate(None, right) is None


async def test_the_event_loop_keeps_running_during_a_login_storm(tmp_path):
    """Ten logins at once: the loop must tick while bcrypt works (it froze before)."""
    auth = authenticator(tmp_path)
    ticks = []

    async def heartbeat(stop: asyncio.Event) -> None:
        while not stop.is_set():
            ticks.append(time.monotonic())
            await asyncio.sleep(0.01)

    stop = asyncio.Event()
    beating = asyncio.create_task(heartbeat(stop))
    logins = [
        auth.authenticate(None, {"username": "ana", "password": "correct horse 7"})
        for _ in range(10)
    ]
    results = await asyncio.gather(*logins)
    stop.set()
    await beating
    assert results == ["ana"] * 10
    longest_gap = max(b - a for a, b in zip(ticks, ticks[1:]))
    assert longest_gap < 0.15, f"the event loop stalled for {longest_gap:.2f} s"
