"""`migrantsp check` and `migrantsp schema`."""

from __future__ import annotations

import json
from collections import Counter
from enum import StrEnum
from pathlib import Path

import typer
from pydantic import BaseModel
from rich.table import Table

from migrantsp.cli.app import KnowledgeOption, app, err, handled, out
from migrantsp.knowledge.base import load_knowledge
from migrantsp.knowledge.stats import fact_stats


@app.command()
@handled
def check(
    stats: bool = typer.Option(False, "--stats", help="Also print facts by confidence and by country."),
    knowledge_dir: Path | None = KnowledgeOption,
) -> None:
    """Validate every knowledge-base file; list every problem with file, line and field path (exit 2)."""
    kb, problems = load_knowledge(knowledge_dir.resolve() if knowledge_dir else None)
    if problems:
        for p in problems:
            err.print(str(p), markup=False)
        err.print(f"{len(problems)} problem(s) in the knowledge base.", markup=False)
        raise typer.Exit(2)
    n_params = len(kb.parameters)
    out.print(
        f"knowledge base {kb.version}: {len(kb.countries)} countries, {len(kb.sources)} sources, "
        f"{n_params} parameters; no problems.",
        markup=False,
    )
    if stats:
        s = fact_stats(kb)
        table = Table(title="Facts by confidence", title_justify="left")
        table.add_column("country")
        for c in s.confidences:
            table.add_column(c, justify="right")
        table.add_column("total", justify="right")
        for country, counts in s.by_country.items():
            table.add_row(country, *(str(counts[c]) for c in s.confidences), str(sum(counts.values())))
        total: Counter[str] = s.total
        table.add_row(
            "all",
            *(f"{total[c]} ({s.share(c):.0%})" for c in s.confidences),
            str(sum(total.values())),
            style="bold",
        )
        out.print(table)


class SchemaName(StrEnum):
    atlas = "atlas"
    career = "career"
    entitlements = "entitlements"
    scenario = "scenario"
    country = "country"
    parameter = "parameter"


@app.command()
@handled
def schema(name: SchemaName = typer.Argument(..., help="Which format.")) -> None:
    """Print the JSON Schema of a public file format."""
    from migrantsp.atlas import AtlasCell
    from migrantsp.career import Career
    from migrantsp.knowledge.schema import CountryFile, ParameterFile
    from migrantsp.results import EntitlementsOut
    from migrantsp.scenarios.model import Scenario

    models: dict[SchemaName, type[BaseModel]] = {
        SchemaName.atlas: AtlasCell,
        SchemaName.career: Career,
        SchemaName.entitlements: EntitlementsOut,
        SchemaName.scenario: Scenario,
        SchemaName.country: CountryFile,
        SchemaName.parameter: ParameterFile,
    }
    model = models[name]
    doc = model.model_json_schema(by_alias=True)
    if name is SchemaName.atlas:
        doc = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "migrantsp atlas",
            "type": "array",
            "items": doc,
        }
    out.print(json.dumps(doc, indent=2), markup=False)
