"""Sandbox containers: their security options, what goes in, and the framed result."""

from __future__ import annotations

import json
import struct
import time

from ungp_hub.grader.limits import SandboxLimits, memory_bytes
from ungp_hub.grader.namespace import holder_options
from ungp_hub.grader.sandbox import (
    Sandbox,
    container_options,
    default_pool_size,
    pack_folder,
    split_pool,
)


def limits(**changes) -> SandboxLimits:
    return SandboxLimits(image="ungp/user:test", **changes)


def test_container_is_locked_down():
    o = container_options(limits(memory="512M", pids=64, cpu=0.5), "/home/jovyan/ps1", {})
    assert o["network_mode"] == "none"
    assert o["cap_drop"] == ["ALL"]
    assert o["security_opt"] == ["no-new-privileges"]
    assert o["read_only"] is True
    assert o["user"] == "1000:1000"
    assert o["pids_limit"] == 64 and o["mem_limit"] == "512M" and o["memswap_limit"] == "512M"
    assert o["nano_cpus"] == 500_000_000
    assert o["volumes"] == {}
    assert "privileged" not in o and "/var/run/docker.sock" not in json.dumps(o, default=str)
    assert o["log_config"]["Type"] == "none"


def test_a_run_namespace_is_joined_and_its_holder_is_locked_down_too():
    joined = container_options(limits(), "/home/jovyan/ps1", {}, network="container:abc")
    assert joined["network_mode"] == "container:abc"
    holder = holder_options(limits(), {"ungp.grader.course": "c1"})
    assert holder["network_mode"] == "none" and holder["cap_drop"] == ["ALL"]
    assert holder["read_only"] is True and holder["user"] == "1000:1000"
    assert holder["security_opt"] == ["no-new-privileges"] and "volumes" not in holder
    assert holder["pids_limit"] <= 4 and holder["mem_limit"] == holder["memswap_limit"]
    # removed with the course's sandboxes by a later run if this one is killed
    assert holder["labels"]["ungp.grader.course"] == "c1" and holder["labels"]["ungp.grader"]


def test_only_the_data_mount_and_read_only():
    volumes = {"/srv/state/data/scanner": {"bind": "/srv/data/scanner", "mode": "ro"}}
    o = container_options(limits(volumes=volumes), "/home/jovyan/ps1", {})
    assert o["volumes"] == volumes


def test_pack_keeps_data_and_drops_notebooks_hidden_files_and_links(tmp_path):
    import io
    import tarfile

    (tmp_path / "answers.ipynb").write_text("{}")
    (tmp_path / "data.csv").write_text("a,b\n")
    (tmp_path / ".secret").write_text("x")
    (tmp_path / "link").symlink_to("/etc/passwd")
    with tarfile.open(fileobj=io.BytesIO(pack_folder(tmp_path))) as archive:
        assert archive.getnames() == ["data.csv"]


def test_pool_sizes():
    assert split_pool(8, cpus=2) == (2, 6)
    assert split_pool(1, cpus=2) == (1, 1)
    assert default_pool_size(memory_bytes("1G"), cpus=2) <= 8
    assert default_pool_size(1 << 50, cpus=2) == 2


class FakeSocket:
    """Plays the container's side of an attach socket: multiplexed stdout/stderr frames."""

    def __init__(self, frames: list[tuple[int, bytes]]):
        self.data = b"".join(struct.pack(">BxxxL", k, len(d)) + d for k, d in frames)
        self.sent = b""

    def settimeout(self, _):
        pass

    def recv(self, n):
        chunk, self.data = self.data[:n], self.data[n:]
        return chunk

    def sendall(self, data):
        self.sent += data


def sandbox_with(frames_for_key) -> Sandbox:
    box = Sandbox(client=None, limits=limits(notebook_timeout=10), workdir="/w")
    box._socket = FakeSocket([])

    def sendall(data):
        key = json.loads(data)["key"]
        box._socket.__init__(frames_for_key(key))

    box._socket.sendall = sendall
    return box


def test_result_between_the_keys_is_taken_and_a_forgery_ignored():
    good = {"notebook": {"cells": [1]}, "status": "ok", "notes": {"0": "n"}}
    forged = {"notebook": {"cells": ["forged"]}, "status": "ok", "notes": {}}

    def frames(key):
        return [
            (1, f"\nWRONGKEY\n{json.dumps(forged)}\nWRONGKEY\n".encode()),
            (2, b"some stderr"),
            (1, f"\n{key}\n{json.dumps(good)[:10]}".encode()),
            (1, f"{json.dumps(good)[10:]}\n{key}\n".encode()),
        ]

    result = sandbox_with(frames).run({"cells": []}, b"", [], 1 << 20)
    assert result.status == "ok"
    assert result.notebook == {"cells": [1]}
    assert result.notes == {0: "n"}


def test_no_result_before_the_container_ends_is_a_failure():
    result = sandbox_with(lambda key: [(1, b"junk")]).run({"cells": []}, b"", [], 1 << 20)
    assert result.status == "failed" and result.notebook is None


def test_result_over_the_limit_is_refused():
    def frames(key):
        return [(1, f"\n{key}\n".encode() + b"x" * 5000)]

    started = time.monotonic()
    result = sandbox_with(frames).run({"cells": []}, b"", [], 1000)
    assert result.status == "output_limit"
    assert time.monotonic() - started < 5
