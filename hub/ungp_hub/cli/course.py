"""``ungp course``: nbgrader courses (folder, gradebook, hub groups), enrolment, grades."""

from __future__ import annotations

from pathlib import Path

import click

from ..accounts.hub_api import HubAPI
from ..accounts.roster import Roster
from ..courses.access import INSTRUCTORS, TRAINEES
from ..courses.folders import (
    CourseError,
    check_course_name,
    courses_dir,
    create_course_folder,
)
from ..courses.folders import gradebook_url as course_gradebook_url
from ..courses.gradebook_names import name_students
from ..exchange.grades import export_grades
from .options import load, project_root, settings_option


@click.group()
def course() -> None:
    """Manage nbgrader courses: create, enrol trainees, export grades."""


def _ensure_group(api: HubAPI, group: str) -> bool:
    """Create the hub group if missing; True if it was made now."""
    path = api.group_path(group)
    if api.request("GET", path).status_code == 200:
        return False
    response = api.request("POST", path)
    if response.status_code not in (201, 409):
        raise CourseError(f"the hub refused to create group {group}: {response.text}")
    return True


@course.command("create")
@settings_option
@click.argument("name")
def create(settings_file: str | None, name: str) -> None:
    """Create course NAME: its folder in nbgrader's layout, its gradebook, its hub groups.

    Running it again completes what is missing and changes nothing that exists.
    """
    settings = load(settings_file)
    check_course_name(name)
    api = HubAPI.from_settings(settings)
    # The hub first: with the wrong settings it refuses, and no folder is made.
    for group in (f"{INSTRUCTORS}{name}", f"{TRAINEES}{name}"):
        made = _ensure_group(api, group)
        click.echo(f"hub group {group}: {'created' if made else 'exists'}")
    folder = create_course_folder(settings.state_dir, name, settings.get("courses.gradebook_url"))
    click.echo(f"course {name}: {folder}")
    click.echo(
        f"next: add instructors to {INSTRUCTORS}{name} and trainees to {TRAINEES}{name} "
        f"(`ungp course enrol {name} ROSTER.csv`); instructors restart their server"
    )


@course.command("enrol")
@settings_option
@click.argument("name")
@click.argument("roster_csv", type=click.Path(exists=True, dir_okay=False))
def enrol(settings_file: str | None, name: str, roster_csv: str) -> None:
    """Add the people of ROSTER_CSV (existing hub accounts) to course NAME.

    Trainees join trainees:NAME, instructors instructors:NAME; other roles are refused.
    """
    settings = load(settings_file)
    check_course_name(name)
    if not (courses_dir(settings.state_dir) / name).is_dir():
        raise CourseError(f"course {name} does not exist; run `ungp course create {name}` first")
    roster = Roster.read(Path(roster_csv))
    api = HubAPI.from_settings(settings)
    missing = sorted({p.username for p in roster.people} - api.user_names())
    if missing:
        raise CourseError(
            f"these accounts do not exist on the hub: {', '.join(missing)}; import them with "
            "`ungp users import` first. Nobody was enrolled."
        )
    wrong = [p.username for p in roster.people if p.role not in ("trainee", "instructor")]
    if wrong:
        raise CourseError(f"only trainees and instructors can be enrolled: {', '.join(wrong)}")
    for role, prefix in (("trainee", TRAINEES), ("instructor", INSTRUCTORS)):
        names = [p.username for p in roster.people if p.role == role]
        if not names:
            continue
        group = f"{prefix}{name}"
        _ensure_group(api, group)
        api.expect(
            api.request("POST", api.group_path(group) + "/users", json={"users": names}), 200
        )
        click.echo(f"{group}: added {len(names)}")
    trainees = {p.username: p.full_name for p in roster.people if p.role == "trainee"}
    url = course_gradebook_url(
        settings.get("courses.gradebook_url"), name, courses_dir(settings.state_dir) / name
    )
    named = name_students(url, name, trainees, replace=True)
    click.echo(f"gradebook of {name}: names of {len(named)} trainees recorded")


@course.command("grades")
@settings_option
@click.argument("name")
@click.option("--out", "out", type=click.Path(dir_okay=False), required=True, help="CSV file.")
def grades(settings_file: str | None, name: str, out: str) -> None:
    """Export the grades of course NAME from its gradebook as CSV."""
    settings = load(settings_file)
    check_course_name(name)
    folder = courses_dir(settings.state_dir) / name
    if not folder.is_dir():
        raise CourseError(f"course {name} does not exist (no folder {folder})")
    url = course_gradebook_url(settings.get("courses.gradebook_url"), name, folder)
    count = export_grades(url, name, Path(out))
    click.echo(f"wrote {count} rows to {out}")


@course.command("install")
@settings_option
@click.argument("name")
@click.argument("modules", nargs=-1, required=True)
@click.option(
    "--modules-dir",
    type=click.Path(file_okay=False, exists=True),
    help="Folder of course modules (default: courses/ of this checkout).",
)
@click.option("--force", is_flag=True, help="Replace edited sources and release a new version.")
def install(
    settings_file: str | None,
    name: str,
    modules: tuple[str, ...],
    modules_dir: str | None,
    force: bool,
) -> None:
    """Install course MODULES (e.g. m0-foundations m3-scanner-cpi) into course NAME.

    Copies each module's assignments into the course, generates the trainees' versions with
    nbgrader (solutions and hidden tests removed), records them in the gradebook and releases
    them, so trainees can fetch them at once. Publishes the modules' lessons, which every
    member of the course finds in ~/lessons/NAME. Running it again changes nothing.
    """
    from ..exchange.modules import install_modules

    settings = load(settings_file)
    check_course_name(name)
    source_dir = Path(modules_dir) if modules_dir else project_root() / "courses"
    for line in install_modules(
        settings.state_dir, name, modules, source_dir, settings.get("courses.gradebook_url"), force
    ):
        click.echo(line)
