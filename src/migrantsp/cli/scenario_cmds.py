"""`migrantsp scenarios`: the built-in policy scenarios, and `migrantsp scenario ID` to print one."""

from __future__ import annotations

import json

import typer
from rich.table import Table

from migrantsp.cli.app import app, handled, out
from migrantsp.scenarios.apply import builtin, dump, load_scenario


@app.command("scenarios")
@handled
def scenarios_cmd(json_: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """Built-in scenarios: an instrument plus parameter and coverage patches over a baseline."""
    items = list(builtin().values())
    if json_:
        out.print(
            json.dumps([s.model_dump(mode="json", by_alias=True) for s in items], indent=2), markup=False
        )
        return
    table = Table(
        title="Scenarios (use with migrantsp simulate --scenario ID, or a YAML file)", title_justify="left"
    )
    for col in ("id", "title", "baseline", "instrument", "patches"):
        table.add_column(col, overflow="fold")
    for s in items:
        patches = [
            f"lift {p.country} {', '.join(p.sectors) or 'exclusions'} from {p.from_}"
            for p in s.lift_exclusions
        ]
        patches += [
            f"{k} = {', '.join(f'{v} from {d}' for d, v in vals.items())}" for k, vals in s.parameters.items()
        ]
        instrument = s.instrument if isinstance(s.instrument, str) else "inline" if s.instrument else "—"
        table.add_row(s.id, s.title, s.baseline or "—", instrument, "\n".join(patches) or "—")
    out.print(table)


@app.command("scenario")
@handled
def scenario_cmd(spec: str = typer.Argument(..., help="Scenario id or YAML file.")) -> None:
    """Print a scenario as YAML (a starting point for your own)."""
    out.print(dump(load_scenario(spec)), markup=False, end="")
