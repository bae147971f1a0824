"""Results as users read them: the contract's JSON (section 2), a table, and the step-by-step explanation."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, Field

from migrantsp import __version__
from migrantsp.domain import BRANCH_LABELS, Branch
from migrantsp.engine.benefit import ENTITLED, IN_KIND, KINDS, METHODS, PERS, STATUSES
from migrantsp.engine.evaluate import Results
from migrantsp.engine.trace import Step


def _num(x: float) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else round(float(x), 2)


def _reasons(steps: list[Step]) -> list[dict[str, Any]]:
    return [
        {"code": s.code, "message": s.message, "sources": list(s.sources)}
        for s in steps
        if s.kind == "reason"
    ]


def entitlement_rows(
    res: Results, person: int, branches: Sequence[Branch] | None = None
) -> list[dict[str, Any]]:
    """The person's rows: each country in career order, each branch evaluated (or each of `branches`)."""
    out = []
    branches = list(res.branches) if branches is None else list(branches)
    for r in res.rows_of(person).tolist():
        country = res.batch.countries.codes[int(res.row_country[r])]
        for b in branches:
            col = res.branches[b]
            status = int(col.status[r])
            benefit = None
            if status == ENTITLED:
                kind = int(col.kind[r])
                benefit = {
                    "kind": KINDS[kind],
                    "amount": None if kind == IN_KIND else _num(col.amount[r]),
                    "currency": res.batch.currency(country),
                    "per": PERS[int(col.per[r])],
                    "payable_abroad": bool(col.payable_abroad[r]),
                    "method": METHODS[int(col.method[r])],
                    "independent_amount": _num(col.independent[r]),
                    "theoretical_amount": _num(col.theoretical[r]),
                    "pro_rata_amount": _num(col.pro_rata[r]),
                    "supplement_amount": _num(col.supplement[r]) or 0.0,
                }
            out.append({
                "country": country,
                "branch": b.value,
                "scheme": res.scheme_of(b, r),
                "status": STATUSES[status],
                "insured_months": int(col.insured_months[r]),
                "credited_months": int(col.credited_months[r]),
                "benefit": benefit,
                "reasons": _reasons(res.trace.for_row(r, b)),
            })  # fmt: skip
    return out


def entitlements_json(res: Results, person: int, branches: Sequence[Branch] | None = None) -> dict[str, Any]:
    """Contract section 2 for one person of the results (all branches evaluated, or `branches`)."""
    return {
        "schema_version": "1",
        "evaluation_date": str(res.batch.evaluation[person]),
        "instrument": res.instrument,
        "knowledge_version": f"{res.knowledge_version}+engine-{__version__}",
        "entitlements": entitlement_rows(res, person, branches),
    }


def _money(amount: float | None, currency: str) -> str:
    return "—" if amount is None else f"{amount:,.2f} {currency}"


def amount_text(benefit: dict[str, Any]) -> str:
    if benefit["kind"] == "in_kind":
        return "in kind"
    if benefit["amount"] is None:
        return "amount not established"
    per = {"month": "a month", "day": "a day", "once": "once"}[benefit["per"]]
    return f"{_money(benefit['amount'], benefit['currency'])} {per}"


def explain(res: Results, person: int) -> str:
    """The readable, step-by-step explanation of `--explain`."""
    lines: list[str] = []
    rows = entitlement_rows(res, person)
    by_row = {}
    for r in res.rows_of(person).tolist():
        by_row[res.batch.countries.codes[int(res.row_country[r])]] = r
    for row in rows:
        country, b = row["country"], Branch(row["branch"])
        status = row["status"].replace("_", " ")
        head = f"{country} · {BRANCH_LABELS[b]}: {status}"
        if row["benefit"]:
            bn = row["benefit"]
            amount = amount_text(bn)
            head += f" — {bn['kind'].replace('_', ' ')}, {amount}"
            head += ", payable abroad" if bn["payable_abroad"] else ", not payable abroad"
        lines.append(head)
        lines.append(
            f"  scheme {row['scheme'] or '—'}; insured months {row['insured_months']}, "
            f"credited {row['credited_months']}"
        )
        for step in res.trace.for_row(by_row[country], b):
            src = f" [{', '.join(step.sources)}]" if step.sources else ""
            if step.kind == "parameter":
                since = f", in force since {step.since}" if step.since else ""
                value = "no value" if step.value is None or step.value != step.value else f"{step.value:g}"
                lines.append(f"  · {step.path} = {value} {step.unit or ''}{since}{src}")
            else:
                lines.append(f"  - {step.message}{src}")
        lines.append("")
    return "\n".join(lines)


# ---------------------------------------------------------------- the output format, as models (JSON Schema)
class ReasonOut(BaseModel):
    code: str
    message: str
    sources: list[str] = Field(min_length=1)


class BenefitOut(BaseModel):
    kind: Literal["pension", "lump_sum", "daily_allowance", "in_kind", "grant"]
    amount: float | None = Field(
        description="What the country pays, supplement included; null for in_kind, "
        "or where the knowledge base does not establish the amount (reason amount_unknown)"
    )
    currency: str
    per: Literal["month", "once", "day"]
    payable_abroad: bool
    method: Literal["independent", "pro_rata", "direct", "integration"]
    independent_amount: float | None
    theoretical_amount: float | None
    pro_rata_amount: float | None
    supplement_amount: float


class EntitlementOut(BaseModel):
    country: str
    branch: Branch
    scheme: str | None
    status: Literal["entitled", "not_entitled", "not_covered", "no_scheme"]
    insured_months: int
    credited_months: int
    benefit: BenefitOut | None
    reasons: list[ReasonOut] = Field(min_length=1)


class EntitlementsOut(BaseModel):
    """What each country owes a person (contract section 2)."""

    schema_version: Literal["1"]
    evaluation_date: date
    instrument: str
    knowledge_version: str
    entitlements: list[EntitlementOut]
