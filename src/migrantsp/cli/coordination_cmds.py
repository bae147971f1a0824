"""`migrantsp instruments` and `migrantsp compare CAREER --instrument A --instrument B`."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from migrantsp.api import as_career, run
from migrantsp.cli.app import KnowledgeOption, app, handled, load, out
from migrantsp.coordination.instruments import builtin
from migrantsp.results import amount_text, entitlement_rows, explain


class Format(StrEnum):
    table = "table"
    json = "json"


@app.command("instruments")
@handled
def instruments_cmd(
    format: Format = typer.Option(Format.table, "--format", "-f", help="table or json."),
    knowledge_dir: Path | None = KnowledgeOption,
) -> None:
    """The built-in coordination instruments, with their provisions and sources (bilateral:AAA-BBB too)."""
    kb = load(knowledge_dir)
    items = list(builtin(kb).values())
    if format is Format.json:
        out.print(json.dumps([i.model_dump(mode="json") for i in items], indent=2), markup=False)
        return
    table = Table(title="Coordination instruments (also: bilateral:AAA-BBB, or inline in a career)",
                  title_justify="left", show_lines=True)  # fmt: skip
    for col in ("id", "parties", "branches", "method", "provisions", "sources"):
        table.add_column(col, overflow="fold")
    for i in items:
        parties = "all ten member states" if i.parties == "all" else ", ".join(i.parties)
        provisions = "; ".join(p for p in (
            "higher-of (Art. 52(3))" if i.higher_of_independent and i.branches else "",
            f"periods < {i.short_period_months} months (Art. 57)" if i.short_period_months else "",
            "maximum period (Art. 56)" if i.max_period_rule else "",
            "residence supplement (Art. 58)" if i.residence_supplement else "",
            "export" if i.export else "",
            "equality of treatment" if i.equality_of_treatment else "",
            f"posting {i.posting_months} months" if i.posting_months else "",
            "hypothetical" if i.hypothetical else f"in force {i.in_force}" if i.in_force else "",
        ) if p)  # fmt: skip
        table.add_row(i.id, parties, ", ".join(b.value for b in i.branches) or "—", i.method.value,
                      provisions or "—", ", ".join(i.sources[:4]))  # fmt: skip
    out.print(table)


def _key(row: dict[str, Any]) -> tuple[str, str]:
    return row["country"], row["branch"]


def _describe(row: dict[str, Any]) -> str:
    b = row["benefit"]
    if b is None:
        return str(row["status"]).replace("_", " ")
    return f"{b['kind'].replace('_', ' ')} {amount_text(b)}" + (
        " (payable abroad)" if b["payable_abroad"] else ""
    )


@app.command("compare")
@handled
def compare_cmd(
    career: Path = typer.Argument(..., help="Career file (YAML or JSON)."),
    instrument: list[str] = typer.Option(
        ["none", "asean-c157"],
        "--instrument",
        "-i",
        help="Instruments to compare (repeatable; the first is the baseline).",
    ),
    format: Format = typer.Option(Format.table, "--format", "-f", help="table or json."),
    explain_: bool = typer.Option(
        False, "--explain", help="Every step of each instrument, with its legal basis."
    ),
    knowledge_dir: Path | None = KnowledgeOption,
) -> None:
    """What changes for this person under each instrument: months that now count, amounts, export."""
    c = as_career(career)
    kb = load(knowledge_dir)
    runs = {}
    for spec in instrument:
        res = run(c, kb, instrument=spec)
        runs[res.instrument] = (res, entitlement_rows(res, 0))
    ids = list(runs)
    base = {_key(r): r for r in runs[ids[0]][1]}
    if format is Format.json:
        doc = {"evaluation_date": c.evaluation_date.isoformat(), "instruments": ids,
               "rows": [{"country": k[0], "branch": k[1],
                         **{i: {f: r[f] for f in ("status", "insured_months", "credited_months", "benefit")}
                            for i in ids for r in runs[i][1] if _key(r) == k}}
                        for k in base]}  # fmt: skip
        out.print(json.dumps(doc, indent=2, ensure_ascii=False), markup=False)
        return
    if explain_:
        for i in ids:
            out.print(f"[bold]== {i} ==[/bold]")
            out.print(explain(runs[i][0], 0), markup=False)
        return
    table = Table(title=f"Compared on {c.evaluation_date}: {' vs '.join(ids)}", title_justify="left")
    table.add_column("country")
    table.add_column("branch")
    for i in ids:
        table.add_column(i, overflow="fold")
    table.add_column("what changes", overflow="fold")
    for k, row in base.items():
        others = [next(r for r in runs[i][1] if _key(r) == k) for i in ids]
        cells = [f"{_describe(r)}\n{r['credited_months']} months credited" for r in others]
        changes = []
        for i, r in zip(ids[1:], others[1:], strict=True):
            if r["credited_months"] != row["credited_months"]:
                changes.append(f"{i}: {r['credited_months'] - row['credited_months']:+d} months now count")
            a = (row["benefit"] or {}).get("amount") or 0.0
            b = (r["benefit"] or {}).get("amount") or 0.0
            if r["status"] != row["status"] or abs(b - a) > 0.005:
                changes.append(f"{i}: {_describe(row)} → {_describe(r)}")
            if (r["benefit"] or {}).get("payable_abroad") and not (row["benefit"] or {}).get(
                "payable_abroad"
            ):
                changes.append(f"{i}: now payable abroad")
        if changes:
            table.add_row(k[0], k[1], *cells, "\n".join(changes))
    if not table.row_count:
        out.print("No difference between the instruments for this career.")
        return
    out.print(table)
