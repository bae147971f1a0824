"""`python -m migrantsp` is the `migrantsp` command."""

from migrantsp.cli.main import main

main()
