"""Malaysia: SOCSO (Act 4: Employment Injury and Invalidity Schemes), the Employment Insurance System
(Act 800), the Employees Provident Fund, SPIKPA hospitalisation insurance and the Employment Act 1955.

Sources are the ids in knowledge/data/sources/MYS.yaml; parameters under parameters/MYS/. Who is insured
when (foreign workers in SOCSO employment injury from 2019, domestic workers from June 2021, invalidity
from July 2024 if first covered before 55, EPF 2 % + 2 % from October 2025) is decided by the atlas
before these rules run. Simplifications, each also named in the reasons:
- EPF balances: contributions month by month, grown with the dividend declared for each year
  (monthly compounding of the annual rate); years without a declared dividend in the knowledge base grow
  at the guaranteed minimum. Contributions above 60 (lower rates) and temporary rate cuts are ignored.
  Voluntary contributions of Malaysians abroad are counted as insured months but not as money.
- SOCSO wages: the average insured wage (capped at the ceiling then in force) of the last 6 months for
  employment injury and of the last 24 months for invalidity, where the Act has its own wage tables.
- Employment Act leave: the ordinary rate of pay of a monthly wage; the pre-2023 RM2,000 wage limit,
  which a career file cannot test against manual work, is not applied.
- Invalidity grant, EIS allowances and survivors' pensions use parameters marked unverified.
"""

from __future__ import annotations

import numpy as np

from migrantsp.engine.benefit import GRANT, LUMP_SUM, PENSION, Benefit
from migrantsp.engine.context import BranchContext
from migrantsp.engine.timecols import (
    Bools,
    Days,
    Floats,
    Ints,
    add_months,
    month_index,
    month_start,
    split_at,
)
from migrantsp.rules.common import DAYS_PER_MONTH, at_work, daily, grant, in_kind, meets

SOCSO_CEILING = "socso.contribution.wage_ceiling"
EIS_CEILING = "eis.contribution.wage_ceiling"
DIVIDEND = "epf.old_age.dividend_rate"
MIN_DIVIDEND = "epf.old_age.minimum_dividend_rate"


def _at_work(ctx: BranchContext, what: str, sources: tuple[str, ...]) -> Bools:
    return at_work(ctx, what, sources)


# ---------------------------------------------------------------------------------------- medical care
def medical_care(ctx: BranchContext) -> Benefit:
    national = ctx.national
    ctx.reason(
        national,
        "in_kind",
        "Citizen: Ministry of Health hospitals and clinics at subsidised citizen rates (tax-funded)",
        ("MSP-NOTES", "MY-GE-SKHPPA"),
    )
    insured = ctx.insured_on_contingency()
    ctx.reason(
        ~national & ~insured,
        "not_working",
        "SPIKPA cover is tied to a current work pass and ceases outside Malaysia: no policy on the "
        "evaluation date",
        ("MY14", "MY-INTERGIG"),
    )
    limit = ctx.param("spikpa.medical_care.annual_limit")
    ctx.reason(
        ~national & insured,
        "in_kind",
        "SPIKPA (SKHPPA) insurance: in-patient and surgical care at Ministry of Health hospitals up to "
        "{limit} a year (no outpatient care); work injuries are treated free under SOCSO",
        (*ctx.sources_of("spikpa.medical_care.annual_limit"), "MY14", "MY-PERKESO-FW2019"),
        limit=limit,
    )
    return in_kind(ctx, national | insured)


# ---------------------------------------------------------------------------------------- sickness
def _service_months(ctx: BranchContext) -> Ints:
    """Months of service in the spell that is insured on the contingency date (0 if none)."""
    cov = ctx.coverage
    on = ctx.contingency[ctx.seg_row]
    hit = (cov.start <= on) & (cov.end >= on)
    start = ctx.batch.start[cov.spell]
    first = np.full(ctx.n, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, ctx.seg_row[hit], month_index(start[hit]))
    return np.where(first < np.iinfo(np.int64).max, month_index(ctx.contingency) - first, 0)


