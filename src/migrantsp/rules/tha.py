"""Thailand: Social Security Fund (s.33), Workmen's Compensation Fund, employer liability.

Sources are the ids in knowledge/data/sources/THA.yaml; parameters under parameters/THA/. Where the
law's rule is finer than a career file can tell (the best 3 of the last 9 months' wages), the
approximation is named in the reason.
"""

from __future__ import annotations

import numpy as np

from migrantsp.engine.benefit import GRANT, Benefit
from migrantsp.engine.context import BranchContext
from migrantsp.engine.timecols import Floats
from migrantsp.rules.common import (
    DAYS_PER_MONTH,
    at_pensionable_age,
    daily,
    grant,
    in_kind,
    meets,
    qualifying,
)

CEILING = "ssf.contribution.wage_ceiling"
FLOOR = "ssf.contribution.wage_floor"


def _daily_wage(ctx: BranchContext) -> Floats:
    """Average insured wage of the last 9 months, capped, per day (the Act takes the best 3 of those 9)."""
    return ctx.average_wage(last_months=9, ceiling=CEILING, floor=FLOOR) / DAYS_PER_MONTH


def medical_care(ctx: BranchContext) -> Benefit:
    ok = qualifying(ctx, "ssf.sickness.qualifying_months", 15, "treatment")
    ctx.reason(ok, "in_kind", "Treatment at the registered hospital, in Thailand", ("TH10",))
    return in_kind(ctx, ok)


def sickness(ctx: BranchContext) -> Benefit:
    ok = qualifying(ctx, "ssf.sickness.qualifying_months", 15, "the sickness")
    working = ctx.insured_on_contingency()
    ctx.reason(
        ~working,
        "not_working",
        "Not in insured work on the evaluation date: no earnings to replace",
        ("TH10",),
    )
    rate = ctx.param("ssf.sickness.allowance_rate")
    days = ctx.param("ssf.sickness.max_days_per_episode")
    paid_by_employer = ctx.param("lpa.sickness.employer_paid_sick_days")
    per_day = rate * _daily_wage(ctx)
    eligible = ok & working
    ctx.reason(
        eligible,
        "allowance",
        "{rate:.0%} of the average daily wage {wage} = {amount} a day, for up to {days} "
        "days per episode, once the employer's {emp} paid sick days are used",
        ctx.sources_of("ssf.sickness.allowance_rate", "lpa.sickness.employer_paid_sick_days"),
        rate=rate,
        wage=_daily_wage(ctx),
        amount=per_day,
        days=days,
        emp=paid_by_employer,
    )
    return daily(ctx, eligible, per_day)


def unemployment(ctx: BranchContext) -> Benefit:
    ok = qualifying(ctx, "ssf.unemployment.qualifying_months", 15, "unemployment")
    rate = ctx.param("ssf.unemployment.dismissal_rate")
    days = ctx.param("ssf.unemployment.dismissal_max_days")
    per_day = rate * _daily_wage(ctx)
    ctx.reason(
        ok,
        "allowance",
        "Laid off on the evaluation date: {rate:.0%} of the daily wage {wage} = {amount} a day "
        "for up to {days} days (30 % for 90 days after a resignation); paid into a Thai bank account",
        ctx.sources_of("ssf.unemployment.dismissal_rate", "ssf.unemployment.dismissal_max_days"),
        rate=rate,
        wage=_daily_wage(ctx),
        amount=per_day,
        days=days,
    )
    return daily(ctx, ok, per_day)


def old_age(ctx: BranchContext) -> Benefit:
    ctx = at_pensionable_age(ctx, "ssf.old_age.pensionable_age")
    months = ctx.months()
    need = ctx.param("ssf.old_age.qualifying_months")
    qualifies = meets(
        ctx,
        months,
        need,
        "qualifying_period",
        "contribution months for a pension",
        ctx.sources_of("ssf.old_age.qualifying_months"),
    )
    n_ref = int(np.nanmax(ctx.param("ssf.old_age.reference_wage_months"), initial=60))
    wage = ctx.average_wage(last_months=n_ref, ceiling=CEILING, floor=FLOOR)
    extra_years = np.maximum(months - need, 0) // 12
    rate = (
        ctx.param("ssf.old_age.base_accrual_rate") + ctx.param("ssf.old_age.extra_accrual_rate") * extra_years
    )
    pension = rate * wage
    ctx.reason(
        qualifies,
        "pension",
        "Pension = {rate:.1%} of {wage}, the average insured wage of the last {n} months "
        "(20 % for 180 months + 1.5 % per further 12 months) = {amount} a month",
        ctx.sources_of("ssf.old_age.base_accrual_rate", "ssf.old_age.extra_accrual_rate"),
        rate=rate,
        wage=wage,
        n=n_ref,
        amount=pension,
    )
    share = ctx.param("ssf.old_age.contribution_rate")
    own = ctx.contributions("ssf.old_age.contribution_rate", ceiling=CEILING, floor=FLOOR)
    both = ctx.param("ssf.old_age.lump_sum_employer_share_min_months") <= months
    lump = np.where(both, 2 * own, own)
    ctx.reason(
        ~qualifies & both,
        "lump_sum",
        "Lump sum: the worker's and the employer's old-age contributions "
        "({share:.0%} of insured wages each) = {amount}; the Fund's interest is not included (its rate is "
        "not in the knowledge base)",
        ctx.sources_of("ssf.old_age.lump_sum_employer_share_min_months", "ssf.old_age.contribution_rate"),
        share=share,
        amount=lump,
    )
    ctx.reason(
        ~qualifies & ~both,
        "lump_sum",
        "Lump sum: the worker's own old-age contributions ({share:.0%} of "
        "insured wages) = {amount}, fewer than 12 contribution months",
        ctx.sources_of("ssf.old_age.lump_sum_employer_share_min_months", "ssf.old_age.contribution_rate"),
        share=share,
        amount=lump,
    )
    return Benefit.pension_or_lump_sum(qualifies, pension, lump)


