"""Indonesia: BPJS Ketenagakerjaan (JKK, JKM, JHT, JP, JKP), JKN health insurance, employer-paid sick pay and
maternity leave, and the social security of Indonesian migrant workers abroad (PMI).

Sources are the ids in knowledge/data/sources/IDN.yaml; parameters under parameters/IDN/. The atlas decides
who is insured: foreigners working in Indonesia for at least six months are in JKN, JKK, JKM and JHT (not JP,
not JKP); Indonesians abroad are in JKK and JKM (and optionally JHT) when the career records contributions
paid at home. Simplifications, each named in the reasons:
- JHT and JP balances are contributions without BPJS Ketenagakerjaan's yearly returns (the declared rates
  are not in the knowledge base), so they understate what is paid;
- JHT savings of migrant workers abroad (flat contributions of the worker's choice) are not computed;
- the JP pension uses the average capped wage, without the revaluation of past wages and without the JP
  minimum and maximum pensions; JP is assumed for every Indonesian employee in Indonesia (it is not
  compulsory in micro and small enterprises, which a career file does not tell);
- Jamsostek periods before BPJS Ketenagakerjaan (July 2015) are not modelled (the atlas starts then);
- the JP disability and survivors' pensions, and JKK and JKM benefits for migrant workers abroad, are not
  computed (amounts not in the knowledge base);
- monthly wages become daily amounts by dividing by 30.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from migrantsp.engine.benefit import DAILY_ALLOWANCE, GRANT, LUMP_SUM, PENSION, Benefit
from migrantsp.engine.context import BranchContext
from migrantsp.engine.coverage import SchemeCoverage
from migrantsp.engine.timecols import Bools, Floats, Ints, add_months
from migrantsp.rules.common import DAYS_PER_MONTH, amount_unknown, at_pensionable_age, grant, in_kind, meets

JHT_RATES = ("bpjstk.contribution.jht_employee_rate", "bpjstk.contribution.jht_employer_rate")
JP_RATES = ("bpjstk.contribution.jp_employee_rate", "bpjstk.contribution.jp_employer_rate")
JP_CEILING = "bpjstk.contribution.jp_wage_ceiling"
JKM = (
    "bpjstk.survivors.jkm_lump_sum",
    "bpjstk.survivors.jkm_periodic_total",
    "bpjstk.survivors.jkm_funeral_grant",
)


# ---------------------------------------------------------------------------------------------- helpers
def _home_pieces(ctx: BranchContext) -> Bools:
    """Insured pieces worked in Indonesia (or posted from it), as opposed to work abroad (PMI)."""
    code = ctx.batch.countries.index(ctx.country)
    spell = ctx.coverage.spell
    return np.asarray((ctx.batch.country[spell] == code) | (ctx.batch.posted_from[spell] == code), dtype=bool)


def _only(ctx: BranchContext, keep: Bools) -> BranchContext:
    """The same rows with only some insured pieces (own insured months, no coordination credits)."""
    cov = ctx.coverage
    sub = SchemeCoverage(
        spell=cov.spell[keep],
        start=cov.start[keep],
        end=cov.end[keep],
        uncovered_spell=cov.uncovered_spell,
        uncovered_why=cov.uncovered_why,
        whys=cov.whys,
    )
    return replace(
        ctx, coverage=sub, seg_row=ctx.seg_row[keep], credited_override=None, window_extra=(), _cache={}
    )


def _split(ctx: BranchContext) -> tuple[BranchContext, BranchContext]:
    home = _home_pieces(ctx)
    return _only(ctx, home), _only(ctx, ~home)


def _sum_contributions(ctx: BranchContext, rates: tuple[str, ...], ceiling: str | None = None) -> Floats:
    total = np.zeros(ctx.n)
    for rate in rates:
        total = total + ctx.contributions(rate, ceiling=ceiling)
    return total


def _jht(ctx: BranchContext) -> Floats:
    """JHT contributions (worker 2 % + employer 3.7 %, no wage ceiling), before BPJS returns."""
    return _sum_contributions(ctx, JHT_RATES)


def _jp_age(ctx: BranchContext) -> Floats:
    """JP pension age in force when the person reaches it (it rises one year every three years)."""
    p = ctx.parameters[f"{ctx.country}.bpjstk.old_age.jp_pension_age"]
    age = p.values_at(ctx.contingency)
    age = np.where(np.isnan(age), p.values[0], age)
    for _ in range(8):  # a fixed point: the age in force on the day it is reached (settles in 1-3 rounds)
        reached = add_months(ctx.birth, np.round(age * 12).astype(np.int64))
        new = p.values_at(np.maximum(ctx.contingency, reached))
        new = np.where(np.isnan(new), p.values[0], new)
        if np.array_equal(new, age):
            break
        age = new
    return np.asarray(age, dtype=np.float64)


def _count(ctx: BranchContext, pieces: Bools) -> Ints:
    return np.bincount(ctx.seg_row[pieces], minlength=ctx.n)


# ---------------------------------------------------------------------------------------------- branches
def medical_care(ctx: BranchContext) -> Benefit:
    home, _ = _split(ctx)
    active = home.insured_on_contingency()
    ctx.reason(
        active,
        "in_kind",
        "JKN member as a wage earner on the evaluation date: health services at BPJS-contracted facilities "
        "in Indonesia (contribution 5 % of wages up to the ceiling, 4 % employer and 1 % worker)",
        (*ctx.sources_of("jkn.contribution.employer_rate", "jkn.contribution.wage_ceiling"), "ID-JAMSOS-TKA"),
    )
    ctx.reason(
        ~active,
        "not_working",
        "Not in insured work in Indonesia on the evaluation date: membership as a wage earner ends with the "
        "job (cover as a non-wage earner or subsidised member is not modelled)",
        ("ID-JAMSOS-TKA", "MSP-NOTES"),
    )
    return in_kind(ctx, active)


def sickness(ctx: BranchContext) -> Benefit:
    home, _ = _split(ctx)
    working = home.insured_on_contingency()
    ctx.reason(
        ~working,
        "not_working",
        "Not employed in Indonesia on the evaluation date: sick pay is owed by the employer during "
        "employment",
        ("MSP-NOTES",),
    )
    rate = ctx.param("employer.sickness.first_period_rate")
    months = ctx.param("employer.sickness.period_months")
    per_day = rate * home.average_wage(last_months=1) / DAYS_PER_MONTH
    ctx.reason(
        working,
        "allowance",
        "Certified sickness: the employer continues the wage, {rate:.0%} of the monthly wage / 30 = {amount} "
        "a day for the first {m:g} months, then 75 %, 50 % and 25 % in further {m:g}-month steps "
        "(Law 13/2003 art. 93); JKK pays instead when the sickness is work-related",
        ctx.sources_of("employer.sickness.first_period_rate", "employer.sickness.period_months"),
        rate=rate,
        amount=per_day,
        m=months,
    )
    return Benefit.of(working, DAILY_ALLOWANCE, per_day)


def unemployment(ctx: BranchContext) -> Benefit:
    """JKP, for Indonesian citizens only (the atlas leaves foreigners out)."""
    ok = meets(
        ctx,
        ctx.months(window=24),
        ctx.param("bpjstk.unemployment.jkp_qualifying_months"),
        "qualifying_period",
        "contribution months in the 24 months before the job loss",
        ctx.sources_of("bpjstk.unemployment.jkp_qualifying_months"),
    )
    wage = ctx.average_wage(last_months=1, ceiling="bpjstk.unemployment.jkp_wage_ceiling")
    rate = ctx.param("bpjstk.unemployment.jkp_replacement_rate")
    n = ctx.param("bpjstk.unemployment.jkp_benefit_months")
    per_day = rate * wage / DAYS_PER_MONTH
    ctx.reason(
        ok & ~np.isnan(rate),
        "allowance",
        "Dismissed on the evaluation date (assumed): {rate:.0%} of the last wage {wage} (capped at {cap}) "
        "= {month} a month for {n:g} months, i.e. {amount} a day; also job information and training",
        ctx.sources_of("bpjstk.unemployment.jkp_replacement_rate", "bpjstk.unemployment.jkp_wage_ceiling"),
        rate=rate,
        wage=wage,
        cap=ctx.param("bpjstk.unemployment.jkp_wage_ceiling"),
        month=rate * wage,
        n=n,
        amount=per_day,
    )
    ctx.reason(
        ok & np.isnan(rate),
        "amount_unknown",
        "Before PP 6/2025 the JKP cash benefit rates (reported as 45 % for 3 months then 25 %) are not "
        "confirmed in the knowledge base: amount not computed",
        ("ID-LEGLOBAL-2025", "MSP-NOTES"),
    )
    return Benefit.of(ok, DAILY_ALLOWANCE, per_day)


def old_age(ctx: BranchContext) -> Benefit:
    jp_member = ctx.national & (_count(ctx, _home_pieces(ctx)) > 0)
    age = np.where(jp_member, _jp_age(ctx), ctx.param("bpjstk.old_age.jht_payment_age"))
    ctx = at_pensionable_age(
        ctx, age, ctx.sources_of("bpjstk.old_age.jp_pension_age", "bpjstk.old_age.jht_payment_age")
    )
    home, abroad = _split(ctx)
    abroad_months = abroad.months()
    jht = _jht(home)
    jp_months = np.where(jp_member, home.months(), 0)
    need = ctx.param("bpjstk.old_age.jp_qualifying_months")
    qualifies = jp_member & (jp_months >= need)
    wage = home.average_wage(ceiling=JP_CEILING)
    accrual = ctx.param("bpjstk.old_age.jp_accrual_rate")
    pension = accrual * jp_months / 12 * wage
    jp_lump = np.where(jp_member, _sum_contributions(home, JP_RATES, ceiling=JP_CEILING), 0.0)
    ctx.reason(
        jp_member,
        "qualifying_period",
        "{have} JP contribution months: at least {need} required for a monthly pension, "
        + "otherwise a lump sum",
        ctx.sources_of("bpjstk.old_age.jp_qualifying_months"),
        have=jp_months,
        need=need,
    )
    ctx.reason(
        qualifies,
        "pension",
        "JP pension = {acc:.0%} x {years:.2f} years x the average wage {wage} (capped at the JP ceiling; "
        "past wages not revalued, JP minimum and maximum not applied) = {amount} a month; the JHT balance "
        "{jht} (before returns) is paid in addition as a lump sum",
        ctx.sources_of("bpjstk.old_age.jp_accrual_rate", JP_CEILING, *JHT_RATES),
        acc=accrual,
        years=jp_months / 12,
        wage=wage,
        amount=pension,
        jht=jht,
    )
    lump = jht + jp_lump
    ctx.reason(
        jp_member & ~qualifies,
        "lump_sum",
        "JP contributions (3 % of capped wages) {jp} + JHT balance (5.7 % of wages) {jht} = {lump}, paid as "
        "lump sums; BPJS Ketenagakerjaan's returns are not included (rates not in the knowledge base)",
        (*ctx.sources_of(*JP_RATES, *JHT_RATES), "ID-BPJSTK-JHT"),
        jp=jp_lump,
        jht=jht,
        lump=lump,
    )
    ctx.reason(
        ~ctx.national & (jht > 0),
        "lump_sum",
        "Foreign participant: JHT savings only (JP does not apply to foreigners): 2 % + 3.7 % of wages = "
        "{jht} before returns; paid at 56, after resignation, or in full on leaving Indonesia for good",
        (*ctx.sources_of(*JHT_RATES), "ID-PMK-4-2022", "ID-JAMSOS-TKA"),
        jht=jht,
    )
    unknown = ~qualifies & (abroad_months > 0)
    amount_unknown(
        ctx,
        unknown,
        LUMP_SUM,
        "Includes JHT savings as a migrant worker abroad (optional flat contributions chosen by the worker, "
        "Permenaker 4/2023), whose amounts a career file does not record: total not computed "
        "(any JHT and JP from work in Indonesia is stated above)",
        ("ID8", "ID9"),
    )
    return Benefit(
        entitled=qualifies | (lump > 0) | unknown,
        kind=np.where(qualifies, PENSION, LUMP_SUM).astype(np.int64),
        amount=np.where(qualifies, pension, np.where(unknown, np.nan, lump)).astype(np.float64),
    )


def employment_injury(ctx: BranchContext) -> Benefit:
    home, _ = _split(ctx)
    at_work = ctx.insured_on_contingency()
    at_home = home.insured_on_contingency()
    ctx.reason(
        ~at_work,
        "not_at_work",
        "No insured work on the evaluation date, so no work accident then; JKK has no qualifying period",
        ("ID-ILO-GIMI-WI",),
    )
    rate = ctx.param("bpjstk.employment_injury.temporary_incapacity_rate")
    full = ctx.param("bpjstk.employment_injury.temporary_incapacity_full_pay_months")
    wage = home.average_wage(last_months=1)
    per_day = rate * wage / DAYS_PER_MONTH
    ctx.reason(
        at_home,
        "compensation",
        "Work accident on the evaluation date: medical care until recovery, and while unable to work "
        "{rate:.0%} of the last monthly wage {wage} / 30 = {amount} a day for the first {full:g} months "
        "(less afterwards); disability and death lump sums are not computed",
        (
            *ctx.sources_of(
                "bpjstk.employment_injury.temporary_incapacity_rate",
                "bpjstk.employment_injury.temporary_incapacity_full_pay_months",
            ),
            "ID-ATLAS-ID",
        ),
        rate=rate,
        wage=wage,
        amount=per_day,
        full=full,
    )
    abroad = at_work & ~at_home
    amount_unknown(
        ctx,
        abroad,
        DAILY_ALLOWANCE,
        "Migrant worker abroad insured through home contributions: JKK covers the accident (medical care, "
        "cash benefits under Permenaker 4/2023), but the benefit table for migrant workers is not in the "
        "knowledge base",
        ("ID8", "ID9"),
    )
    return Benefit.of(at_work, DAILY_ALLOWANCE, np.where(at_home, per_day, np.nan))


def maternity(ctx: BranchContext) -> Benefit:
    home, _ = _split(ctx)
    women = ctx.female
    ctx.reason(
        ~women,
        "insured_woman",
        "Maternity leave is modelled for working mothers (the father's leave is not modelled)",
        ("ID-MAKARIM-KIA",),
    )
    working = home.insured_on_contingency()
    ctx.reason(
        women & ~working,
        "not_working",
        "Not employed in Indonesia on the evaluation date: maternity pay is owed by the employer",
        ("ID-CHAMBERS-KIA",),
    )
    months = ctx.param("employer.maternity.leave_months_min")
    wage = home.average_wage(last_months=1)
    total = months * wage
    eligible = women & working
    ctx.reason(
        eligible,
        "grant",
        "Maternity leave of {m:g} months at full wages ({wage} a month), paid by the employer = {total}; "
        "since Law 4/2024 up to 3 more months with a doctor's certificate (full pay to the 4th month, "
        "75 % for the 5th and 6th); delivery care through JKN for its members",
        ctx.sources_of("employer.maternity.leave_months_min", "employer.maternity.full_pay_months"),
        m=months,
        wage=wage,
        total=total,
    )
    return grant(ctx, eligible, total)


def invalidity(ctx: BranchContext) -> Benefit:
    home, abroad = _split(ctx)
    home_months = home.months()
    jht = _jht(home)
    jp_member = ctx.national & (home_months > 0)
    ctx.reason(
        ~jp_member & (home_months > 0),
        "lump_sum",
        "Total permanent disability (not work-related): the JHT balance, 2 % + 3.7 % of wages = {jht} before "
        "returns, is paid at once; foreigners have no JP disability pension, and work-related disability "
        "falls under JKK",
        (*ctx.sources_of(*JHT_RATES), "ID-BPJSTK-JHT", "ID-JAMSOS-TKA"),
        jht=jht,
    )
    amount_unknown(
        ctx,
        jp_member,
        PENSION,
        "Indonesian JP participant: a JP disability pension, whose conditions and amount are not in the "
        "knowledge base; the JHT balance is also paid on total permanent disability",
        ("ID-ATLAS-ID", "MSP-NOTES"),
    )
    only_abroad = (home_months == 0) & (abroad.months() > 0)
    amount_unknown(
        ctx,
        only_abroad,
        LUMP_SUM,
        "Migrant worker abroad: JKK covers only work-related disability; the optional JHT savings (flat "
        "contributions, not recorded in a career file) would be paid: amount not computed",
        ("ID8", "ID9"),
    )
    entitled = jp_member | only_abroad | (jht > 0)
    kind = np.where(jp_member, PENSION, LUMP_SUM).astype(np.int64)
    amount = np.where(jp_member | only_abroad, np.nan, jht)
    return Benefit(entitled=entitled, kind=kind, amount=amount.astype(np.float64))


def survivors(ctx: BranchContext) -> Benefit:
    home, _ = _split(ctx)
    active = ctx.insured_on_contingency()
    at_home = home.insured_on_contingency()
    lump, periodic, funeral = (ctx.param(p) for p in JKM)
    jkm = lump + periodic + funeral
    jht = _jht(home)
    ctx.reason(
        at_home,
        "grant",
        "Death of an active participant (not work-related): JKM lump sum {lump} + periodic benefit paid at "
        "once {periodic} + funeral costs {funeral} = {jkm}, plus the JHT balance {jht} (before returns) to "
        "the heirs = {total}; the JKM scholarship for children (after 3 years of membership) and, for "
        "Indonesian JP participants, the JP survivors' pension are not computed",
        ctx.sources_of(*JKM, *JHT_RATES),
        lump=lump,
        periodic=periodic,
        funeral=funeral,
        jkm=jkm,
        jht=jht,
        total=jkm + jht,
    )
    inactive = ~active & (jht > 0)
    ctx.reason(
        inactive,
        "grant",
        "Not an active participant on the evaluation date, so no JKM; the heirs receive the JHT balance "
        "{jht} (before returns) if it was not paid out earlier",
        (*ctx.sources_of(*JHT_RATES), "ID-BPJSTK-JHT"),
        jht=jht,
    )
    ctx.reason(
        ~active & (jht == 0),
        "not_active",
        "Not an active participant on the evaluation date: JKM is not due",
        ("ID-SSPTW-2012",),
    )
    abroad = active & ~at_home
    amount_unknown(
        ctx,
        abroad,
        GRANT,
        "Migrant worker abroad insured through home contributions: JKM is due, but its benefit table for "
        "migrant workers (Permenaker 4/2023) is not in the knowledge base",
        ("ID8", "ID9"),
    )
    amount = np.where(at_home, jkm + jht, np.where(abroad, np.nan, jht))
    return Benefit.of(at_home | abroad | inactive, GRANT, amount)
