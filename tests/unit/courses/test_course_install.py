"""`ungp course install` puts modules into a course: generated, in the gradebook, released."""

from __future__ import annotations

import json

import yaml
from click.testing import CliRunner
from nbgrader.api import Gradebook
from testpolicy import REPO_ROOT
from ungp_hub.cli.main import main
from ungp_hub.courses.folders import alembic_on_path
from ungp_hub.exchange.store import ExchangeStore

MODULE = "m3-scanner-cpi"


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_install_generates_records_and_releases_then_is_idempotent(tmp_path):
    settings = tmp_path / "settings.yaml"
    settings.write_text(f"hub:\n  state_dir: {tmp_path / 'state'}\n")
    spec = yaml.safe_load((REPO_ROOT / "courses" / MODULE / "module.yaml").read_text())
    (assignment,) = [a for a in spec["assignments"] if a.get("kernel", "python3") == "python3"]

    first = run("course", "install", "--settings", str(settings), "cpi-2026", MODULE)
    assert first.exit_code == 0, first.output
    assert "released as version 1" in first.output

    store = ExchangeStore(tmp_path / "state" / "exchange")
    files = store.released_files("cpi-2026", assignment["name"])
    (notebook_name,) = [name for name in files if name.endswith(".ipynb")]
    released = json.loads(files[notebook_name])
    text = json.dumps(released)
    assert "BEGIN HIDDEN TESTS" not in text and "BEGIN SOLUTION" not in text
    assert "YOUR CODE HERE" in text or "raise NotImplementedError" in text

    gradebook_url = f"sqlite:///{tmp_path / 'state' / 'courses' / 'cpi-2026' / 'gradebook.db'}"
    with alembic_on_path(), Gradebook(gradebook_url, "cpi-2026") as gradebook:
        recorded = gradebook.find_assignment(assignment["name"])
        assert recorded.max_score == assignment["points"]

    lessons = tmp_path / "state" / "lessons" / "cpi-2026"
    for lesson in spec["lessons"]:
        published = lessons / MODULE / lesson["file"].split("/")[-1]
        assert (
            published.read_bytes() == (REPO_ROOT / "courses" / MODULE / lesson["file"]).read_bytes()
        )
    assert "lessons: " in first.output and "~/lessons/cpi-2026" in first.output
    assert lesson["title"] in (lessons / "index.md").read_text()

    again = run("course", "install", "--settings", str(settings), "cpi-2026", MODULE)
    assert again.exit_code == 0
    assert "already released" in again.output
    assert store.current_release("cpi-2026", assignment["name"]).version == 1


def test_unknown_module_is_named(tmp_path):
    settings = tmp_path / "settings.yaml"
    settings.write_text(f"hub:\n  state_dir: {tmp_path / 'state'}\n")
    result = CliRunner().invoke(
        main, ["course", "install", "--settings", str(settings), "c", "m9-x"]
    )
    assert result.exit_code == 1
    assert "no course module 'm9-x'" in result.output
    assert "m3-scanner-cpi" in result.output


def test_install_runs_nothing_from_the_course_folder_and_follows_none_of_its_links(tmp_path):
    """The course folder is its instructors' (issue 17): their nbgrader_config.py is not run
    by `ungp course install` (as root on the host), and a link planted in place of source/
    does not make the install write outside the folder."""
    settings = tmp_path / "settings.yaml"
    settings.write_text(f"hub:\n  state_dir: {tmp_path / 'state'}\n")
    assert run("course", "install", "--settings", str(settings), "c1", MODULE).exit_code == 0
    course = tmp_path / "state" / "courses" / "c1"
    ran = tmp_path / "instructor-code-ran"
    (course / "nbgrader_config.py").write_text(f"open({str(ran)!r}, 'w').close()\n")
    notebook = sorted((course / "source").glob("*/*.ipynb"))[0]
    notebook.write_text(notebook.read_text().replace("import", "import  ", 1))  # edited
    result = run("course", "install", "--settings", str(settings), "--force", "c1", MODULE)
    assert result.exit_code == 0, result.output
    assert not ran.exists(), "the instructor's nbgrader_config.py ran on the host"
    assert "released as version 2" in result.output

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (course / "source").rename(course / "source.old")
    (course / "source").symlink_to(elsewhere, target_is_directory=True)
    result = CliRunner().invoke(
        main, ["course", "install", "--settings", str(settings), "--force", "c1", MODULE]
    )
    assert result.exit_code == 1
    assert "source is a symbolic link" in result.output
    assert list(elsewhere.iterdir()) == []
