"""Lessons reach a course's members and follow the course without losing their own edits."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from testpolicy import REPO_ROOT
from ungp_hub.lessons import (
    deliver,
    lesson_volumes,
    lessons_dir,
    member_courses,
    new_version_name,
    publish_module_lessons,
)

MODULES = REPO_ROOT / "courses"


def _publish(state: Path, *modules: str) -> Path:
    for module in modules:
        publish_module_lessons(state, "demo", MODULES / module)
    return lessons_dir(state)


def test_publish_copies_every_lesson_and_indexes_the_modules(tmp_path):
    published = _publish(tmp_path, "m0-foundations", "m2-ais") / "demo"
    names = sorted(p.relative_to(published).as_posix() for p in published.rglob("*.ipynb"))
    assert names == [
        "m0-foundations/01-jupyter-and-pandas.ipynb",
        "m0-foundations/02-data-catalogue.ipynb",
        "m0-foundations/03-quality-and-reproducibility.ipynb",
        *sorted(f"m2-ais/{p.name}" for p in (MODULES / "m2-ais" / "lessons").glob("*.ipynb")),
    ]
    index = (published / "index.md").read_text()
    assert "Foundations" in index and "AIS" in index
    assert "(m0-foundations/02-data-catalogue.ipynb)" in index
    # Publishing again changes nothing
    assert publish_module_lessons(tmp_path, "demo", MODULES / "m0-foundations") == []


def test_delivery_follows_the_course_but_never_overwrites_an_edit(tmp_path):
    published = _publish(tmp_path / "state", "m0-foundations")
    home = tmp_path / "home" / "lessons"
    first = deliver(published, home)
    assert len(first.copied) == 4  # three lessons and the index
    lesson1 = home / "demo/m0-foundations/01-jupyter-and-pandas.ipynb"
    lesson2 = home / "demo/m0-foundations/02-data-catalogue.ipynb"
    lesson3 = home / "demo/m0-foundations/03-quality-and-reproducibility.ipynb"
    assert lesson1.read_bytes() == (published / "demo/m0-foundations" / lesson1.name).read_bytes()

    # The trainee edits lesson 1 and deletes lesson 3; the course then changes lessons 1 and 2.
    edited = lesson1.read_text().replace('"cells": [', '"cells": [ ', 1) + "\n"
    lesson1.write_text(edited)
    lesson3.unlink()
    for name in (lesson1.name, lesson2.name):
        source = published / "demo/m0-foundations" / name
        nb = json.loads(source.read_text())
        nb["metadata"]["changed_by_course"] = True
        source.write_text(json.dumps(nb))

    second = deliver(published, home)
    assert lesson1.read_text() == edited  # the trainee's edit survives
    side = new_version_name(lesson1)
    assert json.loads(side.read_text())["metadata"]["changed_by_course"] is True
    assert json.loads(lesson2.read_text())["metadata"]["changed_by_course"] is True
    assert lesson3.is_file()  # deleted: restored fresh
    assert second.updated == ["demo/m0-foundations/02-data-catalogue.ipynb"]
    assert second.copied == ["demo/m0-foundations/03-quality-and-reproducibility.ipynb"]

    # Nothing changed upstream: a third delivery neither copies nor writes a new version.
    side.unlink()
    third = deliver(published, home)
    assert third.copied == third.updated == third.new_versions == []
    assert not side.exists()
    assert lesson1.read_text() == edited


def test_a_broken_record_does_not_lose_edits(tmp_path):
    published = _publish(tmp_path / "state", "m0-foundations")
    home = tmp_path / "lessons"
    deliver(published, home)
    lesson = home / "demo/m0-foundations/01-jupyter-and-pandas.ipynb"
    lesson.write_text("{}")
    (home / ".delivered.json").write_text("not json")
    deliver(published, home)
    assert lesson.read_text() == "{}"


def test_members_get_their_courses_lessons_read_only(tmp_path):
    root = tmp_path / "lessons"
    for course in ("demo", "stats101"):
        (root / course).mkdir(parents=True)
    groups = ["trainees:demo", "instructors:stats101", "trainees:other", "analysts"]
    assert member_courses(groups) == ["demo", "other", "stats101"]
    volumes = lesson_volumes(str(root), "/srv/lessons", groups)
    assert volumes == {
        str(root / "demo"): {"bind": "/srv/lessons/demo", "mode": "ro"},
        str(root / "stats101"): {"bind": "/srv/lessons/stats101", "mode": "ro"},
    }
    assert lesson_volumes("", "/srv/lessons", groups) == {}
    shutil.rmtree(root)
    assert lesson_volumes(str(root), "/srv/lessons", groups) == {}
