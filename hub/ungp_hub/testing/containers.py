"""Acting inside a user's real container in tests: find it, run a command, write a file."""

from __future__ import annotations

import base64
import subprocess
import sys


def container_of(client, name: str, stopped: bool = False):  # noqa: ANN001, ANN201 - docker SDK
    """The container of hub user ``name`` (the spawner labels it); ``stopped``: also exited."""
    label = f"org.ungp.user={name}"
    (container,) = client.containers.list(all=stopped, filters={"label": label})
    return container


def run_in(container, *command: str, workdir: str = "/home/jovyan") -> str:  # noqa: ANN001
    """Run as the container's user (uid 1000); a failure shows the command's output."""
    code, output = container.exec_run(list(command), user="1000", workdir=workdir)
    text = output.decode(errors="replace")
    assert code == 0, f"{' '.join(command)} failed in {container.name}:\n{text}"
    return text


def write_in(container, path: str, content: str) -> None:  # noqa: ANN001
    encoded = base64.b64encode(content.encode()).decode()
    code = (
        f"import base64, pathlib; p = pathlib.Path({path!r}).expanduser(); "
        f"p.parent.mkdir(parents=True, exist_ok=True); "
        f"p.write_bytes(base64.b64decode({encoded!r}))"
    )
    run_in(container, "python3", "-c", code)


def ungp_cli(settings_file, *args: str) -> str:  # noqa: ANN001 - a path
    """The `ungp` command against a test hub's settings; a failure shows its output."""
    result = subprocess.run(
        [sys.executable, "-m", "ungp_hub.cli.main", *args, "--settings", str(settings_file)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout
