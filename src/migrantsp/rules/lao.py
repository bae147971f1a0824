"""Lao PDR: the National Social Security Fund's scheme for enterprise employees (LSSO), one fund for all
branches (1999 decree from 2001; Law on Social Security 2013, amended 2018).

Sources are the ids in knowledge/data/sources/LAO.yaml; parameters under parameters/LAO/. The knowledge base
establishes who is covered, the contribution band, the pension ages and qualifying periods and the survivors'
rates, but not the benefit formulas of the current law. Simplifications, each named in the reasons:
- Short-term benefits (care, sickness, maternity, work injury, unemployment) assume the contingency happens
  on the evaluation date, so the person must be in insured work that day; their qualifying periods are not
  established and are not applied, and their amounts are `amount_unknown`.
- Old age: pension at 60 (men) or 55 (women) with 180 contribution months (60 under the 1999 decree); the
  pension formula of the current law and the lump sum paid with fewer months are not established
  (`amount_unknown`). Nothing is known to be refunded on departure or paid abroad.
- Survivors: a spouse's 30 % and 20 % per child of the last insurable earnings (the last insured month's
  wage within the band), assuming a surviving spouse who meets the age and income conditions.
- Years worked abroad (e.g. in Thailand) count only where the spell records voluntary contributions to the
  fund (home_contributions), which the atlas records as open but not confirmed for migrants.
"""

from __future__ import annotations

import numpy as np

from migrantsp.engine.benefit import DAILY_ALLOWANCE, LUMP_SUM, PENSION, Benefit
from migrantsp.engine.context import BranchContext
from migrantsp.engine.timecols import Bools
from migrantsp.rules.common import amount_unknown, at_pensionable_age, at_work, in_kind, meets

CEILING = "nssf.contribution.wage_ceiling"
FLOOR = "nssf.contribution.wage_floor"
LAW = ("LA1", "LA-PP-2026")


def _at_work(ctx: BranchContext, what: str) -> Bools:
    return at_work(ctx, f"no {what} then", LAW)


def medical_care(ctx: BranchContext) -> Benefit:
    ok = _at_work(ctx, "insured employment")
    ctx.reason(
        ok,
        "in_kind",
        "Health care in Lao facilities for the insured employee (services and qualifying period not "
        "established; assumed met while insured)",
        ("LA-VT-NA", "MSP-NOTES"),
    )
    return in_kind(ctx, ok)


def sickness(ctx: BranchContext) -> Benefit:
    ok = _at_work(ctx, "earnings to replace")
    return amount_unknown(
        ctx,
        ok,
        DAILY_ALLOWANCE,
        "Sickness benefit of the fund; its rate, duration and qualifying period under the 2013/2018 law are "
        "not established",
        ("LA2", "MSP-NOTES"),
    )


def maternity(ctx: BranchContext) -> Benefit:
    women = ctx.female
    ctx.reason(~women, "insured_woman", "Maternity benefits are modelled for insured women", ("LA2",))
    ok = women & _at_work(ctx, "maternity leave to pay")
    return amount_unknown(
        ctx,
        ok,
        DAILY_ALLOWANCE,
        "Maternity benefit of the fund; its rate, duration and qualifying period under the 2013/2018 law are "
        "not established",
        ("LA2", "MSP-NOTES"),
    )


def unemployment(ctx: BranchContext) -> Benefit:
    ok = _at_work(ctx, "job to lose")
    return amount_unknown(
        ctx,
        ok,
        DAILY_ALLOWANCE,
        "Losing insured work on the evaluation date: the 2013/2018 law is reported to include an "
        "unemployment benefit (not confirmed in its text); contribution period, rate and duration are "
        "not established",
        ("LA-ISSA-2020", "MSP-NOTES"),
    )


def employment_injury(ctx: BranchContext) -> Benefit:
    ok = _at_work(ctx, "work injury")
    return amount_unknown(
        ctx,
        ok,
        DAILY_ALLOWANCE,
        "Injured at work on the evaluation date: the fund covers work injuries, but the temporary-incapacity "
        "rate is not established (permanent disability is graded in six categories from 80 % of the wage)",
        ("LA-VT-NA", "MSP-NOTES"),
    )


def invalidity(ctx: BranchContext) -> Benefit:
    ok = _at_work(ctx, "invalidity arising in insured employment")
    return amount_unknown(
        ctx,
        ok,
        PENSION,
        "Invalidity pension for a long-term inability to work arising while insured, graded in six "
        "categories (the first 80 % of the wage, 10 points less each); the contribution period required "
        "(assumed met) and the category are not established",
        ("LA2", "LA-VT-NA", "MSP-NOTES"),
    )


def old_age(ctx: BranchContext) -> Benefit:
    age = np.where(
        ctx.female,
        ctx.param("nssf.old_age.pensionable_age_women"),
        ctx.param("nssf.old_age.pensionable_age_men"),
    )
    ctx = at_pensionable_age(
        ctx, age, ctx.sources_of("nssf.old_age.pensionable_age_men", "nssf.old_age.pensionable_age_women")
    )
    need = ctx.param("nssf.old_age.qualifying_months")
    qualifies = meets(
        ctx,
        ctx.months(),
        need,
        "qualifying_period",
        "contribution months for a pension",
        ctx.sources_of("nssf.old_age.qualifying_months"),
    )
    amount_unknown(
        ctx,
        qualifies,
        PENSION,
        "Old-age pension (up to 75 % of earnings was reported in the 2018 debate); the formula of the "
        "current law is not established",
        ("LA5", "LA-VT-NA"),
    )
    amount_unknown(
        ctx,
        ~qualifies,
        LUMP_SUM,
        "Lump sum at pensionable age instead of a pension (the 1999 decree paid one to short careers); its "
        "amount under the current law is not established, nor any refund on leaving Laos",
        ("LA2", "MSP-NOTES"),
    )
    return Benefit(
        entitled=np.ones(ctx.n, dtype=bool),
        kind=np.where(qualifies, PENSION, LUMP_SUM).astype(np.int64),
        amount=np.full(ctx.n, np.nan),
    )


def survivors(ctx: BranchContext) -> Benefit:
    need = ctx.param("nssf.survivors.qualifying_months")
    ctx.reason(
        np.isnan(need),
        "conditions_unknown",
        "The survivors' conditions of the 1999 decree (deaths before 26 July 2013) are not in the knowledge "
        "base; no entitlement is stated",
        ("LA2", "MSP-NOTES"),
    )
    ok = meets(
        ctx,
        ctx.months(),
        need,
        "qualifying_period",
        "contribution months of the deceased",
        ctx.sources_of("nssf.survivors.qualifying_months"),
    )
    wage = ctx.average_wage(last_months=1, ceiling=CEILING, floor=FLOOR)
    spouse = ctx.param("nssf.survivors.spouse_rate")
    child = ctx.param("nssf.survivors.child_rate")
    amount = (spouse + child * ctx.children) * wage
    ctx.reason(
        ok,
        "pension",
        "Survivors' pensions on the last insurable earnings {wage}: spouse {spouse:.0%} (assuming a widow "
        "55+ or widower 60+ without regular income) + {child:.0%} for each of {kids} children under "
        "{limit} = {amount} a month; a death grant is also reported (amount not established)",
        ctx.sources_of("nssf.survivors.spouse_rate", "nssf.survivors.child_rate"),
        wage=wage,
        spouse=spouse,
        child=child,
        kids=ctx.children,
        limit=ctx.param("nssf.survivors.child_age_limit"),
        amount=amount,
    )
    return Benefit.of(ok, PENSION, amount)