def sickness(ctx: BranchContext) -> Benefit:
    at_work = _at_work(ctx, "no employer owes sick leave", ("MY-LOPARTNERS-EA",))
    service = _service_months(ctx)
    days = np.where(
        service < 24,
        ctx.param("ea.sickness.sick_leave_days_under_2_years"),
        np.where(
            service <= 60,
            ctx.param("ea.sickness.sick_leave_days_2_to_5_years"),
            ctx.param("ea.sickness.sick_leave_days_over_5_years"),
        ),
    )
    divisor = ctx.param("ea.sickness.ordinary_rate_divisor")
    wage = ctx.average_wage(last_months=1)
    per_day = wage / divisor
    ctx.reason(
        at_work,
        "allowance",
        "Employer-paid sick leave (Employment Act s. 60F): the ordinary rate of pay, {wage} / {div:g} = "
        "{amount} a day, for {days:g} days a year after {service} months' service (plus up to {hosp:g} days "
        "in hospital)",
        ctx.sources_of(
            "ea.sickness.sick_leave_days_under_2_years",
            "ea.sickness.ordinary_rate_divisor",
            "ea.sickness.hospitalisation_leave_days",
        ),
        wage=wage,
        div=divisor,
        amount=per_day,
        days=days,
        service=service,
        hosp=ctx.param("ea.sickness.hospitalisation_leave_days"),
    )
    return daily(ctx, at_work, per_day)


# ---------------------------------------------------------------------------------------- unemployment
def unemployment(ctx: BranchContext) -> Benefit:
    window = int(np.nanmax(ctx.param("eis.unemployment.qualifying_window_months"), initial=24))
    ok = meets(
        ctx,
        ctx.months(window=window),
        ctx.param("eis.unemployment.qualifying_months"),
        "qualifying_period",
        f"EIS contribution months in the {window} months before the loss of employment",
        ctx.sources_of("eis.unemployment.qualifying_months", "eis.unemployment.qualifying_window_months"),
    )
    rate = ctx.param("eis.unemployment.job_search_allowance_rate")
    wage = ctx.average_wage(last_months=1, ceiling=EIS_CEILING)
    per_day = rate * wage / DAYS_PER_MONTH
    ctx.reason(
        ok,
        "allowance",
        "Job Search Allowance after an involuntary loss of employment: {rate:.0%} of the assumed monthly "
        "wage {wage} in the first month = {amount} a day (lower rates in later months, up to six months "
        "by contribution record); resignation or the end of a fixed-term contract gives nothing",
        (*ctx.sources_of("eis.unemployment.job_search_allowance_rate", EIS_CEILING), "MY-PERKESO-EMPLOYED"),
        rate=rate,
        wage=wage,
        amount=per_day,
    )
    return daily(ctx, ok, per_day)


# ---------------------------------------------------------------------------------------- old age (EPF)
def _growth_index(ctx: BranchContext, m_lo: int, m_hi: int) -> tuple[Floats, Floats]:
    """Over months m_lo..m_hi: cumulative log growth L and S = cumsum(exp(-L)), with each year's declared
    dividend (the guaranteed minimum for years the knowledge base has no dividend for)."""
    months = np.arange(m_lo, m_hi + 1, dtype=np.int64)
    first_of_year = month_start(months).astype("datetime64[Y]").astype("datetime64[D]")
    div = ctx.parameters[ctx._path(DIVIDEND)]
    last_declared = div.starts[np.isfinite(div.values)].max().astype("datetime64[Y]")
    declared = div.values_at(first_of_year)
    floor = ctx.parameters[ctx._path(MIN_DIVIDEND)].values[-1]
    known = np.isfinite(declared) & (first_of_year.astype("datetime64[Y]") <= last_declared)
    annual = np.where(known, declared, floor)
    log_g = np.log1p(annual) / 12.0
    cum = np.cumsum(log_g)
    return cum, np.cumsum(np.exp(-cum))


