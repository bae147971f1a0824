"""One career under several instruments, side by side: what changes for the person, and why.

Used by the report's worked cases and the web calculator; everything comes from the engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from migrantsp.api import run
from migrantsp.career import Career
from migrantsp.domain import ASEAN, BRANCH_LABELS, Branch
from migrantsp.knowledge.base import Knowledge
from migrantsp.results import amount_text, entitlement_rows, entitlements_json, explain


@dataclass
class Comparison:
    career: Career
    instruments: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)
    explanations: dict[str, str] = field(default_factory=dict)
    results: dict[str, dict[str, Any]] = field(default_factory=dict)  # contract section 2, per instrument


def describe(row: dict[str, Any]) -> str:
    b = row["benefit"]
    if b is None:
        return str(row["status"]).replace("_", " ")
    abroad = ", payable abroad" if b["payable_abroad"] else ", not payable abroad"
    return f"{b['kind'].replace('_', ' ')}: {amount_text(b)}{abroad}"


def _changes(base: dict[str, Any], other: dict[str, Any]) -> list[str]:
    out = []
    if other["credited_months"] != base["credited_months"]:
        out.append(f"{other['credited_months'] - base['credited_months']:+d} credited months")
    a = (base["benefit"] or {}).get("amount") or 0.0
    b = (other["benefit"] or {}).get("amount") or 0.0
    if other["status"] != base["status"] or abs(b - a) > 0.005:
        out.append(f"{describe(base)} → {describe(other)}")
    if (other["benefit"] or {}).get("payable_abroad") and not (base["benefit"] or {}).get("payable_abroad"):
        out.append("now payable abroad")
    return out


def compare(career: Career, kb: Knowledge, instruments: list[str]) -> Comparison:
    """Evaluate `career` under each instrument (the first is the baseline) and list the differences."""
    cmp = Comparison(career=career, instruments=[])
    runs: dict[str, list[dict[str, Any]]] = {}
    for spec in instruments:
        res = run(career, kb, instrument=spec)
        if res.instrument in runs:
            continue
        runs[res.instrument] = entitlement_rows(res, 0)
        cmp.instruments.append(res.instrument)
        cmp.explanations[res.instrument] = explain(res, 0)
        cmp.results[res.instrument] = entitlements_json(res, 0)
    ids = cmp.instruments
    for i, base in enumerate(runs[ids[0]]):
        per = {iid: runs[iid][i] for iid in ids}
        cmp.rows.append(
            {
                "country": base["country"],
                "country_name": ASEAN.get(base["country"], (base["country"], ""))[0],
                "branch": base["branch"],
                "branch_label": BRANCH_LABELS[Branch(base["branch"])],
                "by_instrument": {iid: {**r, "text": describe(r)} for iid, r in per.items()},
                "changes": {iid: _changes(base, per[iid]) for iid in ids[1:]},
            }
        )
    return cmp


CASES_CSV = [
    "case",
    "instrument",
    "country",
    "branch",
    "status",
    "insured_months",
    "credited_months",
    "benefit_kind",
    "amount",
    "currency",
    "per",
    "payable_abroad",
    "method",
]


def csv_rows(case: str, cmp: Comparison) -> list[dict[str, Any]]:
    out = []
    for row in cmp.rows:
        for iid in cmp.instruments:
            r = row["by_instrument"][iid]
            b = r["benefit"] or {}
            out.append(
                {
                    "case": case,
                    "instrument": iid,
                    "country": r["country"],
                    "branch": r["branch"],
                    "status": r["status"],
                    "insured_months": r["insured_months"],
                    "credited_months": r["credited_months"],
                    "benefit_kind": b.get("kind", ""),
                    "amount": "" if b.get("amount") is None else b["amount"],
                    "currency": b.get("currency", ""),
                    "per": b.get("per", ""),
                    "payable_abroad": "" if not b else b["payable_abroad"],
                    "method": b.get("method", ""),
                }
            )
    return out
