"""Entry point of the ``ungp`` command: ``ungp <noun> <verb>``.

Exit codes: 0 done, 1 failed (the message says what happened and what to do), 2 usage.

Each noun's module is imported only when that noun runs (click's "lazily loading
subcommands" pattern), so `ungp --help` works, and fast, wherever the core package is
installed: in a user container (no Docker SDK), or from a plain `pip install ungp-hub` (no
extras). A command that needs what is not installed here says so instead of a traceback.
"""

from __future__ import annotations

import importlib
import os
import sys
from dataclasses import dataclass

import click

from .errors import NotHere, is_user_error, missing_extra

# Set by the user image (images/user/Dockerfile).
USER_IMAGE_ENV = "UNGP_USER_IMAGE"


@dataclass(frozen=True)
class Noun:
    target: str  # "module:attribute" of the click command
    summary: str  # its line in `ungp --help` (shown without importing the module)
    host_only: bool | frozenset[str] = False  # True: every verb; a set: only these verbs


# Every command of `ungp`, in the order of `ungp --help`. Add a noun here and nowhere else.
COMMANDS: dict[str, Noun] = {
    "catalog": Noun(
        "ungp_catalogs.cli:catalog", "Build, validate, list and show the data catalogues."
    ),
    "cert": Noun(
        "ungp_hub.cli.cert:cert",
        "Verify certificates; list, search, revoke and export them on the hub host.",
        host_only=frozenset({"list", "search", "revoke", "rotate-key", "export"}),
    ),
    "course": Noun(
        "ungp_hub.cli.course:course",
        "Manage nbgrader courses: create, enrol, install, grades.",
        host_only=True,
    ),
    "dashboards": Noun(
        "ungp_hub.cli.dashboards:dashboards", "Publish notebooks as Voila dashboards, list them."
    ),
    "grade": Noun(
        "ungp_hub.cli.grade:grade",
        "Autograde every submission in sandboxes, in parallel.",
        host_only=True,
    ),
    "hub": Noun("ungp_hub.cli.hub:hub", "Run the hub.", host_only=True),
    "images": Noun(
        "ungp_hub.cli.images:images", "Build the container images the hub runs.", host_only=True
    ),
    "results": Noun(
        "ungp_hub.cli.usb:results", "Bring a workshop's results back from the kit.", host_only=True
    ),
    "settings": Noun(
        "ungp_hub.cli.settings:settings", "Check the site settings file and print its reference."
    ),
    "usb": Noun(
        "ungp_hub.cli.usb:usb",
        "The offline workshop kit (a USB stick that installs a hub).",
        host_only=True,
    ),
    "users": Noun(
        "ungp_hub.cli.users:users", "Manage hub accounts (import a roster).", host_only=True
    ),
}


def in_user_image() -> bool:
    return os.environ.get(USER_IMAGE_ENV) == "1"


def _refusal(path: str, reason: ModuleNotFoundError | None = None) -> NotHere:
    if in_user_image():
        return NotHere(
            f"`{path}` runs on the hub host, not in a user container; ask a hub admin "
            "to run it there"
        )
    extra = missing_extra(reason) if reason else None
    return NotHere(
        f"`{path}` needs ungp-hub's '{extra}' extra ({reason}); install it with "
        f"pip install 'ungp-hub[{extra}]'"
    )


class UngpGroup(click.Group):
    """Loads nouns from COMMANDS on demand and turns the errors meant for people into a
    message on stderr and exit code 1."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        noun = COMMANDS.get(name)
        if noun is None:
            return None
        module_name, _, attribute = noun.target.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if missing_extra(error) is None:
                raise
            raise _refusal(f"ungp {name}", error) from None
        return getattr(module, attribute)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, noun.summary) for name, noun in COMMANDS.items()])

    def resolve_command(self, ctx: click.Context, args: list[str]):
        name, command, rest = super().resolve_command(ctx, args)
        if command is None or name not in COMMANDS:  # shell completion's resilient parsing
            return name, command, rest
        verb = rest[0] if rest and isinstance(command, click.Group) else None
        if verb not in (command.list_commands(ctx) if verb else ()):
            verb = None
        path = " ".join(filter(None, ("ungp", name, verb)))
        ctx.meta["ungp.command"] = path
        host_only = COMMANDS[name].host_only
        if host_only is True or (verb and host_only and verb in host_only):
            asks_help = any(arg in ("--help", "-h") for arg in rest)
            if in_user_image() and not asks_help:
                raise _refusal(path)
        return name, command, rest

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ModuleNotFoundError as error:
            if missing_extra(error) is None:
                raise
            report(_refusal(ctx.meta.get("ungp.command", "ungp"), error))
        except Exception as error:
            if not is_user_error(error):
                raise
            report(error)


def report(error: BaseException) -> None:
    click.secho(f"error: {error}", fg="red", err=True)
    sys.exit(1)


@click.group(cls=UngpGroup, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Run and administer an ungp-hub training hub.

    Settings come from the file named by --settings on each command, the UNGP_SETTINGS
    environment variable, /etc/ungp-hub/settings.yaml, or, in a checkout where `make up` has
    run, settings/demo.yaml (the file is named on stderr).
    """


if __name__ == "__main__":
    main()
