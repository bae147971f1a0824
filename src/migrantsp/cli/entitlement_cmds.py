"""`migrantsp entitlements CAREER`: what each country owes a worker, and why."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer
from rich.table import Table

from migrantsp.api import as_career, run
from migrantsp.cli.app import KnowledgeOption, app, handled, load, out
from migrantsp.results import amount_text, entitlements_json, explain


class Format(StrEnum):
    json = "json"
    table = "table"


@app.command("entitlements")
@handled
def entitlements_cmd(
    career: Path = typer.Argument(..., help="Career file (YAML or JSON), see docs/entitlements.md."),
    format: Format = typer.Option(Format.table, "--format", "-f", help="json (contract) or table."),
    explain_: bool = typer.Option(False, "--explain", help="Print the step-by-step explanation."),
    instrument: str | None = typer.Option(
        None, "--instrument", "-i", help="Coordination instrument (overrides the career's)."
    ),
    knowledge_dir: Path | None = KnowledgeOption,
) -> None:
    """What each country owes this person, branch by branch, with the reasons and their sources."""
    c = as_career(career)
    kb = load(knowledge_dir)
    res = run(c, kb, instrument=instrument)
    if explain_:
        out.print(explain(res, 0), markup=False)
        return
    doc = entitlements_json(res, 0)
    if format is Format.json:
        out.print(json.dumps(doc, indent=2, ensure_ascii=False), markup=False)
        return
    table = Table(
        title=f"Entitlements on {doc['evaluation_date']} (instrument: {doc['instrument']})",
        title_justify="left",
    )
    for col in ("country", "branch", "status", "insured", "credited", "benefit", "abroad", "why"):
        table.add_column(col, overflow="fold")
    for row in doc["entitlements"]:
        b = row["benefit"]
        benefit = ""
        if b:
            amount = amount_text(b)
            benefit = f"{b['kind'].replace('_', ' ')} {amount}"
        why = row["reasons"][-1]["message"] if row["reasons"] else ""
        table.add_row(
            row["country"],
            row["branch"],
            row["status"].replace("_", " "),
            str(row["insured_months"]),
            str(row["credited_months"]),
            benefit,
            "yes" if b and b["payable_abroad"] else "",
            why,
        )
    out.print(table)
