"""Atlas commands: `atlas`, `country`, `sources`, `findings`, `parameter`."""

from __future__ import annotations

import json
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.table import Table
from rich.text import Text

from migrantsp.atlas import AtlasCell, atlas, atlas_cell, flat_row, to_csv, to_markdown
from migrantsp.cli.app import KnowledgeOption, app, handled, load, out
from migrantsp.domain import ASEAN, BRANCH_LABELS, BRANCHES, Branch, Confidence, Coverage
from migrantsp.knowledge.base import status_at
from migrantsp.knowledge.parameters import NoValueAtDate, ParameterNotFound
from migrantsp.problems import InvalidInput, Problem


class AtlasFormat(StrEnum):
    matrix = "matrix"
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


STYLE = {
    Coverage.mandatory: ("M", "bold black on green"),
    Coverage.voluntary: ("V", "bold black on yellow"),
    Coverage.excluded: ("X", "bold white on red"),
    Coverage.no_scheme: ("-", "white on grey30"),
}
MARK = {Confidence.primary: " ", Confidence.secondary: "*", Confidence.unverified: "?"}

AtOption = typer.Option(
    None, "--at", formats=["%Y-%m-%d"], help="Date the facts are read on (YYYY-MM-DD); default: today."
)


def _country(code: str) -> str:
    code = code.upper()
    if code not in ASEAN:
        raise InvalidInput(
            [
                Problem(
                    "command line",
                    None,
                    "COUNTRY",
                    f"{code!r} is not a member state; use one of {', '.join(ASEAN)}",
                )
            ]
        )
    return code


def _matrix(cells: list[AtlasCell], when: date) -> Table:
    table = Table(title=f"Coverage of foreign (migrant) workers, {when}", title_justify="left")
    table.add_column("country")
    for b in BRANCHES:
        table.add_column(BRANCH_LABELS[b].replace(" ", "\n"), justify="center")
    by_country: dict[str, list[AtlasCell]] = {}
    for c in cells:
        by_country.setdefault(c.country, []).append(c)
    for code, row in by_country.items():
        texts = []
        for c in row:
            letter, style = STYLE[c.foreign_workers]
            texts.append(Text(f" {letter}{MARK[c.confidence]}", style=style))
        table.add_row(f"{code} {ASEAN[code][0]}", *texts)
    return table


LEGEND = (
    "M mandatory · V voluntary · X excluded · - no scheme;  * secondary source only · ? unverified.  "
    "Details: migrantsp country THA, or --format table|json|csv|markdown."
)


@app.command("atlas")
@handled
def atlas_cmd(
    format: AtlasFormat = typer.Option(AtlasFormat.matrix, "--format", "-f", help="Output format."),
    at: datetime | None = AtOption,
    country: list[str] = typer.Option([], "--country", "-c", help="Only these member states (repeatable)."),
    branch: list[Branch] = typer.Option([], "--branch", "-b", help="Only these branches (repeatable)."),
    knowledge_dir: Path | None = KnowledgeOption,
) -> None:
    """The atlas: how each member state's schemes treat migrant workers, branch by branch (90 cells)."""
    kb = load(knowledge_dir)
    when = at.date() if at else date.today()
    cells = atlas(kb, when, [_country(c) for c in country] or None, list(branch) or None)
    if format is AtlasFormat.json:
        out.print(
            json.dumps(
                [c.model_dump(mode="json", by_alias=True) for c in cells], indent=2, ensure_ascii=False
            ),
            markup=False,
        )
    elif format is AtlasFormat.csv:
        out.print(to_csv(cells), end="", markup=False)
    elif format is AtlasFormat.markdown:
        out.print(to_markdown(cells), end="", markup=False)
    elif format is AtlasFormat.table:
        table = Table(title=f"Atlas on {when}", title_justify="left", show_lines=True)
        for col in (
            "country",
            "branch",
            "foreign_workers",
            "nationals_abroad",
            "schemes",
            "export",
            "lump_sum_on_departure",
            "exclusions",
            "confidence",
            "sources",
        ):
            table.add_column(col.replace("_", " "))
        for c in cells:
            r = flat_row(c)
            table.add_row(
                r["country"],
                r["branch"],
                r["foreign_workers"],
                r["nationals_abroad"],
                r["schemes"],
                r["export"],
                r["lump_sum_on_departure"],
                r["exclusions"],
                r["confidence"],
                r["sources"],
            )
        out.print(table)
    else:
        out.print(_matrix(cells, when))
        out.print(LEGEND, markup=False)


