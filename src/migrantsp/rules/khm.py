"""Cambodia: NSSF Health Care Scheme, Occupational Risk Scheme, pension scheme (since 1 October 2022),
the employer's half wage during maternity leave (Labour Law) and the state childbirth allowance.

Sources are the ids in knowledge/data/sources/KHM.yaml; parameters under parameters/KHM/. Simplifications,
each named in the reasons:
- Short-term benefits (care, sickness, maternity, work injury) assume the contingency happens on the
  evaluation date, so the person must be in insured work that day. The NSSF's contribution tests for care,
  sickness and maternity are not established and are not applied.
- The daily wage is the average insured wage of the last 3 months (capped and floored as for health-care
  contributions) / 30; the NSSF's exact reference period is not established.
- Old-age pension: accrual rate (1.75 % a year for 15 years, 1.25 % after) x fractional years x the average
  contributable wage of the whole pension career, without revaluation; the reported minimum "at least 40 % of
  the reference wage" is not applied (which reference wage is meant is not established), so the amount may
  be a lower bound. The lump-sum old-age allowance, the invalidity and survivors' pensions have no
  established amount (`amount_unknown`).
- Pensions are reported as not payable abroad (residence in Cambodia, per the atlas); nothing is refunded on
  departure. Years worked abroad (e.g. in Thailand) count only where NSSF contributions were paid, which the
  NSSF does not provide for (the atlas's nationals_abroad rule).
"""

from __future__ import annotations

import numpy as np

from migrantsp.engine.benefit import LUMP_SUM, PENSION, Benefit
from migrantsp.engine.context import BranchContext
from migrantsp.engine.timecols import Bools, Floats
from migrantsp.rules.common import (
    DAYS_PER_MONTH,
    amount_unknown,
    at_pensionable_age,
    at_work,
    daily,
    grant,
    in_kind,
)

H_CEILING = "nssf.contribution.health_wage_ceiling"
H_FLOOR = "nssf.contribution.health_wage_floor"
P_CEILING = "nssf.contribution.pension_wage_ceiling"
P_FLOOR = "nssf.contribution.pension_wage_floor"
HEALTH = ("KH1", "KH3")
PENSION_SRC = ("KH-SSA-2022", "KH-NOP-2021")


def _daily_wage(ctx: BranchContext) -> Floats:
    """Average insured wage of the last 3 months, within the health-care contribution band, per day."""
    return ctx.average_wage(last_months=3, ceiling=H_CEILING, floor=H_FLOOR) / DAYS_PER_MONTH


def _at_work(ctx: BranchContext, what: str) -> Bools:
    return at_work(ctx, f"no {what} then", HEALTH)


def _unknown_rate(ctx: BranchContext, eligible: Bools, amount: Floats, what: str) -> Bools:
    """Rows whose amount cannot be computed because a rate is not recorded in force on that date."""
    missing = eligible & np.isnan(amount)
    ctx.reason(
        missing,
        "amount_unknown",
        f"The {what} rate is not recorded in force on this date in the knowledge base; amount not "
        "established",
        ("MSP-NOTES",),
    )
    return missing


def medical_care(ctx: BranchContext) -> Benefit:
    ok = _at_work(ctx, "registered employment")
    ctx.reason(
        ok,
        "in_kind",
        "Free care at NSSF-contracted facilities in Cambodia for up to 180 days in 12 months; the NSSF's "
        "contribution test is not established and is assumed met",
        ("KH3", "KH-WI-2025"),
    )
    return in_kind(ctx, ok)


def sickness(ctx: BranchContext) -> Benefit:
    ok = _at_work(ctx, "earnings to replace")
    rate = ctx.param("nssf.sickness.benefit_rate")
    per_day = rate * _daily_wage(ctx)
    ctx.reason(
        ok & ~np.isnan(per_day),
        "allowance",
        "{rate:.0%} of the daily wage {wage} (last 3 months, within the contribution band) = {amount} a day, "
        "for up to {days} days in 12 months; the minimum contribution period is not established",
        ctx.sources_of("nssf.sickness.benefit_rate", "nssf.sickness.max_days"),
        rate=rate,
        wage=_daily_wage(ctx),
        amount=per_day,
        days=ctx.param("nssf.sickness.max_days"),
    )
    _unknown_rate(ctx, ok, per_day, "NSSF sickness allowance")
    return daily(ctx, ok, per_day)


def employment_injury(ctx: BranchContext) -> Benefit:
    ok = _at_work(ctx, "work injury")
    rate = ctx.param("nssf.employment_injury.temporary_benefit_rate")
    wage = _daily_wage(ctx)
    per_day = rate * wage
    ctx.reason(
        ok & ~np.isnan(per_day),
        "compensation",
        "Injured at work on the evaluation date: {rate:.0%} of the average daily wage {wage} = {amount} a "
        "day from the second day (the employer pays the first), up to 180 days in 12 months; care is free. "
        "No qualifying period applies",
        ctx.sources_of("nssf.employment_injury.temporary_benefit_rate"),
        rate=rate,
        wage=wage,
        amount=per_day,
    )
    _unknown_rate(ctx, ok, per_day, "temporary-incapacity")
    return daily(ctx, ok, per_day)


