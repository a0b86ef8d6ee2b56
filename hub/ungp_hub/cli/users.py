"""``ungp users``: import a roster with generated passwords and printable login slips."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..accounts.hub_api import HubAPI
from ..accounts.roster import Roster
from .options import load, settings_option


@click.group()
def users() -> None:
    """Manage hub accounts."""


@users.command("import")
@settings_option
@click.argument("roster_csv", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--slips",
    type=click.Path(dir_okay=False),
    help="Where to write the PDF of login slips (default: next to the roster).",
)
@click.option("--hub-url", help="Address printed on the slips (default: the bind URL).")
def import_(settings_file: str | None, roster_csv: str, slips: str | None, hub_url: str | None):
    """Create the accounts of ROSTER_CSV: all of them, or none if any row is wrong.

    Columns: username, role (trainee|analyst|instructor|admin), and optionally full_name,
    email, course. Passwords are generated and printed on the slips only.
    """
    from ..accounts.importer import import_roster
    from ..accounts.private import write_private
    from ..accounts.slips import write_login_slips

    settings = load(settings_file)
    source = Path(roster_csv)
    roster = Roster.read(source)
    db_url = settings.get("hub.database_url") or f"sqlite:///{settings.state_dir}/jupyterhub.sqlite"
    result = import_roster(roster, HubAPI.from_settings(settings), db_url, str(source))
    slips_path = Path(slips) if slips else source.with_suffix(".slips.pdf")
    write_login_slips(
        roster.people, result.passwords, hub_url or settings.get("hub.bind_url"), slips_path
    )
    passwords_path = slips_path.with_suffix(".json")
    write_private(passwords_path, json.dumps(result.passwords, indent=2).encode())
    click.echo(f"imported {len(roster.people)} accounts; login slips: {slips_path}")
    _name_in_gradebooks(settings, roster)
    click.echo(f"passwords (keep private, mode 0600): {passwords_path}")


def _name_in_gradebooks(settings, roster: Roster) -> None:  # noqa: ANN001 - a Settings
    """Trainees of a roster row's course get their names in that course's gradebook (the
    formgrader's lists), if the course exists; else `ungp course enrol` does it later."""
    from ..courses.folders import courses_dir, gradebook_url
    from ..courses.gradebook_names import name_students

    by_course: dict[str, dict[str, str]] = {}
    for person in roster.people:
        if person.role == "trainee" and person.course:
            by_course.setdefault(person.course, {})[person.username] = person.full_name
    for course, names in sorted(by_course.items()):
        folder = courses_dir(settings.state_dir) / course
        if folder.is_dir():
            url = gradebook_url(settings.get("courses.gradebook_url"), course, folder)
            named = name_students(url, course, names, replace=True)
            click.echo(f"gradebook of {course}: names of {len(named)} trainees recorded")
