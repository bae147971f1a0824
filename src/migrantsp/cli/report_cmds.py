"""Report and web app commands: `report --out DIR` and `serve --host --port`."""

from __future__ import annotations

import os
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path

import typer

from migrantsp.cli.app import KnowledgeOption, app, handled, load, out


@app.command("report")
@handled
def report_cmd(
    out_dir: Path = typer.Option(
        ..., "--out", "-o", help="Folder to write index.html and the CSV files to.", file_okay=False
    ),
    at: datetime | None = typer.Option(
        None, "--at", formats=["%Y-%m-%d"], help="Date the facts are read on (YYYY-MM-DD); default: today."
    ),
    examples: Path = typer.Option(
        Path("examples"), "--examples", help="Folder of career files for the worked cases.", file_okay=False
    ),
    size: int = typer.Option(
        200_000, "--size", "-n", help="Simulated workers for the corridors and scenarios sections."
    ),
    seed: int = typer.Option(
        0, "--seed", help="Random seed of the simulation: the same seed, the same report."
    ),
    scenario: list[str] = typer.Option(
        ["none", "asean-c157", "lift-tha-agriculture"],
        "--scenario",
        "-s",
        help="Scenario to compare (repeatable; see `migrantsp scenarios`); none is always run (baseline).",
    ),
    scope: str = typer.Option(
        "world", "--scope", help="world (every ASEAN-born migrant) or asean (intra-ASEAN corridors only)."
    ),
    knowledge_dir: Path | None = KnowledgeOption,
) -> None:
    """The regional report: one self-contained offline HTML file, and the data of every table as CSV.

    The corridors and scenarios sections run the simulation (old age) when the report is built."""
    from migrantsp.problems import InvalidInput, Problem
    from migrantsp.report import build_report  # Jinja2 and plotly load only for this command
    from migrantsp.report.simulation import SimOptions

    if scope not in ("world", "asean"):
        raise InvalidInput([Problem("--scope", None, "", f"{scope!r}: use world or asean")])
    kb = load(knowledge_dir)
    if not examples.is_dir():
        out.print(f"note: no folder {examples}: the report will have no worked cases", markup=False)
    options = SimOptions(size=size, seed=seed, scenarios=tuple(scenario), scope=scope)
    written = build_report(out_dir, kb, at.date() if at else date.today(), examples, options)
    for path in written:
        out.print(str(path), markup=False)


class LogLevel(StrEnum):
    critical = "critical"
    error = "error"
    warning = "warning"
    info = "info"
    debug = "debug"


@app.command("serve")
@handled
def serve_cmd(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    workers: int | None = typer.Option(
        None,
        "--workers",
        min=0,
        help="Engine processes for the entitlements API (default: one per core; 0: answer in the server).",
    ),
    log_level: LogLevel = typer.Option(LogLevel.info, "--log-level", help="uvicorn's log level."),
    knowledge_dir: Path | None = KnowledgeOption,
) -> None:
    """The web app (atlas, gaps, countries, sources, calculator) and the JSON API (/openapi.json)."""
    import uvicorn

    from migrantsp.web import create_app

    processes = (os.cpu_count() or 1) if workers is None else workers
    app = create_app(load(knowledge_dir), processes=processes)
    out.print(
        f"serving on http://{host}:{port}  (API: http://{host}:{port}/docs; Ctrl-C stops)", markup=False
    )
    uvicorn.run(app, host=host, port=port, log_level=log_level.value)
