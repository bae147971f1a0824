"""Myanmar: Social Security Board (Social Security Law 2012, in force 1 April 2014). Only the Health and
Social Care Fund (medical care, sickness, maternity, family benefits) and the Employment Injury Fund
operate; the Disability, Superannuation and Survivors Fund and the Unemployment Fund were never put into
operation, so old age, invalidity, survivors and unemployment are `no_scheme` in the atlas and need no rule.

Sources are the ids in knowledge/data/sources/MMR.yaml; parameters under parameters/MMR/ (contribution rates
and the wage cap only). The benefit rates and qualifying periods of the 2012 Law were not confirmed in a
readable source, so every cash amount is `amount_unknown`. Short-term contingencies are assumed to happen on
the evaluation date, so the person must be in insured work then; the qualifying periods (unknown) are not
applied. Myanmar nationals working abroad (e.g. in Thailand) are outside the SSB.
"""

from __future__ import annotations

from migrantsp.engine.benefit import DAILY_ALLOWANCE, GRANT, Benefit
from migrantsp.engine.context import BranchContext
from migrantsp.engine.timecols import Bools
from migrantsp.rules.common import amount_unknown, at_work, in_kind

HSC = ("MM1", "MM3")


def _at_work(ctx: BranchContext, what: str) -> Bools:
    return at_work(ctx, f"no {what} then", HSC)


def medical_care(ctx: BranchContext) -> Benefit:
    ok = _at_work(ctx, "registered employment")
    ctx.reason(
        ok,
        "in_kind",
        "Care at SSB clinics, hospitals and contracted providers in Myanmar; the qualifying period under the "
        "2012 Law is not established and is assumed met",
        ("MM1", "MSP-NOTES"),
    )
    return in_kind(ctx, ok)


def sickness(ctx: BranchContext) -> Benefit:
    ok = _at_work(ctx, "earnings to replace")
    return amount_unknown(
        ctx,
        ok,
        DAILY_ALLOWANCE,
        "Sickness cash benefit of the Health and Social Care Fund; its rate, duration and qualifying period "
        "under the 2012 Law are not established (under the 1954 Act: 50 % of earnings for up to 26 weeks)",
        ("MM1", "MM-SSPTW-2012"),
    )


def maternity(ctx: BranchContext) -> Benefit:
    women = ctx.female
    ctx.reason(
        ~women,
        "insured_woman",
        "Maternity benefits are modelled for insured women; the SSB's paternity cash benefit is not modelled",
        ("MM1",),
    )
    ok = women & _at_work(ctx, "maternity leave to pay")
    return amount_unknown(
        ctx,
        ok,
        DAILY_ALLOWANCE,
        "Maternity cash benefit and care of the Health and Social Care Fund; rates and qualifying period "
        "under the 2012 Law are not established (under the 1954 Act: two-thirds of earnings for 12 weeks)",
        ("MM1", "MM-SSPTW-2012"),
    )


def employment_injury(ctx: BranchContext) -> Benefit:
    ok = _at_work(ctx, "work injury")
    return amount_unknown(
        ctx,
        ok,
        DAILY_ALLOWANCE,
        "Injured at work on the evaluation date: temporary disablement benefit and medical care of the "
        "Employment Injury Fund (employer 1 %), foreign employees included; the benefit rate under the 2012 "
        "Law is not established",
        ("MM1", "MM3", "MSP-NOTES"),
    )


def family(ctx: BranchContext) -> Benefit:
    ok = _at_work(ctx, "insured membership")
    return amount_unknown(
        ctx,
        ok,
        GRANT,
        "Family benefits (educational allowance; the natural-disaster benefit was inactive in 2025) financed "
        "from 10 % of the Health and Social Care Fund; conditions and amounts are not established",
        ("MM1", "MM3"),
    )