def maternity(ctx: BranchContext) -> Benefit:
    women = ctx.female
    ctx.reason(~women, "insured_woman", "Maternity benefits are paid to insured women", ("KH-NSSF-2018",))
    working = _at_work(ctx, "maternity leave to pay")
    need = ctx.param("employer.maternity.seniority_months")
    seniority = ctx.months(window=12) >= need
    nssf_rate = np.nan_to_num(ctx.param("nssf.maternity.benefit_rate"))  # no NSSF allowance before 2016
    ctx.reason(
        women & working & (nssf_rate == 0),
        "no_nssf_allowance",
        "No NSSF maternity allowance before the Health Care Scheme (2016): only the employer's half wage, "
        "which needs {need} months' service: {amount} a day where met",
        ("KH1", "MSP-NOTES", *ctx.sources_of("employer.maternity.wage_share")),
        need=need,
        amount=ctx.param("employer.maternity.wage_share") * ctx.average_wage(last_months=3) / DAYS_PER_MONTH,
    )
    eligible = women & working & ((nssf_rate > 0) | seniority)
    share = ctx.param("employer.maternity.wage_share")
    actual = ctx.average_wage(last_months=3) / DAYS_PER_MONTH
    nssf_part = nssf_rate * _daily_wage(ctx)
    employer_part = np.where(seniority, share * actual, 0.0)
    per_day = nssf_part + employer_part
    ctx.reason(
        eligible & seniority & (nssf_rate > 0) & ~np.isnan(per_day),
        "allowance",
        "For {days} days: NSSF {rate:.0%} of the daily wage {wage} ({nssf}) + the employer's {share:.0%} of "
        "the actual daily wage {actual} ({emp}) = {amount} a day; the NSSF contribution test is not "
        "established, the employer's half wage needs {need} months' service (continuous insured work used)",
        ("KH-NSSF-2018", "KH3", "MSP-NOTES"),
        days=ctx.param("nssf.maternity.duration_days"),
        rate=nssf_rate,
        wage=_daily_wage(ctx),
        nssf=nssf_part,
        share=share,
        actual=actual,
        emp=employer_part,
        amount=per_day,
        need=need,
    )
    ctx.reason(
        eligible & ~seniority & ~np.isnan(per_day),
        "allowance",
        "For {days} days: NSSF {rate:.0%} of the daily wage {wage} = {amount} a day; no employer half wage, "
        "which needs {need} months' service (fewer insured months in the last 12)",
        ("KH-NSSF-2018", "KH3", "MSP-NOTES"),
        days=ctx.param("nssf.maternity.duration_days"),
        rate=nssf_rate,
        wage=_daily_wage(ctx),
        amount=per_day,
        need=need,
    )
    _unknown_rate(ctx, eligible, per_day, "NSSF maternity allowance")
    return daily(ctx, eligible, per_day)


def family(ctx: BranchContext) -> Benefit:
    """State childbirth allowance: Khmer ID card holders registered with the NSSF (the engine leaves
    foreign workers out through the atlas's nationality rule)."""
    women = ctx.female
    ctx.reason(
        ~women,
        "insured_woman",
        "The childbirth allowance is paid to registered female workers who give birth",
        ("KH-NSSF-2018",),
    )
    registered = ctx.insured_on_contingency()
    ctx.reason(
        ~registered,
        "not_registered",
        "Not working in Cambodia (registered with the NSSF) on the evaluation date, when the birth is "
        "assumed",
        ("KH-NSSF-2018",),
    )
    eligible = women & registered
    amount = ctx.param("childbirth.family.allowance_per_child")
    ctx.reason(
        eligible,
        "grant",
        "Childbirth allowance {amount} for a single birth (double for twins, triple for triplets); no "
        "contributory child allowance exists",
        ctx.sources_of("childbirth.family.allowance_per_child"),
        amount=amount,
    )
    return grant(ctx, eligible, amount)


def _accrued_pension(ctx: BranchContext, months: Floats) -> tuple[Floats, Floats, Floats]:
    """Accrual rate (1.75 % a year for 15 years, 1.25 % after), average contributable wage, pension."""
    years = months / 12.0
    rate = ctx.param("nssf.old_age.accrual_rate_first_15_years") * np.minimum(years, 15.0) + ctx.param(
        "nssf.old_age.accrual_rate_after_15_years"
    ) * np.maximum(years - 15.0, 0.0)
    wage = ctx.average_wage(ceiling=P_CEILING, floor=P_FLOOR)
    return rate, wage, rate * wage


def _residence(ctx: BranchContext, eligible: Bools) -> None:
    ctx.reason(
        eligible & ~ctx.resident,
        "residence",
        "Paid only to people residing in Cambodia (reported; not checked in Sub-Decree 32): not payable "
        "while the person lives abroad",
        ("KH8",),
    )


