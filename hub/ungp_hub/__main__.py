"""`python -m ungp_hub` is the `ungp` command."""

from .cli.main import main

main()