def employment_injury(ctx: BranchContext) -> Benefit:
    at_work = ctx.insured_on_contingency()
    ctx.reason(
        ~at_work,
        "not_at_work",
        "No insured work on the evaluation date, so no work injury then; the WCF needs no qualifying period",
        ("TH8",),
    )
    rate = ctx.param("wcf.employment_injury.periodic_rate")
    ceiling = ctx.param("wcf.contribution.earnings_ceiling") / 12
    wage = np.minimum(ctx.average_wage(last_months=3), ceiling)
    per_day = rate * wage / DAYS_PER_MONTH
    ctx.reason(
        at_work,
        "compensation",
        "Injured at work on the evaluation date: {rate:.0%} of the monthly wage "
        "{wage} (capped at {cap} a month) = {amount} a day while unable to work; medical costs paid in full",
        ctx.sources_of("wcf.employment_injury.periodic_rate", "wcf.contribution.earnings_ceiling"),
        rate=rate,
        wage=wage,
        cap=ceiling,
        amount=per_day,
    )
    return daily(ctx, at_work, per_day)


def family(ctx: BranchContext) -> Benefit:
    ok = qualifying(ctx, "ssf.family.qualifying_months", 36, "the claim")
    per_child = ctx.param("ssf.family.child_allowance")
    cap = ctx.param("ssf.family.max_children")
    age_limit = ctx.param("ssf.family.child_age_limit")
    listed = ctx.children > 0
    young = np.zeros(ctx.n, dtype=np.int64)
    for a in np.unique(age_limit[~np.isnan(age_limit)]):
        young = np.where(age_limit == a, ctx.children_under(float(a)), young)
    kids = np.where(listed, np.minimum(young, cap), 1)
    amount = per_child * kids
    src = ctx.sources_of("ssf.family.child_allowance", "ssf.family.child_age_limit")
    ctx.reason(
        ok & ~listed,
        "per_child",
        "{amount} a month for one child under {age} (no children are listed in the career; up to {cap})",
        src,
        amount=per_child,
        age=age_limit,
        cap=cap,
    )
    ctx.reason(
        ok & listed,
        "per_child",
        "{per} a month for each of {kids} children under {age} on the date (at most {cap}) = {amount}",
        src,
        per=per_child,
        kids=kids,
        age=age_limit,
        cap=cap,
        amount=amount,
    )
    ok = ok & (kids > 0)
    return Benefit.monthly_allowance(ok, amount)


def maternity(ctx: BranchContext) -> Benefit:
    ok = qualifying(ctx, "ssf.maternity.qualifying_months", 15, "childbirth")
    women = ctx.female
    ctx.reason(
        ~women,
        "insured_woman",
        "Maternity cash benefits are modelled for insured women; the grant for an "
        "insured man's wife is not modelled",
        ctx.sources_of("ssf.maternity.childbirth_grant"),
    )
    grant_ = ctx.param("ssf.maternity.childbirth_grant")
    days = ctx.param("ssf.maternity.allowance_days")
    allowance = ctx.param("ssf.maternity.allowance_rate") * _daily_wage(ctx) * days
    total = grant_ + allowance
    eligible = ok & women
    ctx.reason(
        eligible,
        "grant",
        "Childbirth grant {grant} + maternity allowance {rate:.0%} of the daily wage for "
        "{days} days ({allowance}) = {total}",
        ctx.sources_of("ssf.maternity.childbirth_grant", "ssf.maternity.allowance_rate"),
        grant=grant_,
        rate=ctx.param("ssf.maternity.allowance_rate"),
        days=days,
        allowance=allowance,
        total=total,
    )
    return grant(ctx, eligible, total)


def invalidity(ctx: BranchContext) -> Benefit:
    ok = qualifying(ctx, "ssf.invalidity.qualifying_months", 15, "the invalidity")
    rate = ctx.param("ssf.invalidity.benefit_rate")
    wage = ctx.average_wage(last_months=9, ceiling=CEILING, floor=FLOOR)
    pension = rate * wage
    ctx.reason(
        ok,
        "pension",
        "{rate:.0%} of the insured wage {wage} = {amount} a month, for life",
        ctx.sources_of("ssf.invalidity.benefit_rate"),
        rate=rate,
        wage=wage,
        amount=pension,
    )
    return Benefit.of(ok, 0, pension)


def survivors(ctx: BranchContext) -> Benefit:
    ok = qualifying(ctx, "ssf.survivors.qualifying_months", 6, "death")
    months = ctx.months()
    wage = ctx.average_wage(last_months=3, ceiling=CEILING, floor=FLOOR)
    grant_months = np.where(
        months >= 120,
        ctx.param("ssf.survivors.death_grant_months_120_plus"),
        np.where(months >= 36, ctx.param("ssf.survivors.death_grant_months_36_to_119"), 0.0),
    )
    funeral = ctx.param("ssf.survivors.funeral_grant")
    total = funeral + grant_months * wage
    ctx.reason(
        ok,
        "grant",
        "Funeral grant {funeral} + death grant of {m:g} months' wages ({wage} a month) after "
        "{months} contribution months = {total}",
        ctx.sources_of("ssf.survivors.funeral_grant", "ssf.survivors.death_grant_months_120_plus"),
        funeral=funeral,
        m=grant_months,
        wage=wage,
        months=months,
        total=total,
    )
    return Benefit.of(ok, GRANT, total)
