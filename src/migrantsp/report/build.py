"""`migrantsp report --out DIR`: render index.html from the package's templates, write the CSV beside it."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, ChoiceLoader, Environment, PackageLoader, StrictUndefined, select_autoescape

from migrantsp import __version__
from migrantsp.domain import ASEAN, BRANCH_LABELS, BRANCHES
from migrantsp.knowledge.base import Knowledge, knowledge
from migrantsp.report import charts, simulation, views
from migrantsp.report.cases import Case, load_cases
from migrantsp.report.compare import CASES_CSV, csv_rows
from migrantsp.report.simulation import SimOptions

SCHEMES_CSV = ["country", "id", "name", "institution", "type", "legal_basis", "sources"]


def environment(*loaders: BaseLoader) -> Environment:
    """Jinja environment over `loaders` first (the web app's pages), then the report's templates."""
    env = Environment(
        loader=ChoiceLoader([*loaders, PackageLoader("migrantsp.report", "templates")]),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,  # a typo in a template fails the tests instead of printing nothing
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(ASEAN=ASEAN, BRANCHES=[b.value for b in BRANCHES], BRANCH_LABELS=BRANCH_LABELS)
    env.filters.update(pct=pct, pp=points, num=number)
    return env


def pct(x: float | None) -> str:
    """0.5324 -> '53.2 %'; a share the simulation leaves empty stays a dash."""
    return "—" if x is None else f"{100 * x:.1f} %"


def points(x: float | None) -> str:
    """A difference of shares in percentage points: 0.0123 -> '+1.2 points'."""
    return "—" if x is None else f"{100 * x:+.1f} points"


def number(x: float | int | None) -> str:
    return "—" if x is None else f"{x:,.0f}"


def common_context(
    kb: Knowledge, when: date, country_url: Callable[[str], str], source_url: Callable[[str], str]
) -> dict[str, Any]:
    """What every view needs: the atlas, findings and sources as read on `when`, and how to link."""
    rows = views.atlas_rows(kb, when)
    return {
        "when": when.isoformat(),
        "version": __version__,
        "knowledge_version": kb.version,
        "atlas_rows": rows,
        "atlas_matrix": {(r["country"], r["branch"]): r for r in rows},
        "heatmap_json": charts.figure_json(charts.atlas_heatmap(rows)),
        "findings": views.findings_rows(kb, when),
        "sources": views.source_rows(kb),
        "country_url": country_url,
        "source_url": source_url,
    }


def write_csv(path: Path, fields: list[str], rows: Iterable[dict[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return path


def _scheme_rows(profiles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "country": p["code"],
            **{k: s[k] for k in ("id", "name", "institution", "type")},
            "legal_basis": " | ".join(f["text"] for f in s["legal_basis"]),
            "sources": "; ".join(sorted({x for f in s["legal_basis"] for x in f["sources"]})),
        }
        for p in profiles
        for s in p["schemes"]
    ]


def simulation_context(kb: Knowledge, doc: dict[str, Any]) -> dict[str, Any]:
    """What the corridor and scenario views need from a simulation summary (contract section 6)."""
    sim = simulation.view(doc, simulation.scenario_titles(kb))
    return {"sim": sim, "sim_figures": charts.simulation_figures(sim)}


def build_report(
    out: Path,
    kb: Knowledge | None = None,
    when: date | None = None,
    examples: Path | None = None,
    options: SimOptions | None = None,
) -> list[Path]:
    """Write `out/index.html` and the CSV of every chart and table; return the paths written.

    The corridors and scenarios come from a run of the simulation with `options` (default: 200,000
    workers, seed 0, scenarios none, asean-c157 and lift-tha-agriculture)."""
    kb = kb or knowledge()
    when = when or date.today()
    options = options or SimOptions()
    doc = simulation.run(kb, options)  # first: bad options stop the build before anything is written
    cases: list[Case] = load_cases(examples, kb) if examples and examples.is_dir() else []
    ctx = common_context(kb, when, lambda c: f"#country-{c}", lambda s: f"#source-{s}")
    profiles = [views.country_profile(kb, code, when) for code in ASEAN]
    ctx.update(
        profiles=profiles,
        cases=cases,
        examples=str(examples) if examples else "",
        plotly_js=charts.plotly_js(),
        standalone=True,
        csv={"corridors": "corridors.csv", "scenarios": "scenarios.csv", "assumptions": "assumptions.csv"},
        **simulation_context(kb, doc),
    )
    html = environment().get_template("report.html").render(ctx)
    out.mkdir(parents=True, exist_ok=True)
    index = out / "index.html"
    index.write_text(html, encoding="utf-8")
    return [
        index,
        write_csv(out / "atlas.csv", views.ATLAS_CSV, ctx["atlas_rows"]),
        write_csv(out / "findings.csv", views.FINDINGS_CSV, views.findings_csv_rows(ctx["findings"])),
        write_csv(out / "schemes.csv", SCHEMES_CSV, _scheme_rows(profiles)),
        write_csv(out / "corridors.csv", simulation.CORRIDORS_CSV, simulation.corridor_csv_rows(doc)),
        write_csv(
            out / "scenarios.csv",
            simulation.SCENARIOS_CSV,
            simulation.scenario_csv_rows(doc, ctx["sim"].titles),
        ),
        write_csv(out / "assumptions.csv", simulation.ASSUMPTIONS_CSV, ctx["sim"].assumptions),
        write_csv(out / "cases.csv", CASES_CSV, [r for c in cases for r in csv_rows(c.id, c.comparison)]),
        write_csv(out / "sources.csv", views.SOURCES_CSV, ctx["sources"]),
    ]
