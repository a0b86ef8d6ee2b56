"""The Docker filter in front of the real engine, used through the Docker SDK as a service
would: a grader-like client runs sandboxes end to end, and is refused (403, with the reason)
a privileged container, host mounts, the socket, the host network, a pull, and containers it
did not create."""

from __future__ import annotations

import io
import shutil
import struct
import tarfile
import tempfile
from pathlib import Path

import docker
import docker.errors
import nbformat
import pytest
import yaml
from integration_fixtures import TEST_SESSION
from sandbox_course import grade_kept_submissions
from testpolicy import REPO_ROOT
from ungp_hub.dockerfilter.policy import Policy
from ungp_hub.dockerfilter.proxy import DockerFilter
from ungp_hub.dockerfilter.run import docker_host, engine_socket, start_in_thread
from ungp_hub.grader import run_notebook
from ungp_hub.grader.limits import SandboxLimits

pytestmark = pytest.mark.integration

LABEL = "ungp.grader"
LIMITS = {"mem_limit": "256m", "memswap_limit": "256m", "pids_limit": 64, "nano_cpus": 10**9}


@pytest.fixture
def data_dir():
    folder = Path(tempfile.mkdtemp(prefix="ungp-df-data-"))
    folder.chmod(0o755)  # the container's user (1000) reads it
    (folder / "open.csv").write_text("a,b\n1,2\n")
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def filter_client(user_image):
    """Make Docker SDK clients that reach the engine only through a grader-like filter."""
    made = []

    def make(data_dir: Path) -> docker.DockerClient:
        policy = Policy.from_mapping(
            {
                "name": "grader",
                "label": f"{LABEL}=1",
                "images": [user_image],
                "binds": [{"path": str(data_dir), "read_only": True}],
                "max_memory": 2 << 30,
            }
        )
        folder = Path(tempfile.mkdtemp(prefix="ungp-df-"))  # short: unix socket paths are short
        socket_path = folder / "grader.sock"
        running = start_in_thread([DockerFilter(policy, socket_path, engine_socket())])
        client = docker.DockerClient(base_url=docker_host(socket_path), timeout=60)
        made.append((client, running, folder, socket_path))
        return client

    yield make
    for client, running, folder, socket_path in made:
        client.close()
        running.stop()
        shutil.rmtree(folder, ignore_errors=True)
        assert not socket_path.exists()


@pytest.fixture
def filtered(filter_client, data_dir):
    return filter_client(data_dir)


def sandbox_options(image: str, **extra) -> dict:
    return {
        "image": image,
        "labels": {LABEL: "1", "ungp.test": TEST_SESSION},
        "network_mode": "none",
        "user": "1000:1000",
        "cap_drop": ["ALL"],
        "security_opt": ["no-new-privileges"],
        **LIMITS,
        **extra,
    }


def read_frames(sock, until: bytes) -> bytes:
    """stdout of an attached container (multiplexed frames) until ``until`` appears."""
    out, buffer = b"", b""
    while until not in out:
        chunk = sock.recv(65536)
        assert chunk, f"the stream closed early; got {out!r}"
        buffer += chunk
        while len(buffer) >= 8:
            kind, size = struct.unpack(">BxxxL", buffer[:8])
            if len(buffer) < 8 + size:
                break
            if kind == 1:
                out += buffer[8 : 8 + size]
            buffer = buffer[8 + size :]
    return out


def test_a_sandbox_runs_end_to_end_through_the_filter(filtered, user_image, data_dir):
    script = "import sys\nline = sys.stdin.readline()\nprint('got', line.strip(), flush=True)\n"
    script += "open('/tmp/result.txt', 'w').write(open('/srv/data/open.csv').read() + line)\n"
    container = filtered.containers.create(
        **sandbox_options(
            user_image,
            command=["python", "/tmp/job.py"],
            stdin_open=True,
            volumes={str(data_dir): {"bind": "/srv/data", "mode": "ro"}},
        )
    )
    try:
        archive = io.BytesIO()
        with tarfile.open(fileobj=archive, mode="w") as tar:
            info = tarfile.TarInfo("job.py")
            info.size, info.mode = len(script.encode()), 0o644
            tar.addfile(info, io.BytesIO(script.encode()))
        assert container.put_archive("/tmp", archive.getvalue())
        attached = container.attach_socket(
            params={"stdin": 1, "stdout": 1, "stderr": 1, "stream": 1}
        )
        sock = getattr(attached, "_sock", attached)
        container.start()
        sock.settimeout(60)
        sock.sendall(b"hello\n")
        assert b"got hello" in read_frames(sock, b"got hello")
        sock.close()
        assert container.wait(timeout=60)["StatusCode"] == 0
        assert b"got hello" in container.logs()  # a streamed GET
        stream, _ = container.get_archive("/tmp/result.txt")
        with tarfile.open(fileobj=io.BytesIO(b"".join(stream))) as tar:
            assert tar.extractfile("result.txt").read() == b"a,b\n1,2\nhello\n"
        listed = filtered.containers.list(all=True, filters={"label": f"ungp.test={TEST_SESSION}"})
        assert [c.id for c in listed] == [container.id]
    finally:
        container.remove(force=True)
    with pytest.raises(docker.errors.NotFound):
        filtered.containers.get(container.id)


