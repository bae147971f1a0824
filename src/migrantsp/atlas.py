"""The atlas as users read it: one cell per member state x branch, resolved on a date (contract section 5)."""

from __future__ import annotations

import csv
import io
from datetime import date

from pydantic import BaseModel, Field

from migrantsp.domain import ASEAN_CODES, BRANCHES, Answer, Branch, Confidence, Coverage
from migrantsp.knowledge.base import Knowledge, status_at
from migrantsp.knowledge.schema import Cell, ExclusionKind, Fact


class ExclusionOut(BaseModel):
    kind: ExclusionKind
    text: str
    from_: date = Field(alias="from")
    until: date | None = None
    sources: list[str]
    confidence: Confidence


class PortabilityOut(BaseModel):
    export: Answer
    lump_sum_on_departure: Answer


class AtlasCell(BaseModel):
    """One cell of the atlas: how a member state's schemes in one branch treat migrant workers on a date."""

    country: str
    country_name: str
    branch: Branch
    foreign_workers: Coverage
    foreign_workers_note: str
    exclusions: list[ExclusionOut]
    nationals_abroad: Coverage
    schemes: list[str]
    portability: PortabilityOut
    summary: str
    sources: list[str]
    confidence: Confidence
    as_of: date


def _in_force(fact: Fact, when: date) -> bool:
    return fact.from_ <= when and (fact.until is None or when <= fact.until)


def atlas_cell(kb: Knowledge, country: str, branch: Branch, when: date) -> AtlasCell:
    cf = kb.countries[country]
    cell: Cell = cf.branches[branch]
    fw = status_at(cell.foreign_workers, when)
    abroad = status_at(cell.nationals_abroad, when)
    export = status_at(cell.portability.export, when)
    lump = status_at(cell.portability.lump_sum_on_departure, when)
    exclusions = [e for e in cell.exclusions if _in_force(e, when)] if fw else []
    used: list[Fact] = [f for f in (fw, abroad, export, lump) if f is not None] + exclusions
    used += [c for c in cell.conditions if _in_force(c, when)]
    first = cell.foreign_workers[0]
    return AtlasCell(
        country=country,
        country_name=cf.name,
        branch=branch,
        foreign_workers=fw.status if fw else Coverage.no_scheme,
        foreign_workers_note=fw.text if fw else f"No scheme before {first.from_}: {first.text}",
        exclusions=[
            ExclusionOut(
                kind=e.kind,
                text=e.text,
                **{"from": e.from_},
                until=e.until,
                sources=list(e.sources),
                confidence=e.confidence,
            )
            for e in exclusions
        ],
        nationals_abroad=abroad.status if abroad else Coverage.no_scheme,
        schemes=list(cell.schemes) if fw and fw.status is not Coverage.no_scheme else [],
        portability=PortabilityOut(
            export=export.value if export else Answer.unknown,
            lump_sum_on_departure=lump.value if lump else Answer.unknown,
        ),
        summary=cell.summary,
        sources=sorted({s for f in used or [first] for s in f.sources}),
        confidence=(fw or first).confidence,
        as_of=cf.as_of,
    )


def atlas(
    kb: Knowledge, when: date, countries: list[str] | None = None, branches: list[Branch] | None = None
) -> list[AtlasCell]:
    return [
        atlas_cell(kb, c, b, when) for c in (countries or list(ASEAN_CODES)) for b in (branches or BRANCHES)
    ]


CSV_FIELDS = [
    "country",
    "country_name",
    "branch",
    "foreign_workers",
    "nationals_abroad",
    "schemes",
    "export",
    "lump_sum_on_departure",
    "exclusions",
    "confidence",
    "as_of",
    "sources",
    "summary",
]


def flat_row(c: AtlasCell) -> dict[str, str]:
    return {
        "country": c.country,
        "country_name": c.country_name,
        "branch": c.branch.value,
        "foreign_workers": c.foreign_workers.value,
        "nationals_abroad": c.nationals_abroad.value,
        "schemes": "; ".join(c.schemes),
        "export": c.portability.export.value,
        "lump_sum_on_departure": c.portability.lump_sum_on_departure.value,
        "exclusions": " | ".join(e.text for e in c.exclusions),
        "confidence": c.confidence.value,
        "as_of": c.as_of.isoformat(),
        "sources": "; ".join(c.sources),
        "summary": c.summary,
    }


def to_csv(cells: list[AtlasCell]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CSV_FIELDS, lineterminator="\n")
    w.writeheader()
    for c in cells:
        w.writerow(flat_row(c))
    return buf.getvalue()


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(cells: list[AtlasCell]) -> str:
    """A MISSOC-style comparative table: one row per country x branch, every column of the CSV."""
    cols = CSV_FIELDS
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(_md(flat_row(c)[k]) for k in cols) + " |" for c in cells]
    return "\n".join(lines) + "\n"
