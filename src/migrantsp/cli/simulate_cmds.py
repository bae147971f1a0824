"""`migrantsp simulate`: a population calibrated on UN DESA stocks, evaluated under each scenario."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from migrantsp.cli.app import KnowledgeOption, app, err, handled, load, out
from migrantsp.population import assumptions as assume
from migrantsp.population.data import REVISIONS, Scope
from migrantsp.population.run import BUILD, Settings, Simulation, check_settings, simulate, summary
from migrantsp.problems import InvalidInput, Problem


class Format(StrEnum):
    table = "table"
    json = "json"


SHOWN = (
    "share_covered",
    "share_covered_in_destination",
    "share_entitled",
    "share_entitled_pension",
    "share_forfeiting",
    "share_of_insured_months_forfeited",
    "share_payable_abroad",
    "share_stranded",
)


def _run(settings: Settings, a: assume.Assumptions, knowledge_dir: Path | None) -> Simulation:
    kb = load(knowledge_dir)
    if not err.is_terminal:
        return simulate(settings, a, kb)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        tasks: dict[str, Any] = {}

        def step(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                label = "building population" if stage == BUILD else f"scenario {stage}"
                tasks[stage] = bar.add_task(label, total=total)
            bar.update(tasks[stage], completed=done)

        return simulate(settings, a, kb, progress=step)


def _table(doc: dict[str, Any]) -> None:
    p = doc["population"]
    out.print(
        f"{p['size']:,} simulated workers representing {p['represented_migrants']:,} migrants "
        f"({p['stock_revision']}, scope {p['scope']}, seed {p['seed']}); old age, evaluated on "
        f"{p['evaluation_date']}"
    )
    table = Table(title="Indicators (weighted shares of migrants)", title_justify="left")
    table.add_column("indicator")
    for sc in doc["scenarios"]:
        table.add_column(sc["id"], justify="right")
    for name in SHOWN:
        cells = [sc["indicators"][name] for sc in doc["scenarios"]]
        table.add_row(
            name.removeprefix("share_").replace("_", " "), *("—" if v is None else f"{v:.1%}" for v in cells)
        )
    pv = [sc["indicators"]["pv_old_age_usd"] for sc in doc["scenarios"]]
    table.add_row("old-age PV, USD million", *(f"{v / 1e6:,.0f}" for v in pv))
    out.print(table)
    for sc in doc["scenarios"]:
        d = sc.get("difference")
        if d:
            i = d["indicators"]
            out.print(
                f"{sc['id']} against {d['baseline']}: {i['workers_gaining_entitlement']:,} migrants gain an "
                f"old-age entitlement, {i['workers_losing_entitlement']:,} lose one; present value gained "
                f"USD {i['pv_gained_usd'] / 1e6:,.0f} m, lost USD {i['pv_lost_usd'] / 1e6:,.0f} m "
                f"(discount rate {doc['valuation']['discount_rate']:.1%}; "
                "currencies without a USD rate excluded)"
            )
    if len(doc["population"].get("branches", [])) > 1:
        b = Table(title="By branch (weighted shares covered / entitled)", title_justify="left")
        b.add_column("branch")
        for sc in doc["scenarios"]:
            b.add_column(sc["id"], justify="right")
        for j, row in enumerate(doc["scenarios"][0]["by_branch"]):
            b.add_row(
                row["branch"],
                *(f"{sc['by_branch'][j]['share_covered']:.1%} / {sc['by_branch'][j]['share_entitled']:.1%}"
                  for sc in doc["scenarios"]),
            )  # fmt: skip
        out.print(b)
    a = Table(title="Assumptions (override with --assume NAME=VALUE)", title_justify="left", show_lines=True)
    for col in ("name", "value", "unit", "rationale", "source"):
        a.add_column(col, overflow="fold")
    for x in doc["assumptions"]:
        value = json.dumps(x["value"]) + (" (overridden)" if x["overridden"] else "")
        a.add_row(x["name"], value, x["unit"], x["rationale"], x["source"] or "—")
    out.print(a)


@app.command("simulate")
@handled
def simulate_cmd(
    size: int = typer.Option(100_000, "--size", "-n", help="Number of simulated workers."),
    seed: int = typer.Option(0, "--seed", help="Random seed: the same seed gives the same output."),
    scenario: list[str] = typer.Option(
        ["none", "asean-c157"],
        "--scenario",
        "-s",
        help="Scenario (repeatable): instrument (none, asean-c157, bilateral:MYS-SGP) or scenario id/YAML.",
    ),
    revision: str = typer.Option("2020", "--revision", help=f"UN DESA IMS revision: {', '.join(REVISIONS)}."),
    year: int | None = typer.Option(None, "--year", help="Data year of the stock (default: the revision's)."),
    scope: Scope = typer.Option(
        Scope.world,
        "--scope",
        help="world (all ASEAN-born migrants, the default) or asean (intra-ASEAN only).",
    ),
    assume_: list[str] = typer.Option(
        [], "--assume", help="Override an assumption: NAME=VALUE (repeatable)."
    ),
    assumptions_file: Path | None = typer.Option(
        None, "--assumptions", help="YAML file of assumption values."
    ),
    format: Format = typer.Option(Format.table, "--format", "-f", help="table or json (contract section 6)."),
    out_dir: Path | None = typer.Option(
        None, "--out", help="Also write person-level Parquet and metadata here."
    ),
    workers: int | None = typer.Option(None, "--workers", help="Processes to use (default: every core)."),
    branch: list[str] = typer.Option(
        ["old_age"],
        "--branch",
        "-b",
        help="Branch to summarise (repeatable; 'all': the nine). Old age always.",
    ),
    baseline: str | None = typer.Option(
        None, "--baseline", help="Scenario the differences are taken from (default: the first)."
    ),
    backend: str = typer.Option(
        "local", "--backend", help="local (processes on this machine) or dask (dask.distributed)."
    ),
    scheduler: str | None = typer.Option(
        None, "--scheduler", help="dask scheduler ADDRESS (default with --backend dask: a LocalCluster here)."
    ),
    knowledge_dir: Path | None = KnowledgeOption,
) -> None:
    """Simulate migrant workers' rights corridor by corridor under each scenario (old age by default)."""
    problems: list[Problem] = []
    a = assume.defaults()
    try:
        changes = assume.read_file(assumptions_file) if assumptions_file else {}
        changes.update(assume.parse_assume(assume_))
        a = a.override(changes, "--assume" if assume_ else str(assumptions_file))
    except InvalidInput as exc:
        problems.extend(exc.problems)
    if out_dir is not None and out_dir.exists() and not out_dir.is_dir():
        problems.append(Problem("--out", None, "", f"{out_dir} exists and is not a directory"))
    if workers is not None and workers < 1:
        problems.append(Problem("--workers", None, "", f"{workers}: must be at least 1"))
    settings = Settings(
        size=size,
        seed=seed,
        scenarios=tuple(scenario),
        revision=revision,
        year=year,
        scope=scope,
        workers=workers,
        branches=tuple(branch),
        keep_persons=out_dir is not None,  # person-level files need the persons; otherwise totals only
        backend=backend,
        scheduler=scheduler,
        baseline=baseline,
    )
    if scheduler is not None and backend != "dask":
        problems.append(Problem("--scheduler", None, "", "only with --backend dask"))
    try:
        check_settings(settings, load(knowledge_dir), a)
    except InvalidInput as exc:
        problems.extend(exc.problems)
    if problems:
        raise InvalidInput(problems)
    sim = _run(settings, a, knowledge_dir)
    if out_dir is not None:
        from migrantsp.population.output import write  # polars only when writing

        doc = write(sim, out_dir, command=["migrantsp", *sys.argv[1:]])
        keys = ("population", "scenarios", "valuation", "assumptions", "knowledge_version", "data")
        doc = {k: doc[k] for k in keys}
    else:
        doc = summary(sim)
    if format is Format.json:
        out.print(json.dumps(doc, indent=2, ensure_ascii=False), markup=False)
    else:
        _table(doc)
        if out_dir is not None:
            out.print(f"Wrote population, spells, results (Parquet) and metadata.json to {out_dir}")