@app.command("country")
@handled
def country_cmd(
    code: str = typer.Argument(..., metavar="COUNTRY", help="ISO 3166-1 alpha-3 code, e.g. THA."),
    at: datetime | None = AtOption,
    format: AtlasFormat = typer.Option(AtlasFormat.table, "--format", "-f", help="table, json or markdown."),
    knowledge_dir: Path | None = KnowledgeOption,
) -> None:
    """A country profile: schemes, legal basis, and every branch as it applies to migrant workers."""
    kb = load(knowledge_dir)
    code = _country(code)
    when = at.date() if at else date.today()
    cf = kb.countries[code]
    cells = [atlas_cell(kb, code, b, when) for b in BRANCHES]
    if format is AtlasFormat.json:
        doc = {
            "country": code,
            "name": cf.name,
            "currency": cf.currency,
            "as_of": cf.as_of.isoformat(),
            "schemes": {k: s.model_dump(mode="json", by_alias=True) for k, s in cf.schemes.items()},
            "branches": [c.model_dump(mode="json", by_alias=True) for c in cells],
        }
        out.print(json.dumps(doc, indent=2, ensure_ascii=False), markup=False)
        return
    if format in (AtlasFormat.markdown, AtlasFormat.csv):
        out.print(
            to_markdown(cells) if format is AtlasFormat.markdown else to_csv(cells), end="", markup=False
        )
        return
    out.print(
        f"[bold]{cf.name} ({code})[/bold] — facts reviewed {cf.as_of}, read on {when}; currency {cf.currency}"
    )
    schemes = Table(title="Schemes", title_justify="left")
    for col in ("id", "name", "institution", "type", "legal basis"):
        schemes.add_column(col)
    for sid, s in cf.schemes.items():
        schemes.add_row(
            sid,
            s.name,
            s.institution,
            s.type.value,
            "; ".join(f"{f.text} [{', '.join(f.sources)}]" for f in s.legal_basis),
        )
    out.print(schemes)
    for b in BRANCHES:
        cell, c = cf.branches[b], cells[BRANCHES.index(b)]
        letter, style = STYLE[c.foreign_workers]
        out.print(
            Text.assemble(
                (f" {letter} ", style),
                (f" {BRANCH_LABELS[b]}", "bold"),
                f"  foreign workers {c.foreign_workers.value}, nationals abroad "
                f"{c.nationals_abroad.value}, export {c.portability.export.value}, "
                f"lump sum on departure {c.portability.lump_sum_on_departure.value} "
                f"({c.confidence.value})",
            )
        )
        out.print(f"    {cell.summary}", markup=False)
        fw = status_at(cell.foreign_workers, when)
        if fw:
            out.print(f"    Foreign workers: {fw.text} [{', '.join(fw.sources)}]", markup=False)
        for e in c.exclusions:
            out.print(f"    Excluded ({e.kind.value}): {e.text} [{', '.join(e.sources)}]", markup=False)
        for f in cell.conditions:
            mark = MARK[f.confidence].strip()
            out.print(f"    · {f.text} [{', '.join(f.sources)}]{mark}", markup=False)
        history = [f for f in cell.foreign_workers if f is not fw]
        for f in history:
            out.print(f"    history: from {f.from_}: {f.status.value} — {f.text}", markup=False)


@app.command("sources")
@handled
def sources_cmd(
    format: AtlasFormat = typer.Option(
        AtlasFormat.table, "--format", "-f", help="table, json, csv or markdown."
    ),
    kind: str | None = typer.Option(None, "--kind", help="Only sources of this kind (law, agency, ...)."),
    knowledge_dir: Path | None = KnowledgeOption,
) -> None:
    """The source registry: every document the knowledge base cites."""
    kb = load(knowledge_dir)
    rows = [
        {"id": sid, **s.model_dump(mode="json")}
        for sid, s in sorted(kb.sources.items())
        if kind is None or s.kind.value == kind
    ]
    cols = ["id", "title", "publisher", "date", "kind", "url", "note"]
    if format is AtlasFormat.json:
        out.print(json.dumps(rows, indent=2, ensure_ascii=False), markup=False)
    elif format is AtlasFormat.csv:
        import csv
        import io

        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=cols, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
        out.print(buf.getvalue(), end="", markup=False)
    elif format is AtlasFormat.markdown:
        out.print("| " + " | ".join(cols) + " |\n" + "|---" * len(cols) + "|", markup=False)
        for r in rows:
            out.print(
                "| " + " | ".join(str(r.get(c) or "").replace("|", "\\|") for c in cols) + " |", markup=False
            )
    else:
        table = Table(title=f"{len(rows)} sources", title_justify="left")
        for c in ("id", "title", "publisher", "date", "kind", "url"):
            table.add_column(c, overflow="fold")
        for r in rows:
            table.add_row(*(str(r.get(c) or "") for c in ("id", "title", "publisher", "date", "kind", "url")))
        out.print(table)