def _epf_rates(ctx: BranchContext, rows: Ints, wage: Floats, at: Days) -> Floats:
    """Monthly contribution (worker + employer) per piece: citizens' rates, the 2 % + 2 % of non-citizens
    from October 2025, or 11 % + RM5 for non-citizens who opted in before."""
    p = ctx.parameters

    def v(path: str) -> Floats:
        return np.nan_to_num(p[ctx._path(path)].values_at(at))

    low = wage <= v("epf.contribution.employer_low_wage_threshold")  # 0 before the split: 12 %
    employer = np.where(
        low, v("epf.contribution.employer_rate_low_wage"), v("epf.contribution.employer_rate")
    )
    citizen = wage * (v("epf.contribution.employee_rate") + employer)
    mandatory = p[ctx._path("epf.contribution.foreign_employee_rate")].values_at(at)
    foreign_mandatory = wage * (
        v("epf.contribution.foreign_employee_rate") + v("epf.contribution.foreign_employer_rate")
    )
    foreign_voluntary = wage * v("epf.contribution.employee_rate") + v(
        "epf.contribution.foreign_voluntary_employer_amount"
    )
    foreign = np.where(np.isfinite(mandatory), foreign_mandatory, foreign_voluntary)
    return np.asarray(np.where(ctx.national[rows], citizen, foreign), dtype=np.float64)


def _epf_balance(ctx: BranchContext) -> tuple[Floats, Bools]:
    """EPF balance on the contingency month and, per row, whether some months were paid from abroad."""
    cov = ctx.coverage
    here = ctx.batch.countries.index(ctx.country)
    row = ctx.seg_row
    valuation = month_index(ctx.contingency)
    m0, m1 = cov.start_month, np.minimum(cov.end_month, valuation[row])
    abroad = ctx.batch.country[cov.spell] != here
    from_abroad = np.bincount(row[abroad], minlength=ctx.n) > 0
    keep = ~abroad & (m1 >= m0)
    if not keep.any():
        return np.zeros(ctx.n, dtype=np.float64), from_abroad
    row, m0, m1, wage = row[keep], m0[keep], m1[keep], ctx.batch.wage[cov.spell[keep]]
    paths = [
        "epf.contribution.employee_rate",
        "epf.contribution.employer_rate",
        "epf.contribution.employer_rate_low_wage",
        "epf.contribution.employer_low_wage_threshold",
        "epf.contribution.foreign_employee_rate",
        "epf.contribution.foreign_employer_rate",
        "epf.contribution.foreign_voluntary_employer_amount",
    ]
    cuts = np.unique(np.concatenate([month_index(ctx.parameters[ctx._path(x)].starts) for x in paths]))
    idx, p0, p1 = split_at(m0, m1, cuts)
    row, wage = row[idx], wage[idx]
    per_month = _epf_rates(ctx, row, wage, month_start(p0))
    lo = min(0, int(p0.min()))  # from January 1900: the same sums whoever else is evaluated alongside
    cum, s = _growth_index(ctx, lo, int(valuation.max()))
    v = valuation[row] - lo
    before = np.where(p0 - lo - 1 >= 0, s[np.maximum(p0 - lo - 1, 0)], 0.0)
    value = per_month * np.exp(cum[v]) * (s[p1 - lo] - before)
    return np.bincount(row, weights=value, minlength=ctx.n).astype(np.float64), from_abroad


