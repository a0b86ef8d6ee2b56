"""The OOM reason survives Docker's event race: an exit is read again until the kill is recorded.

Docker records an OOM kill from an event that can arrive just after the container's exit; the
real race cannot be provoked on demand, so this drives `_settled` with the engine's answers in
the order seen in a failing run (ExitCode=137 with OOMKilled=False, then OOMKilled=True).
"""

from __future__ import annotations

import asyncio

from ungp_hub.spawner import docker as spawner_docker
from ungp_hub.spawner.docker import UngpDockerSpawner


class EngineAnswers:
    """Stands in for DockerSpawner.get_object: returns the recorded inspections in turn."""

    def __init__(self, *states: dict) -> None:
        self.states = list(states)
        self.reads = 0

    async def get_object(self) -> dict:
        self.reads += 1
        return {"State": self.states.pop(0) if len(self.states) > 1 else self.states[0]}


def settle(first: dict, later: EngineAnswers) -> dict:
    return asyncio.run(UngpDockerSpawner._settled(later, {"State": first}))


def test_a_late_oom_record_is_waited_for(monkeypatch):
    monkeypatch.setattr(spawner_docker, "OOM_EVENT_WAIT", 0.01)
    exited = {"Running": False, "ExitCode": 137, "OOMKilled": False}
    engine = EngineAnswers(exited, {**exited, "OOMKilled": True})
    assert settle(exited, engine)["State"]["OOMKilled"] is True
    assert engine.reads == 2


def test_an_ordinary_exit_is_not_delayed(monkeypatch):
    monkeypatch.setattr(spawner_docker, "OOM_EVENT_WAIT", 0.01)
    engine = EngineAnswers({"Running": False, "ExitCode": 0, "OOMKilled": False})
    assert settle({"Running": False, "ExitCode": 0, "OOMKilled": False}, engine)
    assert engine.reads == 0


def test_a_plain_sigkill_is_read_a_bounded_number_of_times(monkeypatch):
    monkeypatch.setattr(spawner_docker, "OOM_EVENT_WAIT", 0.01)
    killed = {"Running": False, "ExitCode": 137, "OOMKilled": False}
    engine = EngineAnswers(killed)
    assert settle(killed, engine)["State"]["OOMKilled"] is False
    assert engine.reads == spawner_docker.OOM_EVENT_READS
