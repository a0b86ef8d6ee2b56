"""The filter's request reading and start-up: what could be read two ways is refused, bad
policy files and engines are named, and the proxy answers without an engine behind it."""

from __future__ import annotations

import asyncio
import json
import stat

import pytest
from ungp_hub.dockerfilter.__main__ import main
from ungp_hub.dockerfilter.policy import Policy
from ungp_hub.dockerfilter.proxy import BadRequest, DockerFilter, parse_head
from ungp_hub.dockerfilter.run import (
    PolicyFileError,
    docker_host,
    engine_socket,
    load_policy,
    start_in_thread,
)


@pytest.mark.parametrize(
    ("head", "message"),
    [
        (b"GET /version HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2", "more than one"),
        (
            b"POST /containers/create HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3",
            "only a chunked body or a Content-Length body",
        ),
        (b"POST /x HTTP/1.1\r\nTransfer-Encoding: gzip", "only a chunked body"),
        (b"POST /x HTTP/1.1\r\nContent-Length: -1", "bad Content-Length"),
        (b"GET /x HTTP/1.1\r\n folded: header", "malformed header line"),
        (b"GET /x HTTP/1.1\r\nName : value", "malformed header name"),
        (b"GET /x", "malformed request line"),
        ("GET /x HTTP/1.1\r\nX: é".encode(), "not ASCII"),
    ],
)
def test_ambiguous_requests_are_refused(head, message):
    with pytest.raises(BadRequest, match=message):
        parse_head(head)


def test_a_plain_request_is_read():
    request = parse_head(b"POST /v1.45/containers/create?name=x HTTP/1.1\r\nHost: docker")
    assert (request.method, request.target, request.header("host")) == (
        "POST",
        "/v1.45/containers/create?name=x",
        "docker",
    )


def test_engine_socket_and_docker_host(tmp_path):
    assert engine_socket({}) == "/var/run/docker.sock"
    assert engine_socket({"DOCKER_HOST": "unix:///run/docker.sock"}) == "/run/docker.sock"
    with pytest.raises(ValueError, match="needs a unix:// engine socket"):
        engine_socket({"DOCKER_HOST": "tcp://10.0.0.1:2376"})
    assert docker_host(tmp_path / "g.sock") == f"unix://{tmp_path}/g.sock"


def test_policy_files(tmp_path):
    good = tmp_path / "grader.yaml"
    good.write_text("name: grader\nlabel: ungp.grader=1\nimages: [ungp/user:1]\n")
    assert load_policy(good).images == ("ungp/user:1",)
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: grader\nlabel: ungp.grader=1\nbinds: [/]\n")
    with pytest.raises(PolicyFileError, match=f"policy file {bad}: bind source '/'"):
        load_policy(bad)
    with pytest.raises(PolicyFileError, match="cannot read the policy file"):
        load_policy(tmp_path / "missing.yaml")


def test_the_command_names_a_bad_policy_file(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("- not a mapping\n")
    assert main(["--socket", str(tmp_path / "s.sock"), "--policy", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "must hold a mapping" in err and "Traceback" not in err


def test_refusals_are_answered_without_reaching_the_engine(tmp_path):
    """No engine listens at the upstream path: a refused request never needs one."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "open").mkdir()
    (data / "root").symlink_to("/")
    policy = Policy.from_mapping(
        {"name": "grader", "label": "ungp.grader=1", "images": ["u:1"], "binds": [str(data)]}
    )
    path = tmp_path / "g.sock"
    running = start_in_thread([DockerFilter(policy, path, str(tmp_path / "no-engine.sock"))])
    try:
        assert stat.S_IMODE(path.stat().st_mode) == 0o660

        async def ask(raw: bytes) -> tuple[bytes, dict]:
            reader, writer = await asyncio.open_unix_connection(str(path))
            writer.write(raw)
            answer = await reader.read()
            writer.close()
            head, _, body = answer.partition(b"\r\n\r\n")
            return head.split(b"\r\n")[0], json.loads(body)

        status, body = asyncio.run(ask(b"POST /v1.45/build HTTP/1.1\r\nHost: d\r\n\r\n"))
        assert status == b"HTTP/1.1 403 Forbidden"
        assert body == {"message": "ungp docker filter: POST /build is not allowed for grader"}
        status, body = asyncio.run(ask(b"GET /containers/%2e%2e/json HTTP/1.1\r\n\r\n"))
        assert status == b"HTTP/1.1 400 Bad Request"
        assert "encoded or dotted" in body["message"]
        create = {
            "Image": "u:1",
            "Labels": {"ungp.grader": "1"},
            "HostConfig": {
                "NetworkMode": "none",
                "Memory": 1 << 28,
                "PidsLimit": 10,
                "NanoCpus": 10**9,
                "Binds": [f"{data}/root:/srv/data:ro"],
            },
        }
        raw = json.dumps(create).encode()
        request = b"POST /containers/create HTTP/1.1\r\nContent-Type: application/json\r\n"
        request += b"Content-Length: %d\r\n\r\n%s" % (len(raw), raw)
        status, body = asyncio.run(ask(request))
        assert status == b"HTTP/1.1 403 Forbidden"
        assert body["message"].endswith(f"bind source {data}/root goes through a symbolic link")
        create["HostConfig"]["Binds"] = [f"{data}/open:/srv/data:ro"]
        raw = json.dumps(create).encode()
        request = b"POST /containers/create HTTP/1.1\r\nContent-Type: application/json\r\n"
        request += b"Content-Length: %d\r\n\r\n%s" % (len(raw), raw)
        status, body = asyncio.run(ask(request))
        assert status == b"HTTP/1.1 502 Bad Gateway"  # allowed, but no engine answers
        assert "the Docker engine does not answer at" in body["message"]
    finally:
        running.stop()
    assert not path.exists()
