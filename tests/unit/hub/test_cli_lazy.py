"""`ungp` where the hub's extras are missing: a user container, or `pip install ungp-hub`.

Each run is a fresh interpreter whose `sitecustomize` makes the extras' modules unimportable,
as they are in the user image (no Docker SDK) or in a plain install (no nbformat, JupyterHub).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from ungp_hub.cli.main import COMMANDS, main

BLOCKED = "docker,nbformat,jupyterhub,dockerspawner,nbgrader"
BLOCKER = """
import os, sys

BLOCKED = set(os.environ["UNGP_TEST_BLOCKED"].split(","))


class Blocker:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, Blocker())
"""


@pytest.fixture(scope="module")
def blocker(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("blocker")
    (folder / "sitecustomize.py").write_text(BLOCKER)
    return folder


def ungp(blocker: Path, *args: str, cwd: Path | None = None, **env: str):
    environ = {k: v for k, v in os.environ.items() if not k.startswith("UNGP_")}
    environ.update(env, UNGP_TEST_BLOCKED=BLOCKED)
    environ["PYTHONPATH"] = os.pathsep.join([str(blocker), *sys.path])
    return subprocess.run(
        [sys.executable, "-m", "ungp_hub.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=environ,
        cwd=cwd,
    )


def test_the_blocker_blocks(blocker):
    result = ungp(blocker, "--help")
    probe = subprocess.run(
        [sys.executable, "-c", "import docker"],
        env={**os.environ, "PYTHONPATH": str(blocker), "UNGP_TEST_BLOCKED": BLOCKED},
        capture_output=True,
        text=True,
    )
    assert probe.returncode == 1 and "No module named 'docker'" in probe.stderr
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("noun", [None, *COMMANDS])
def test_help_of_every_noun_works_without_the_extras(blocker, noun):
    result = ungp(blocker, *filter(None, [noun, "--help"]))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Usage:") and not result.stderr


def test_top_level_help_imports_no_noun_and_lists_every_one():
    code = (
        "import sys\nfrom ungp_hub.cli.main import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print('LOADED', ' '.join(sorted(sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    loaded = set(result.stdout.split("LOADED", 1)[1].split())
    heavy = {"ungp_catalogs.cli", "ungp_hub.settings", "jsonschema", "requests", "rich", "yaml"}
    assert not heavy & loaded, heavy & loaded
    assert not any(
        name.startswith("ungp_hub.cli.")
        and name not in ("ungp_hub.cli.main", "ungp_hub.cli.errors")
        for name in loaded
    )
    for noun in COMMANDS:
        assert f"\n  {noun} " in result.stdout


def test_every_table_entry_is_the_command_of_its_name():
    context = click.Context(main)
    for name in COMMANDS:
        command = main.get_command(context, name)
        assert isinstance(command, click.Command) and command.name == name


@pytest.mark.parametrize(
    ("args", "path"),
    [
        (["users", "import", "roster.csv"], "ungp users import"),
        (["cert", "list"], "ungp cert list"),
        (["grade", "c1", "a1"], "ungp grade"),
        (["images", "build"], "ungp images build"),
    ],
)
def test_host_commands_in_a_user_container_say_so(blocker, args, path):
    result = ungp(blocker, *args, UNGP_USER_IMAGE="1")
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert result.stderr.strip() == (
        f"error: `{path}` runs on the hub host, not in a user container; ask a hub admin "
        "to run it there"
    )


def test_container_commands_still_run_in_a_user_container(blocker, tmp_path):
    verify = ungp(blocker, "cert", "verify", "--help", UNGP_USER_IMAGE="1")
    assert verify.returncode == 0 and "Verify the credential" in verify.stdout
    users = ungp(blocker, "users", "import", "--help", UNGP_USER_IMAGE="1")
    assert users.returncode == 0 and "ROSTER_CSV" in users.stdout
    settings = ungp(blocker, "settings", "validate", UNGP_USER_IMAGE="1", cwd=tmp_path)
    assert settings.returncode == 0, settings.stderr
    assert "settings ok" in settings.stdout


def test_a_command_missing_its_extra_names_the_extra(blocker, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("username,role\nana,trainee\n")
    result = ungp(blocker, "users", "import", str(roster))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "`ungp users import` needs ungp-hub's 'hub' extra" in result.stderr
    assert "pip install 'ungp-hub[hub]'" in result.stderr
