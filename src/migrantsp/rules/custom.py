"""Hypothetical schemes defined in a career file (contract section 4), for what-if and textbook cases.

Monthly pension = flat part + accrual part, where
  flat part    = flat x min(1, months / flat_full_months)   (or flat, when flat_full_months is not set)
  accrual part = accrual_per_year x (months / 12) x reference_wage
from `qualifying_months` credited months and `pensionable_age`; below that, a refund of contributions
at `contribution_rate` when `below_qualifying: refund`. Every worker in the country is insured.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from migrantsp.career import CustomBranch, CustomScheme
from migrantsp.domain import Branch, Confidence, Coverage
from migrantsp.engine.benefit import Benefit
from migrantsp.engine.context import BranchContext
from migrantsp.engine.timecols import Floats, Ints, add_years
from migrantsp.knowledge.schema import AnswerFact, Cell, Portability, StatusFact

CUSTOM_BRANCHES = (Branch.old_age, Branch.invalidity, Branch.survivors)


def source_id(country: str) -> str:
    return f"CUSTOM-{country}"


def custom_cell(scheme: CustomScheme, branch: Branch) -> Cell:
    """An atlas cell for a custom scheme: everyone working there is insured; no export restriction."""
    spec = getattr(scheme, branch.value, None) if branch in CUSTOM_BRANCHES else None
    src = [source_id(scheme.country)]
    status = Coverage.mandatory if spec is not None else Coverage.no_scheme
    text = (
        f"{scheme.name}: everyone working in {scheme.country} is insured (custom scheme)"
        if spec is not None
        else f"{scheme.name} defines no {branch.value} branch"
    )
    fact = {"text": text, "sources": src, "confidence": Confidence.unverified, "from": date(1900, 1, 1)}
    return Cell(
        schemes=[f"{scheme.country}-CUSTOM"] if spec is not None else [],
        summary=text,
        foreign_workers=[StatusFact(status=status, **fact)],
        nationals_abroad=[
            StatusFact(status=Coverage.excluded if spec is not None else Coverage.no_scheme, **fact)
        ],
        portability=Portability(
            export=[AnswerFact(value="yes", **fact)], lump_sum_on_departure=[AnswerFact(value="no", **fact)]
        ),
    )


def spec_of(ctx: BranchContext) -> CustomBranch:
    spec = getattr(ctx.batch.custom_schemes[ctx.country], ctx.branch.value)
    assert spec is not None
    return spec  # type: ignore[no-any-return]


def monthly_amount(ctx: BranchContext, months: Ints, spec: CustomBranch) -> Floats:
    """The scheme's formula f(months): the same function serves own, totalised and maximum periods."""
    a = spec.amount
    flat = np.full(months.size, a.flat, dtype=np.float64)
    if a.flat_full_months:
        flat = flat * np.minimum(1.0, months / a.flat_full_months)
    wage = np.full(months.size, a.reference_wage) if a.reference_wage is not None else ctx.average_wage()
    return flat + a.accrual_per_year * (months / 12.0) * wage


def pension_rule(ctx: BranchContext) -> Benefit:
    spec = spec_of(ctx)
    src = (source_id(ctx.country),)
    if ctx.branch is Branch.old_age:
        at_age = add_years(ctx.birth, int(spec.pensionable_age))
        ctx = ctx.at(np.maximum(ctx.contingency, at_age))
        ctx.reason(
            np.ones(ctx.n, bool),
            "pensionable_age",
            "Assessed at {date}, the later of the evaluation date and pensionable age {age:g}",
            src,
            date=ctx.contingency,
            age=spec.pensionable_age,
        )
    months = ctx.months()
    qualifies = months >= spec.qualifying_months
    pension = monthly_amount(ctx, months, spec)
    ctx.reason(
        qualifies,
        "qualifying_period",
        "{months} credited months meet the {q} required; pension {amount} a month",
        src,
        months=months,
        q=spec.qualifying_months,
        amount=pension,
    )
    ctx.reason(
        ~qualifies,
        "qualifying_period",
        "{months} credited months are fewer than the {q} required",
        src,
        months=months,
        q=spec.qualifying_months,
    )
    refund = np.zeros(ctx.n)
    if spec.below_qualifying == "refund" and spec.contribution_rate:
        refund = ctx.contributions(spec.contribution_rate)
        ctx.reason(
            ~qualifies & (refund > 0),
            "refund",
            "Refund of contributions at {rate:.1%} of insured wages: {refund}",
            src,
            rate=spec.contribution_rate,
            refund=refund,
        )
    return Benefit.pension_or_lump_sum(qualifies, pension, refund)


RULES = {b: pension_rule for b in CUSTOM_BRANCHES}
