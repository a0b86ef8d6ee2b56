"""Password logins: the stock NativeAuthenticator rules, checked without blocking the hub."""

from __future__ import annotations

import asyncio
import time

import bcrypt
from jupyterhub.orm import new_session_factory
from nativeauthenticator.orm import UserInfo
from ungp_hub.accounts.native import UngpNativeAuthenticator
from ungp_hub.accounts.people import display_name, full_name_of, record_names


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

    async def login(name: str, password: str) -> str | None:
        return await auth.authenticate(None, {"username": name, "password": password})

    assert await login("ana", "correct horse 7") == "ana"
    assert await login("ana", "wrong") is None
    assert await login("ben", "correct horse 7") is None  # not approved
    assert await login("nobody", "x") is None


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
    began = time.monotonic()
    results = await asyncio.gather(*logins)
    ended = time.monotonic()
    stop.set()
    await beating
    assert results == ["ana"] * 10
    # Time the loop could not run (beyond the heartbeat's own sleep), as a share of the storm:
    # near 1 when bcrypt runs in the loop, small when it runs in threads.
    points = [began, *(t for t in ticks if began < t < ended), ended]
    stalled = sum(max(0.0, b - a - 0.02) for a, b in zip(points, points[1:], strict=False))
    share = stalled / (ended - began)
    assert share < 0.5, f"the event loop was stalled {share:.0%} of the time"


async def test_a_login_hands_the_hub_the_full_name_from_the_roster(tmp_path):
    auth = authenticator(tmp_path)
    record_names(auth.db, {"ana": "Ana María de la Cruz", "ben": ""})
    auth.db.commit()
    logged_in = await auth.authenticate(None, {"username": "ana", "password": "correct horse 7"})
    assert logged_in == {
        "name": "ana",
        "user_info": {
            "name": "Ana María de la Cruz",
            "display_name": "Ana María de la Cruz",
            "initials": "AMC",
        },
    }
    assert full_name_of(auth.db, "ben") == ""  # an empty name is not recorded
    assert display_name({"name": "ana", "user_info": logged_in["user_info"]}) == (
        "Ana María de la Cruz"
    )
    assert display_name({"name": "ben", "user_info": None}) == ""
