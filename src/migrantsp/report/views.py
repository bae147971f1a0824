"""Plain data for the report's and the web app's views, read from the knowledge base on a date.

Templates and CSV files read these dicts, so the HTML and the CSV beside it cannot disagree.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from migrantsp.atlas import CSV_FIELDS, AtlasCell, atlas, atlas_cell, flat_row
from migrantsp.domain import ASEAN, BRANCH_LABELS, BRANCHES, Coverage
from migrantsp.knowledge.base import Knowledge
from migrantsp.knowledge.schema import Fact

COVERAGE_LABELS: dict[Coverage, str] = {
    Coverage.mandatory: "mandatory",
    Coverage.voluntary: "voluntary",
    Coverage.excluded: "excluded",
    Coverage.no_scheme: "no scheme",
}
# One letter per status, so the heatmap and tables never rely on colour alone.
COVERAGE_LETTERS: dict[Coverage, str] = {
    Coverage.mandatory: "M",
    Coverage.voluntary: "V",
    Coverage.excluded: "X",
    Coverage.no_scheme: "\u2013",  # en dash
}


def in_force(fact: Fact, when: date) -> bool:
    return fact.from_ <= when and (fact.until is None or when <= fact.until)


def conditions(kb: Knowledge, cell: AtlasCell, when: date) -> list[Fact]:
    """The qualifying conditions and benefits the atlas describes for a cell, as in force on `when`."""
    return [f for f in kb.cell(cell.country, cell.branch).conditions if in_force(f, when)]


def atlas_rows(kb: Knowledge, when: date) -> list[dict[str, Any]]:
    """One row per member state x branch: the atlas CSV columns plus the conditions in force."""
    rows = []
    for c in atlas(kb, when):
        row: dict[str, Any] = flat_row(c)
        row["branch_label"] = BRANCH_LABELS[c.branch]
        row["coverage_label"] = COVERAGE_LABELS[c.foreign_workers]
        row["letter"] = COVERAGE_LETTERS[c.foreign_workers]
        row["foreign_workers_note"] = c.foreign_workers_note
        row["conditions"] = " | ".join(f.text for f in conditions(kb, c, when))
        row["exclusion_list"] = [e.text for e in c.exclusions]
        row["condition_list"] = [f.text for f in conditions(kb, c, when)]
        row["source_list"] = list(c.sources)
        rows.append(row)
    return rows


# the atlas CSV's columns, with the conditions in force beside the exclusions
ATLAS_CSV = [
    *CSV_FIELDS[: CSV_FIELDS.index("exclusions") + 1],
    "conditions",
    *CSV_FIELDS[CSV_FIELDS.index("exclusions") + 1 :],
]


def findings_rows(kb: Knowledge, when: date) -> list[dict[str, Any]]:
    """Findings G1-G10 with each evidence cell as the atlas reads it on `when`."""
    out = []
    for gid, f in (kb.findings.findings if kb.findings else {}).items():
        evidence = []
        for e in f.evidence:
            cell = atlas_cell(kb, e.country, e.branch, when)
            evidence.append(
                {
                    "country": e.country,
                    "country_name": ASEAN.get(e.country, (e.country, ""))[0],
                    "branch": e.branch.value,
                    "branch_label": BRANCH_LABELS[e.branch],
                    "foreign_workers": cell.foreign_workers.value,
                    "coverage_label": COVERAGE_LABELS[cell.foreign_workers],
                    "note": e.note or "",
                }
            )
        out.append(
            {
                "id": gid,
                "title": f.title,
                "text": f.text,
                "found_by": f.found_by,
                "evidence": evidence,
                "sources": list(f.sources),
                "confidence": f.confidence.value,
                "status": f.validation.status.value,
                "validation_note": f.validation.note,
                "reviewed": f.validation.reviewed.isoformat() if f.validation.reviewed else "",
            }
        )
    return out


FINDINGS_CSV = [
    "id",
    "title",
    "status",
    "confidence",
    "evidence_country",
    "evidence_branch",
    "evidence_foreign_workers",
    "evidence_note",
    "sources",
    "text",
]


def findings_csv_rows(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One CSV row per finding x evidence cell (a finding cites several cells)."""
    return [
        {
            "id": f["id"],
            "title": f["title"],
            "status": f["status"],
            "confidence": f["confidence"],
            "evidence_country": e["country"],
            "evidence_branch": e["branch"],
            "evidence_foreign_workers": e["foreign_workers"],
            "evidence_note": e["note"],
            "sources": "; ".join(f["sources"]),
            "text": f["text"],
        }
        for f in findings
        for e in f["evidence"]
    ]


SOURCES_CSV = ["id", "title", "publisher", "date", "kind", "url", "note"]


def source_rows(kb: Knowledge) -> list[dict[str, Any]]:
    return [
        {"id": sid, **s.model_dump(mode="json"), "kind": s.kind.value}
        for sid, s in sorted(kb.sources.items())
    ]


def country_profile(kb: Knowledge, code: str, when: date) -> dict[str, Any]:
    """A member state's schemes and each branch as it applies to migrant workers on `when`."""
    cf = kb.countries[code]
    branches = []
    for b in BRANCHES:
        cell = atlas_cell(kb, code, b, when)
        branches.append(
            {
                "branch": b.value,
                "branch_label": BRANCH_LABELS[b],
                "foreign_workers": cell.foreign_workers.value,
                "coverage_label": COVERAGE_LABELS[cell.foreign_workers],
                "letter": COVERAGE_LETTERS[cell.foreign_workers],
                "nationals_abroad": COVERAGE_LABELS[cell.nationals_abroad],
                "export": cell.portability.export.value.replace("_", " "),
                "lump_sum": cell.portability.lump_sum_on_departure.value.replace("_", " "),
                "summary": cell.summary,
                "note": cell.foreign_workers_note,
                "exclusions": [e.text for e in cell.exclusions],
                "conditions": [f.text for f in conditions(kb, cell, when)],
                "schemes": cell.schemes,
                "sources": cell.sources,
                "confidence": cell.confidence.value,
            }
        )
    return {
        "code": code,
        "name": cf.name,
        "currency": cf.currency,
        "as_of": cf.as_of.isoformat(),
        "schemes": [
            {
                "id": sid,
                "name": s.name,
                "institution": s.institution,
                "type": s.type.value.replace("_", " "),
                "legal_basis": [{"text": f.text, "sources": f.sources} for f in s.legal_basis],
            }
            for sid, s in cf.schemes.items()
        ],
        "branches": branches,
    }