def old_age(ctx: BranchContext) -> Benefit:
    """EPF: a provident-fund balance, paid in full at 60, or when a foreign worker leaves Malaysia."""
    left = ~ctx.national & ~ctx.resident & ~ctx.insured_on_contingency()
    p_age = ctx.parameters[ctx._path("epf.old_age.full_withdrawal_age")]
    age = ctx.param("epf.old_age.full_withdrawal_age")
    age = np.where(np.isnan(age), p_age.values[0], age)  # before the series: its earliest recorded value
    at_60 = add_months(ctx.birth, np.round(age * 12).astype(np.int64))
    on = np.where(left, ctx.contingency, np.maximum(ctx.contingency, at_60))
    moved = ctx.at(on)
    moved.reason(
        left,
        "assessed_at",
        "Assessed on {on}: a non-citizen who has stopped working and left Malaysia withdraws the whole "
        "balance (Leaving the Country withdrawal)",
        ("MY-KWSP-LEAVING", "MY10"),
        on=on,
    )
    moved.reason(
        ~left,
        "assessed_at",
        "Assessed on {on}: the later of the evaluation date and age {age:g}, when the whole balance can be "
        "withdrawn (a foreign worker can also withdraw it on leaving Malaysia for good)",
        ctx.sources_of("epf.old_age.full_withdrawal_age"),
        on=on,
        age=age,
    )
    balance, from_abroad = _epf_balance(moved)
    moved.param(DIVIDEND)
    moved.reason(
        np.ones(moved.n, bool),
        "lump_sum",
        "EPF balance = worker's and employer's contributions (citizens 11 % + 12-13 %; non-citizens 2 % + "
        "2 % from October 2025, 11 % + RM5 a month for those who opted in before) grown with each year's "
        "declared dividend, the guaranteed minimum for years not yet declared = {amount}",
        ("MY10", "MY11", "MY-WCS-SLIDES", *ctx.sources_of(DIVIDEND, MIN_DIVIDEND)),
        amount=balance,
    )
    moved.reason(
        from_abroad,
        "abroad_not_counted",
        "Voluntary contributions paid from abroad count as membership months, but their amounts are not "
        "recorded in the career, so they are not in the balance",
        ("MSP-NOTES",),
    )
    return Benefit.of(moved.months() > 0, LUMP_SUM, balance)


# ---------------------------------------------------------------------------------------- employment injury
def employment_injury(ctx: BranchContext) -> Benefit:
    at_work = _at_work(
        ctx, "no work injury then; the Employment Injury Scheme needs no qualifying period", ("MY5",)
    )
    wage = ctx.average_wage(last_months=6, ceiling=SOCSO_CEILING)
    rate = ctx.param("socso.employment_injury.temporary_disablement_rate")
    minimum = ctx.param("socso.employment_injury.temporary_disablement_minimum")
    per_day = np.maximum(rate * wage / DAYS_PER_MONTH, minimum)
    ctx.reason(
        at_work,
        "compensation",
        "Injured at work on the evaluation date: temporary disablement benefit of {rate:.0%} of the assumed "
        "average daily wage ({wage} a month, capped, / 30), at least {min} = {amount} a day for certified "
        "leave of {wait:g} days or more; medical care free; permanent total disablement {ptd:.0%}",
        ctx.sources_of(
            "socso.employment_injury.temporary_disablement_rate",
            "socso.employment_injury.temporary_disablement_minimum",
            "socso.employment_injury.permanent_total_disablement_rate",
            SOCSO_CEILING,
        ),
        rate=rate,
        wage=wage,
        min=minimum,
        amount=per_day,
        wait=ctx.param("socso.employment_injury.temporary_disablement_waiting_days"),
        ptd=ctx.param("socso.employment_injury.permanent_total_disablement_rate"),
    )
    return daily(ctx, at_work, per_day)


# ---------------------------------------------------------------------------------------- maternity
def maternity(ctx: BranchContext) -> Benefit:
    women = ctx.female
    ctx.reason(
        ~women,
        "insured_woman",
        "Maternity allowance is for women employees (7 days' paternity leave from 2023 is not modelled)",
        ("MY-MYWAVE-EA",),
    )
    need_days = ctx.param("ea.maternity.qualifying_days")
    worked = meets(
        ctx,
        ctx.months(window=9) * DAYS_PER_MONTH,
        need_days,
        "qualifying_period",
        "days (months x 30) of work in the 9 months before confinement",
        ctx.sources_of("ea.maternity.qualifying_days"),
    )
    recent = ctx.months(window=4) > 0
    ctx.reason(
        ~recent,
        "qualifying_period",
        "No work for the employer in the 4 months before confinement",
        ("MY-LOPARTNERS-EA",),
    )
    cap = ctx.param("ea.maternity.max_surviving_children")
    few = ctx.children < cap
    ctx.reason(
        ~few,
        "children",
        "{kids} surviving children: no maternity allowance at {cap:g} or more (the leave remains)",
        ctx.sources_of("ea.maternity.max_surviving_children"),
        kids=ctx.children,
        cap=cap,
    )
    days = ctx.param("ea.maternity.leave_days")
    wage = ctx.average_wage(last_months=1)
    total = days * wage / DAYS_PER_MONTH
    eligible = women & worked & recent & few
    ctx.reason(
        eligible,
        "grant",
        "Employer-paid maternity allowance at the ordinary rate of pay for {days:g} days: the monthly wage "
        "{wage} continues, {wage} / 30 x {days:g} = {total}",
        ctx.sources_of("ea.maternity.leave_days"),
        days=days,
        wage=wage,
        total=total,
    )
    return grant(ctx, eligible, total)


