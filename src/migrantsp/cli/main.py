"""Entry point: import every command module so it registers on the app."""

from __future__ import annotations

from migrantsp.cli import (  # noqa: F401  (registration by import)
    atlas_cmds,
    check_cmds,
    coordination_cmds,
    entitlement_cmds,
    report_cmds,
    scenario_cmds,
    simulate_cmds,
)
from migrantsp.cli.app import app


def main() -> None:
    app()


if __name__ == "__main__":
    main()
