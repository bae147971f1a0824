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
from migrantsp.report import charts, views
from migrantsp.report.cases import Case, load_cases
from migrantsp.report.compare import CASES_CSV, csv_rows

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
    return env


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


def build_report(
    out: Path, kb: Knowledge | None = None, when: date | None = None, examples: Path | None = None
) -> list[Path]:
    """Write `out/index.html` and the CSV of every chart and table; return the paths written."""
    kb = kb or knowledge()
    when = when or date.today()
    cases: list[Case] = load_cases(examples, kb) if examples and examples.is_dir() else []
    ctx = common_context(kb, when, lambda c: f"#country-{c}", lambda s: f"#source-{s}")
    profiles = [views.country_profile(kb, code, when) for code in ASEAN]
    ctx.update(
        profiles=profiles,
        cases=cases,
        examples=str(examples) if examples else "",
        plotly_js=charts.plotly_js(),
        standalone=True,
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
        write_csv(out / "cases.csv", CASES_CSV, [r for c in cases for r in csv_rows(c.id, c.comparison)]),
        write_csv(out / "sources.csv", views.SOURCES_CSV, ctx["sources"]),
    ]