# ---------------------------------------------------------------------------------------- invalidity
def _first_month(ctx: BranchContext) -> Ints:
    first = np.full(ctx.n, np.iinfo(np.int64).max, dtype=np.int64)
    if ctx.seg_row.size:
        np.minimum.at(first, ctx.seg_row, ctx.coverage.start_month)
    return first


def _qualifying(ctx: BranchContext, event: str) -> tuple[Bools, Bools, Ints]:
    """Act 4 s. 17: full qualifying period (24 of the last 40 months, or two thirds of the months since
    entry with 24 contributions) or reduced (a third of the months since entry, 24 contributions)."""
    months = ctx.months()
    need = ctx.param("socso.invalidity.qualifying_contribution_months")
    window = int(np.nanmax(ctx.param("socso.invalidity.qualifying_window_months"), initial=40))
    since_entry = np.maximum(month_index(ctx.contingency) - _first_month(ctx), 0)
    recent = ctx.months(window=window)
    share = ctx.param("socso.invalidity.qualifying_share_since_entry")
    reduced_share = ctx.param("socso.invalidity.reduced_qualifying_share_since_entry")
    full = (recent >= need) | ((months >= share * since_entry) & (months >= need))
    reduced = ~full & (months >= reduced_share * since_entry) & (months >= need)
    src = ctx.sources_of(
        "socso.invalidity.qualifying_contribution_months", "socso.invalidity.qualifying_window_months"
    )
    values = {"recent": recent, "window": window, "months": months, "since": since_entry, "need": need}
    ctx.reason(
        full,
        "qualifying_period",
        f"Full qualifying period met before the {event}: {{recent}} contributions in the last {{window}} "
        "months, {months} in the {since} months since entry (at least {need})",
        src,
        **values,
    )
    ctx.reason(
        reduced,
        "qualifying_period",
        f"Reduced qualifying period met before the {event}: {{months}} contributions, at least a third of "
        "the {since} months since entry and at least {need}",
        src,
        **values,
    )
    ctx.reason(
        ~full & ~reduced,
        "qualifying_period",
        f"Qualifying period not met before the {event}: {{recent}} contributions in the last {{window}} "
        "months and {months} in the {since} months since entry; at least {need} needed",
        src,
        **values,
    )
    return full, reduced, months


def _under_age_limit(ctx: BranchContext, event: str) -> Bools:
    limit = ctx.param("socso.invalidity.age_limit")
    young = ctx.age() < limit
    ctx.reason(
        ~young,
        "age",
        f"Aged {{age}} at the {event}: the Invalidity Scheme covers it only before {{limit:g}}",
        ctx.sources_of("socso.invalidity.age_limit"),
        age=ctx.age(),
        limit=limit,
    )
    return np.asarray(young, dtype=bool)


def _invalidity_pension(ctx: BranchContext, full: Bools, months: Ints) -> tuple[Floats, Floats, Floats]:
    wage = ctx.average_wage(last_months=24, ceiling=SOCSO_CEILING)
    need = ctx.param("socso.invalidity.qualifying_contribution_months")
    extra_years = np.maximum(months - need, 0) // 12
    rate = np.where(
        full,
        np.minimum(
            ctx.param("socso.invalidity.pension_rate_minimum")
            + ctx.param("socso.invalidity.accrual_per_year") * extra_years,
            ctx.param("socso.invalidity.pension_rate_maximum"),
        ),
        ctx.param("socso.invalidity.pension_rate_minimum"),
    )
    return rate * wage, rate, wage