def test_the_grader_runs_a_notebook_through_the_filter(filtered, user_image):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_code_cell("print(6 * 7)")]
    limits = SandboxLimits(image=user_image, memory="512M", pids=64, notebook_timeout=60)
    executed = run_notebook(nb, timeout=30, limits=limits, client=filtered)
    assert executed.cells[0].outputs[0]["text"] == "42\n"


def test_the_grader_grades_a_course_assignment_through_the_filter(
    filter_client, user_image, tmp_path
):
    """GradingRun as ``ungp grade`` runs it (warm pool, sandboxes sharing a holder's network
    namespace, data mounted read-only), with the module's expected grades."""
    from ungp_catalogs.build import build_catalog

    data = tmp_path / "data"
    build_catalog(data, scale="small")
    module, assignment, notebook = "m0-foundations", "m0_catalogue_quality", None
    source = REPO_ROOT / "courses" / module / "source" / assignment
    notebook = next(source.glob("*.ipynb")).name
    expected_file = REPO_ROOT / "courses" / module / "submissions" / assignment
    expected = yaml.safe_load((expected_file / "expected-grades.yaml").read_text())
    limits = SandboxLimits(
        image=user_image,
        memory="1G",
        pids=128,
        cell_timeout=180,
        notebook_timeout=600,
        volumes={str(data): {"bind": "/srv/data", "mode": "ro"}},
    )
    client = filter_client(data)
    scores = grade_kept_submissions(
        tmp_path / "state", module, assignment, notebook, limits, client
    )
    assert scores == {k: float(v) for k, v in expected.items()}


def refused(call, reason: str) -> None:
    with pytest.raises(docker.errors.APIError) as caught:
        call()
    assert caught.value.status_code == 403, caught.value
    assert reason in str(caught.value.explanation)


def test_the_filter_refuses_what_a_grader_must_not_do(filtered, user_image, docker_client):
    create = filtered.containers.create
    refused(
        lambda: create(**sandbox_options(user_image, privileged=True)),
        "privileged containers are not allowed",
    )
    refused(
        lambda: create(**sandbox_options(user_image, volumes={"/": {"bind": "/host"}})),
        "host path / is not a bind source grader may mount",
    )
    socket_bind = {"/var/run/docker.sock": {"bind": "/var/run/docker.sock"}}
    refused(
        lambda: create(**sandbox_options(user_image, volumes=socket_bind)),
        "host path /var/run/docker.sock is not a bind source",
    )
    refused(
        lambda: create(**sandbox_options(user_image, network_mode="host")),
        "the host network is not allowed",
    )
    refused(lambda: create(**sandbox_options(user_image, pid_mode="host")), "PidMode 'host'")
    lower_case = {"NetworkMode": "none", "Memory": 1 << 28, "PidsLimit": 64, "NanoCpus": 10**9}
    lower_case["privileged"] = True  # the engine's decoder reads it as Privileged
    refused(
        lambda: filtered.api.create_container(
            user_image, labels={LABEL: "1", "ungp.test": TEST_SESSION}, host_config=lower_case
        ),
        "the body key 'privileged' must be written 'Privileged'",
    )
    unlimited = {k: v for k, v in sandbox_options(user_image).items() if k != "pids_limit"}
    refused(lambda: create(**unlimited), "a container needs a PidsLimit limit")
    refused(lambda: filtered.images.pull("alpine", tag="3"), "POST /images/create is not allowed")
    refused(lambda: filtered.info(), "GET /info is not allowed")
    assert not docker_client.containers.list(
        all=True, filters={"label": [f"ungp.test={TEST_SESSION}", f"{LABEL}=1"]}
    ), "a refused create made a container"

    other = docker_client.containers.create(
        user_image, ["sleep", "60"], labels={"ungp.test": TEST_SESSION}, **LIMITS
    )
    try:
        for call in (
            lambda: filtered.containers.get(other.id),
            lambda: filtered.api.start(other.id),
            lambda: filtered.api.remove_container(other.name, force=True),
            lambda: filtered.api.get_archive(other.id, "/etc/passwd"),
        ):
            refused(call, "does not carry the label ungp.grader=1 of grader")
        joined = sandbox_options(user_image, network_mode=f"container:{other.id}")
        refused(lambda: create(**joined), "does not carry the label ungp.grader=1 of grader")
        assert filtered.containers.list(all=True) == []  # its list shows only its own
        other.reload()
        assert other.status == "created"
    finally:
        other.remove(force=True)
