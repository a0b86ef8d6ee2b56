"""The module format of courses/README.md: module.yaml, lessons, nbgrader sources, submissions."""

from __future__ import annotations

import re
import runpy
import sys
from collections import Counter
from pathlib import Path

import nbformat
import pytest
import yaml
from course_folders import Module, modules

REQUIRED = {
    "id",
    "title",
    "summary",
    "duration",
    "prerequisites",
    "learning_objectives",
    "datasets",
    "lessons",
    "assignments",
}


def _notebook(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def test_module_yaml_is_complete(module: Module):
    missing = REQUIRED - set(module.spec)
    assert not missing, f"{module.folder}/module.yaml lacks {sorted(missing)}"
    assert module.id == module.folder.name
    assert module.spec["learning_objectives"] and module.spec["datasets"]
    assert 2 <= len(module.spec["lessons"]) <= 4
    assert len(module.spec["assignments"]) >= 1


def test_datasets_are_catalogue_entries(module: Module, small_catalog: Path):
    from ungp_catalogs.catalog_files import load_entries

    unknown = set(module.spec["datasets"]) - set(load_entries(small_catalog))
    assert not unknown, f"{module.id} names datasets the catalogue does not have: {unknown}"


def test_lessons_listed_exist_and_take_parameters(module: Module):
    on_disk = sorted((module.folder / "lessons").glob("*.ipynb"))
    assert sorted(module.lessons()) == on_disk
    for lesson in on_disk:
        cells = [c for c in _notebook(lesson).cells if "parameters" in c.metadata.get("tags", [])]
        assert len(cells) == 1, f"{lesson.name}: needs one cell tagged 'parameters'"
        assert re.search(r"^scale = ", cells[0].source, re.M)
        assert re.search(r"^catalog_path = None", cells[0].source, re.M)


def test_assignment_sources_follow_nbgrader(module: Module):
    for entry in module.spec["assignments"]:
        folder = module.folder / "source" / entry["name"]
        assert sorted(p.name for p in folder.glob("*.ipynb")) == sorted(entry["notebooks"])
        points = 0.0
        hidden = trusted = 0
        for name in entry["notebooks"]:
            for cell in _notebook(folder / name).cells:
                meta = cell.metadata.get("nbgrader", {})
                if meta.get("solution"):
                    assert "### BEGIN SOLUTION" in cell.source and "### END SOLUTION" in cell.source
                if meta.get("grade"):
                    points += meta["points"]
                    if "### BEGIN HIDDEN TESTS" in cell.source:
                        hidden += 1
                        trusted += "from ungp_" in cell.source.split("### BEGIN HIDDEN TESTS")[1]
        assert points == entry["points"], f"{entry['name']}: cells give {points} points"
        assert hidden >= 1, f"{entry['name']} has no hidden tests"
        assert trusted >= 1, f"{entry['name']}: no hidden test compares with ungp_methods"


def test_expected_grades_cover_every_kept_submission(module: Module):
    for entry in module.spec["assignments"]:
        folder = module.folder / "submissions" / entry["name"]
        expected = yaml.safe_load((folder / "expected-grades.yaml").read_text())
        wrong = sorted(p.name for p in folder.iterdir() if p.is_dir())
        assert wrong, f"{entry['name']}: keep at least one plausible wrong submission"
        assert sorted(expected) == sorted(["source", "released", *wrong])
        assert expected["source"] == entry["points"] and expected["released"] == 0
        assert all(0 < expected[w] < entry["points"] for w in wrong)
        for w in wrong:
            for name in entry["notebooks"]:
                text = (folder / w / name).read_text()
                assert "BEGIN HIDDEN TESTS" not in text and "BEGIN SOLUTION" not in text


def test_assignment_names_are_unique_across_modules():
    names = Counter(name for m in modules() for name in m.assignments())
    assert not [n for n, k in names.items() if k > 1]


def test_committed_notebooks_match_their_generator(
    module: Module, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    generator = module.folder / "make_notebooks.py"
    if not generator.exists():
        return
    # In this process (runpy), not a new interpreter: importing nbformat costs 5-10 s per
    # process here, and the script's `if __name__ == "__main__"` block is what runs.
    monkeypatch.setattr(sys, "argv", [str(generator), "--out", str(tmp_path)])
    monkeypatch.setattr(sys, "path", list(sys.path))  # the script prepends courses/
    runpy.run_path(str(generator), run_name="__main__")
    made = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.ipynb"))
    assert made
    committed = sorted(p.relative_to(module.folder) for p in module.folder.rglob("*.ipynb"))
    assert made == committed
    stale = [
        str(p) for p in made if (tmp_path / p).read_bytes() != (module.folder / p).read_bytes()
    ]
    assert not stale, f"run {generator} again: {stale}"
