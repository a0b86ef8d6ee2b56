"""Entry point of the ``ungp`` command: ``ungp <noun> <verb>``.

Exit codes: 0 done, 1 failed (the message says what happened and what to do), 2 usage.
"""

from __future__ import annotations

import sys

import click
from ungp_catalogs.cli import catalog

from .cert import cert  # ungp_credentials' verify plus the admin commands
from .course import course
from .dashboards import dashboards
from .errors import USER_ERRORS
from .grade import grade
from .hub import hub
from .images import images
from .settings import settings
from .usb import results, usb
from .users import users


class UngpGroup(click.Group):
    """Turns the errors meant for people into a message on stderr and exit code 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except USER_ERRORS as error:
            click.secho(f"error: {error}", fg="red", err=True)
            sys.exit(1)


@click.group(cls=UngpGroup, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Run and administer an ungp-hub training hub.

    Settings come from the file named by --settings on each command, the UNGP_SETTINGS
    environment variable, or /etc/ungp-hub/settings.yaml.
    """


main.add_command(catalog)
main.add_command(cert)
main.add_command(hub)
main.add_command(images)
main.add_command(settings)
main.add_command(users)
main.add_command(course)
main.add_command(dashboards)
main.add_command(grade)
main.add_command(usb)
main.add_command(results)


if __name__ == "__main__":
    main()