@app.command("findings")
@handled
def findings_cmd(
    format: AtlasFormat = typer.Option(AtlasFormat.table, "--format", "-f", help="table, json or markdown."),
    knowledge_dir: Path | None = KnowledgeOption,
) -> None:
    """The regional study's gap findings, the atlas cells that evidence them, their validation status."""
    kb = load(knowledge_dir)
    findings = kb.findings.findings if kb.findings else {}
    if format is AtlasFormat.json:
        doc = [{"id": gid, **f.model_dump(mode="json")} for gid, f in findings.items()]
        out.print(json.dumps(doc, indent=2, ensure_ascii=False), markup=False)
        return
    if format in (AtlasFormat.markdown, AtlasFormat.csv):
        out.print("| id | finding | evidence | status | sources |\n|---|---|---|---|---|", markup=False)
        for gid, f in findings.items():
            ev = "; ".join(f"{e.country} {e.branch.value}" for e in f.evidence)
            out.print(
                f"| {gid} | {f.title} | {ev} | {f.validation.status.value} | {', '.join(f.sources)} |",
                markup=False,
            )
        return
    table = Table(title="Findings to validate", title_justify="left", show_lines=True)
    for c in ("id", "finding", "evidence (atlas cells)", "status", "sources"):
        table.add_column(c)
    for gid, f in findings.items():
        ev = "\n".join(
            f"{e.country} {e.branch.value}" + (f": {e.note}" if e.note else "") for e in f.evidence
        )
        table.add_row(
            gid, f"[bold]{f.title}[/bold]\n{f.text}", ev, f.validation.status.value, ", ".join(f.sources)
        )
    out.print(table)


@app.command("parameter")
@handled
def parameter_cmd(
    path: str = typer.Argument(..., help="Dotted path, e.g. THA.ssf.old_age.qualifying_months, or a prefix."),
    at: datetime | None = AtOption,
    format: AtlasFormat = typer.Option(AtlasFormat.table, "--format", "-f", help="table or json."),
    knowledge_dir: Path | None = KnowledgeOption,
) -> None:
    """A parameter's value on a date, with its unit and source (a prefix lists every parameter under it)."""
    kb = load(knowledge_dir)
    when = at.date() if at else date.today()
    single = path in kb.parameters.parameters
    try:
        params = [kb.parameters[path]]
    except ParameterNotFound as exc:
        params = kb.parameters.under(path)
        if not params:
            raise InvalidInput([Problem("command line", None, "PATH", str(exc.args[0]))]) from None
    rows: list[dict[str, Any]] = []
    for p in params:
        try:
            value: float | None = p.value_at(when)
        except NoValueAtDate:
            value = None
        start = p.start_of(when)
        refs = p.references_at(when)
        rows.append(
            {
                "path": p.path,
                "value": value,
                "unit": p.unit,
                "from": start.isoformat() if start else None,
                "description": p.description,
                "sources": [
                    {
                        "source": r.source,
                        "title": kb.sources[r.source].title,
                        "section": r.section,
                        "confidence": r.confidence.value,
                    }
                    for r in refs
                ],
                "history": {
                    str(d.astype(date)): (None if v != v else v)
                    for d, v in zip(p.starts, p.values, strict=True)
                },
            }
        )
    if format is AtlasFormat.json:
        doc = rows[0] if single else rows
        out.print(json.dumps(doc, indent=2, ensure_ascii=False), markup=False)
        return
    for r in rows:
        val = "no value in force" if r["value"] is None else f"{r['value']:g} {r['unit']}"
        out.print(
            f"[bold]{r['path']}[/bold] on {when}: {val}" + (f" (since {r['from']})" if r["from"] else "")
        )
        out.print(f"  {r['description']}", markup=False)
        for s in r["sources"]:
            section = f", {s['section']}" if s["section"] else ""
            out.print(f"  source: {s['source']} — {s['title']}{section} ({s['confidence']})", markup=False)