def invalidity(ctx: BranchContext) -> Benefit:
    young = _under_age_limit(ctx, "invalidity notice")
    full, reduced, months = _qualifying(ctx, "invalidity notice")
    pension, rate, wage = _invalidity_pension(ctx, full, months)
    qualifies = young & (full | reduced)
    ctx.reason(
        qualifies,
        "pension",
        "Invalidity pension = {rate:.0%} of the average insured wage of the last 24 months {wage} (50 % + "
        "1 % per 12 contributions beyond 24, at most 65 %; 50 % on the reduced period) = {amount} a month",
        ctx.sources_of(
            "socso.invalidity.pension_rate_minimum",
            "socso.invalidity.accrual_per_year",
            "socso.invalidity.pension_rate_maximum",
        ),
        rate=rate,
        wage=wage,
        amount=pension,
    )
    grant_min = ctx.param("socso.invalidity.grant_minimum_contributions")
    grant_due = young & ~qualifies & (months >= grant_min)
    ctx.reason(
        young & ~qualifies & ~grant_due,
        "grant",
        "Fewer than {min:g} contributions: no invalidity grant either",
        ctx.sources_of("socso.invalidity.grant_minimum_contributions"),
        min=grant_min,
    )
    ctx.reason(
        grant_due,
        "amount_unknown",
        "Invalidity grant (a lump sum for an invalid person with {min:g} or more contributions who does not "
        "qualify for the pension): its amount is not in the knowledge base",
        (*ctx.sources_of("socso.invalidity.grant_minimum_contributions"), "MY16"),
        min=grant_min,
    )
    return Benefit(
        entitled=qualifies | grant_due,
        kind=np.where(qualifies, PENSION, LUMP_SUM).astype(np.int64),
        amount=np.where(qualifies, pension, np.nan).astype(np.float64),
    )


# ---------------------------------------------------------------------------------------- survivors
def survivors(ctx: BranchContext) -> Benefit:
    young = _under_age_limit(ctx, "death")
    full, reduced, months = _qualifying(ctx, "death")
    invalidity_pension, rate, wage = _invalidity_pension(ctx, full, months)
    share = ctx.param("socso.survivors.pension_share_of_invalidity_pension")
    pension = share * invalidity_pension
    qualifies = young & (full | reduced)
    funeral = ctx.param("socso.survivors.funeral_benefit")
    repatriation = ctx.param("socso.survivors.repatriation_maximum")
    foreign = ~ctx.national
    ctx.reason(
        qualifies,
        "pension",
        "Survivors' pension for the dependants (any cause of death) = the invalidity pension rate "
        "{rate:.0%} of {wage} = {amount} a month, shared among them; plus a funeral benefit of {funeral}",
        ctx.sources_of(
            "socso.survivors.pension_share_of_invalidity_pension",
            "socso.invalidity.pension_rate_minimum",
            "socso.survivors.funeral_benefit",
        ),
        rate=rate * share,
        wage=wage,
        amount=pension,
        funeral=funeral,
    )
    ctx.reason(
        qualifies & foreign,
        "repatriation",
        "Also repatriation of the body of a foreign worker, up to {max} on receipts",
        ctx.sources_of("socso.survivors.repatriation_maximum"),
        max=repatriation,
    )
    insured_now = ctx.insured_on_contingency()
    repat_only = ~qualifies & foreign & insured_now
    ctx.reason(
        repat_only,
        "repatriation",
        "No survivors' pension, but the body of a foreign worker insured on the date of death is repatriated "
        "at SOCSO's cost, up to {max} on receipts (the maximum is shown)",
        ctx.sources_of("socso.survivors.repatriation_maximum"),
        max=repatriation,
    )
    return Benefit(
        entitled=qualifies | repat_only,
        kind=np.where(qualifies, PENSION, GRANT).astype(np.int64),
        amount=np.where(qualifies, pension, repatriation).astype(np.float64),
    )