def old_age(ctx: BranchContext) -> Benefit:
    ctx = at_pensionable_age(ctx, "nssf.old_age.pensionable_age")
    months = ctx.months().astype(np.float64)
    need = ctx.param("nssf.old_age.qualifying_months")
    qualifies = months >= need
    rate, wage, pension = _accrued_pension(ctx, months)
    ctx.reason(
        qualifies,
        "pension",
        "{months:g} contribution months (at least {need:g} needed): pension = {rate:.3%} ({years:.2f} years "
        "at 1.75 %, 1.25 % after 15) of the average contributable wage {wage} = {amount} a month. A minimum "
        "of 40 % of a reference wage is also reported but which wage is not established, so this may be a "
        "lower bound",
        ctx.sources_of(
            "nssf.old_age.qualifying_months",
            "nssf.old_age.accrual_rate_first_15_years",
            "nssf.contribution.pension_wage_ceiling",
        ),
        months=months,
        need=need,
        rate=rate,
        years=months / 12.0,
        wage=wage,
        amount=pension,
    )
    _residence(ctx, qualifies)
    ctx.reason(
        ~qualifies,
        "qualifying_period",
        "{months:g} contribution months, fewer than the {need:g} needed for a pension",
        ctx.sources_of("nssf.old_age.qualifying_months"),
        months=months,
        need=need,
    )
    lump = amount_unknown(
        ctx,
        ~qualifies,
        LUMP_SUM,
        "Lump-sum old-age allowance at 60 instead of a pension; its amount is not established. No withdrawal "
        "on leaving Cambodia before 60 was in force",
        ("KH-WI-2025", "KH8"),
    )
    return Benefit(
        entitled=np.ones(ctx.n, dtype=bool),
        kind=np.where(qualifies, PENSION, LUMP_SUM).astype(np.int64),
        amount=np.where(qualifies, pension, lump.amount),
    )


def invalidity(ctx: BranchContext) -> Benefit:
    need = ctx.param("nssf.invalidity.qualifying_months")
    months = ctx.months()
    under_60 = ctx.age() < ctx.param("nssf.old_age.pensionable_age")
    ctx.reason(~under_60, "age", "The invalidity pension is for incapacity before 60", ("KH-CONV-2021",))
    enough = months >= need
    ctx.reason(
        ~enough,
        "qualifying_period",
        "{have} contribution months: at least {need:g} required (reported, to confirm), not met",
        ctx.sources_of("nssf.invalidity.qualifying_months"),
        have=months,
        need=need,
    )
    ok = enough & under_60
    _residence(ctx, ok)
    return amount_unknown(
        ctx,
        ok,
        PENSION,
        "Invalidity pension for incapacity from illness or a non-work accident before 60; its formula is not "
        "established",
        ("KH-CONV-2021", "KH-PPP-2022", *ctx.sources_of("nssf.invalidity.qualifying_months")),
    )


def survivors(ctx: BranchContext) -> Benefit:
    need = ctx.param("nssf.survivors.qualifying_months")
    months = ctx.months().astype(np.float64)
    ok = months >= need
    _, _, pension = _accrued_pension(ctx, months)
    funeral = np.maximum(
        ctx.param("nssf.survivors.funeral_allowance_months") * pension,
        ctx.param("nssf.survivors.funeral_allowance_minimum"),
    )
    ctx.reason(
        ok,
        "pension",
        "{months:g} contribution months (at least {need:g}): survivors' pensions (spouse 50 %, children 50 % "
        "of the deceased's pension, reported) and a funeral allowance of {funeral} (5 months' pension, at "
        "least 2,000,000 riels)",
        ("KH-CONV-2021", "KH-AHXM", *ctx.sources_of("nssf.survivors.funeral_allowance_months")),
        months=months,
        need=need,
        funeral=funeral,
    )
    _residence(ctx, ok)
    amount_unknown(
        ctx,
        ok,
        PENSION,
        "The survivors' pension amount (shares of a pension whose reference wage is not established) is not "
        "established",
        ("KH-AHXM", "MSP-NOTES"),
    )
    ctx.reason(
        ~ok,
        "qualifying_period",
        "{months:g} contribution months, fewer than the {need:g} for survivors' pensions",
        ctx.sources_of("nssf.survivors.qualifying_months"),
        months=months,
        need=need,
    )
    amount_unknown(
        ctx,
        ~ok,
        LUMP_SUM,
        "A lump-sum survivors' allowance of at least one month of the deceased's pension is reported instead "
        "(not confirmed in a primary source); its amount is not established",
        ("KH-AHXM", "MSP-NOTES"),
    )
    return Benefit(
        entitled=np.ones(ctx.n, dtype=bool),
        kind=np.where(ok, PENSION, LUMP_SUM).astype(np.int64),
        amount=np.full(ctx.n, np.nan),
    )
