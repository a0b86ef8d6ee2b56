"""Lessons of a course: published by the hub, delivered into each member's home folder.

A course's graded assignments travel through the exchange (fetch, submit); its lessons are
read, run and changed freely, so they are delivered as files instead:

- **Publishing** (hub host): `ungp course install` copies each module's lesson notebooks to
  ``STATE_DIR/lessons/<course>/<module>/`` with an ``index.md`` listing them. The folder
  belongs to the hub: instructors change lessons through the course modules, not there.
- **Mounting**: the spawner mounts ``STATE_DIR/lessons/<course>`` read-only at
  ``/srv/lessons/<course>`` for the course's trainees and instructors.
- **Delivery** (in the user's container, as the user, at each server start): the files are
  copied to ``~/lessons/<course>/``. A file the person has not changed since it was delivered
  follows the course (updated, or restored if deleted); a file they changed is never
  overwritten: the course's new version is put next to it as ``<name>.new-version.<ext>``.
  What was delivered is remembered in ``~/lessons/.delivered.json`` (path -> sha256).

This is nbgitpuller's rule (the user's changes win, everything else follows upstream) without
git in the image or network in the container.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .courses.access import INSTRUCTORS, TRAINEES

RECORD = ".delivered.json"
LESSONS_MOUNT = "/srv/lessons"
INDEX = "index.md"


def lessons_dir(state_dir: Path) -> Path:
    """Where the hub keeps the published lessons of every course."""
    return Path(state_dir) / "lessons"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def publish_module_lessons(state_dir: Path, course: str, module_dir: Path) -> list[Path]:
    """Copy the lesson notebooks listed in `module_dir/module.yaml` into the course's
    published lessons and rewrite the course's index. Returns the files written or changed."""
    spec = yaml.safe_load((module_dir / "module.yaml").read_text(encoding="utf-8")) or {}
    target = lessons_dir(state_dir) / course / module_dir.name
    target.mkdir(parents=True, exist_ok=True)
    changed = []
    for lesson in spec.get("lessons") or []:
        source = module_dir / lesson["file"]
        destination = target / source.name
        if destination.is_file() and _sha256(destination) == _sha256(source):
            continue
        shutil.copyfile(source, destination)
        changed.append(destination)
    index = write_index(
        state_dir, course, _module_specs(lessons_dir(state_dir) / course, module_dir)
    )
    return [*changed, index] if changed else changed


def _module_specs(course_dir: Path, just_published: Path) -> list[dict[str, Any]]:
    """The module.yaml of every module published in the course (the one just published
    from its source, the others from the copy kept beside their lessons)."""
    keep = course_dir / just_published.name / "module.yaml"
    shutil.copyfile(just_published / "module.yaml", keep)
    specs = []
    for path in sorted(course_dir.glob("*/module.yaml")):
        specs.append(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    return specs


def write_index(state_dir: Path, course: str, specs: Iterable[dict[str, Any]]) -> Path:
    """``index.md``: the modules of the course, their lessons in order, with their times."""
    lines = [
        f"# Lessons of the course `{course}`",
        "",
        "Open a lesson, run it from the top (Run > Run All Cells) and change it as you like: your",
        "copy is yours. When the course is updated, lessons you have not changed are updated at",
        "your server's next start; for a lesson you changed, the new version appears next to it",
        "as `<name>.new-version.ipynb`. Delete a lesson to get a fresh copy at the next start.",
        "",
        "The graded assignments are under *Assignments* (nbgrader) in JupyterLab.",
        "",
    ]
    for spec in specs:
        lines += [
            f"## {spec.get('title', spec.get('id'))}",
            "",
            str(spec.get("summary", "")).strip(),
            "",
        ]
        for lesson in spec.get("lessons") or []:
            name = Path(lesson["file"]).name
            lines.append(
                f"- [{lesson.get('title', name)}]({spec.get('id')}/{name}) "
                f"({lesson.get('minutes', '?')} min)"
            )
        lines.append("")
    path = lessons_dir(state_dir) / course / INDEX
    path.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    return path


def member_courses(group_names: Iterable[str]) -> list[str]:
    """Courses a person takes or teaches, from their hub groups."""
    courses = set()
    for group in group_names:
        for prefix in (TRAINEES, INSTRUCTORS):
            if group.startswith(prefix) and len(group) > len(prefix):
                courses.add(group[len(prefix) :])
    return sorted(courses)


def lesson_volumes(host_root: str, mount: str, group_names: Iterable[str]) -> dict[str, dict]:
    """Docker volumes: the published lessons of each of the person's courses, read-only."""
    if not host_root or not mount:
        return {}
    volumes = {}
    for course in member_courses(group_names):
        folder = Path(host_root) / course
        if folder.is_dir() and "/" not in course and course not in (".", ".."):
            volumes[str(folder)] = {"bind": f"{mount.rstrip('/')}/{course}", "mode": "ro"}
    return volumes


@dataclass
class Delivery:
    """What one delivery did, for the server's log and the tests."""

    copied: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    new_versions: list[str] = field(default_factory=list)


def _published_files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink() and path.name != "module.yaml":
            yield path


def new_version_name(path: Path) -> Path:
    return path.with_name(f"{path.stem}.new-version{path.suffix}")


def deliver(published: Path, home_lessons: Path) -> Delivery:
    """Bring ``home_lessons`` up to date with ``published`` (one folder per course inside).

    Runs as the user in their own container; never overwrites a file the user changed.
    """
    record_path = home_lessons / RECORD
    try:
        record: dict[str, str] = json.loads(record_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        record = {}
    done = Delivery()
    for source in _published_files(published):
        relative = source.relative_to(published).as_posix()
        target = home_lessons / relative
        upstream = _sha256(source)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            done.copied.append(relative)
        elif target.is_file() and not target.is_symlink():
            mine = _sha256(target)
            if mine == upstream:
                pass
            elif mine == record.get(relative):
                shutil.copyfile(source, target)  # unchanged by the user: follow the course
                done.updated.append(relative)
            elif upstream != record.get(relative):
                side = new_version_name(target)
                shutil.copyfile(source, side)
                done.new_versions.append(side.relative_to(home_lessons).as_posix())
                done.kept.append(relative)
            else:
                done.kept.append(relative)
        else:
            done.kept.append(relative)  # the user put something else there: leave it
        record[relative] = upstream
    home_lessons.mkdir(parents=True, exist_ok=True)
    temporary = record_path.with_suffix(".tmp")
    temporary.write_text(json.dumps(record, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(temporary, record_path)
    return done


def _load_jupyter_server_extension(serverapp: Any) -> None:
    """Jupyter server extension: deliver the course lessons into the home at server start."""
    published = Path(os.environ.get("UNGP_LESSONS_ROOT", LESSONS_MOUNT))
    if not published.is_dir() or not any(published.iterdir()):
        return
    try:
        done = deliver(published, Path(serverapp.root_dir) / "lessons")
    except OSError as error:  # lessons must never stop the server
        serverapp.log.warning("ungp lessons: could not deliver the course lessons: %s", error)
        return
    serverapp.log.info(
        "ungp lessons: %d new, %d updated, %d kept as you changed them (%d new versions)",
        len(done.copied),
        len(done.updated),
        len(done.kept),
        len(done.new_versions),
    )


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "ungp_hub.lessons"}]
