"""Entry point of the ``ungp`` command: ``ungp <noun> <verb>``."""

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Run and administer an ungp-hub training hub."""
