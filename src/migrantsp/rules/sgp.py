"""Singapore: CPF (citizens and PRs), WICA, employer-paid foreign worker medical insurance, Employment Act
leave, Child Development Co-Savings Act (GPML, Baby Bonus) and SkillsFuture Jobseeker Support.

Sources are the ids in knowledge/data/sources/SGP.yaml; parameters under parameters/SGP/. The atlas decides
who is insured: foreign employees are outside the CPF (1995 exemption order, voluntary contributions closed
in 2003), inside WICA except domestic workers, and insured for inpatient care by their employer (Work Permit
and S Pass). Simplifications, each named in the reasons:
- a career file does not say whether a national is a citizen or a PR, nor whether a foreigner holds an
  Employment Pass or a Work Permit / S Pass: nationals are treated as citizens, foreigners as Work Permit or
  S Pass holders (Employment Pass holders have no compulsory medical insurance);
- a child is assumed to be a Singapore citizen when the mother is a national, and not otherwise;
- daily rates are monthly pay / 30 (the Employment Act's gross rate of pay per working day is higher:
  working days a week are not in a career file); a week is 12/52 of a month;
- CPF balances, CPF LIFE payouts and CPF withdrawals are not computed: CPF interest rates, the Retirement
  Sums, CPF LIFE plans and contribution rates before 2023 are not in the knowledge base (amount null);
- WICA lump sums for death and permanent incapacity need the age-factor table (not in the knowledge base):
  the employment-injury row reports the medical-leave wages of an injury on the evaluation date.
"""

from __future__ import annotations

import numpy as np

from migrantsp.engine.benefit import DAILY_ALLOWANCE, GRANT, LUMP_SUM, PENSION, Benefit
from migrantsp.engine.context import BranchContext
from migrantsp.engine.timecols import Bools, Floats, Ints
from migrantsp.rules.common import (
    DAYS_PER_MONTH,
    amount_unknown,
    at_pensionable_age,
    daily,
    grant,
    in_kind,
    meets,
)

WEEKS_PER_MONTH = 52.0 / 12.0
DAYS_PER_AVERAGE_MONTH = 365.25 / 12.0
CPF_SOURCES = ("SG2", "SG-MOM-CPF-2023")


# ---------------------------------------------------------------------------------------------- helpers
def _service_months(ctx: BranchContext) -> Ints:
    """Completed months of service in the job held on the evaluation date (0 when not in insured work)."""
    cov = ctx.coverage
    on = ctx.contingency[ctx.seg_row]
    hit = (cov.start <= on) & (cov.end >= on)
    began = ctx.batch.start[cov.spell]
    served = ((on - began).astype(np.int64) / DAYS_PER_AVERAGE_MONTH).astype(np.int64)
    out = np.zeros(ctx.n, dtype=np.int64)
    np.maximum.at(out, ctx.seg_row[hit], served[hit])
    return out


def _monthly_pay(ctx: BranchContext) -> Floats:
    """Gross monthly pay in the last insured month."""
    return ctx.average_wage(last_months=1)


def _unknown_if_nan(ctx: BranchContext, eligible: Bools, amount: Floats, what: str) -> None:
    ctx.reason(
        eligible & np.isnan(amount),
        "amount_unknown",
        f"{what} cannot be computed on this date: a parameter it needs has no value then",
        (),
    )


# ---------------------------------------------------------------------------------------------- branches
def medical_care(ctx: BranchContext) -> Benefit:
    nat = ctx.national
    working = ctx.insured_on_contingency()
    ctx.reason(
        nat,
        "in_kind",
        "Citizen (assumed; PRs alike): MediSave savings and MediShield Life cover hospital bills, "
        "whether or not the person works",
        ("SG9", "SG-CNA-2023-CPF"),
    )
    ctx.reason(
        ~nat & ~working,
        "not_working",
        "The employer's medical insurance is a condition of the work pass and ends with the job; "
        "foreign workers are outside MediShield Life",
        ("SG7", "SG9"),
    )
    limit = ctx.param("fwmi.medical_care.min_annual_claim_limit")
    ctx.reason(
        ~nat & working,
        "in_kind",
        "Work Permit or S Pass holder (assumed): the employer must insure inpatient and day-surgery care "
        "for at least {limit} a year, at no cost to the worker for work-related care (a co-payment of at "
        "most 10 % of monthly pay for up to 6 months is allowed otherwise); Employment Pass holders have "
        "no such cover",
        ctx.sources_of(
            "fwmi.medical_care.min_annual_claim_limit", "fwmi.medical_care.max_worker_copay_share"
        ),
        limit=limit,
    )
    return in_kind(ctx, nat | working)


def sickness(ctx: BranchContext) -> Benefit:
    served = _service_months(ctx)
    ok = meets(
        ctx,
        served,
        ctx.param("ea.sickness.qualifying_months"),
        "qualifying_period",
        "completed months of service with the current employer on the evaluation date",
        ctx.sources_of("ea.sickness.qualifying_months"),
    )
    pay = _monthly_pay(ctx) / DAYS_PER_MONTH
    ctx.reason(
        ok,
        "allowance",
        "Paid sick leave at the gross rate of pay, about {pay} a day (monthly pay / 30): {days:g} days of "
        "outpatient sick leave a year, {hosp:g} including hospitalisation, after 6 months' service "
        "(5 and 15 days at 3 months, 3 and 15 more for each further month); paid by the employer",
        (
            *ctx.sources_of(
                "ea.sickness.outpatient_sick_leave_days", "ea.sickness.hospitalisation_leave_days"
            ),
            "SG-MOM-SICK",
        ),
        pay=pay,
        days=ctx.param("ea.sickness.outpatient_sick_leave_days"),
        hosp=ctx.param("ea.sickness.hospitalisation_leave_days"),
    )
    return daily(ctx, ok, pay)


def unemployment(ctx: BranchContext) -> Benefit:
    """SkillsFuture Jobseeker Support: tax-funded payouts for citizens (the atlas leaves foreigners out)."""
    adult = meets(
        ctx,
        ctx.age(),
        ctx.param("jss.unemployment.min_age"),
        "age",
        "years of age on the evaluation date",
        ctx.sources_of("jss.unemployment.min_age"),
    )
    worked = meets(
        ctx,
        ctx.months(window=12),
        ctx.param("jss.unemployment.qualifying_months"),
        "qualifying_period",
        "months of work in the 12 months before (months since the scheme began on 15 April 2025 only)",
        ctx.sources_of("jss.unemployment.qualifying_months"),
    )
    income = ctx.average_wage(last_months=12)
    ceiling = ctx.param("jss.unemployment.max_average_income")
    low = income <= ceiling
    ctx.reason(
        ~low,
        "income_limit",
        "Average monthly income {income} is above the {ceiling} limit",
        ctx.sources_of("jss.unemployment.max_average_income"),
        income=income,
        ceiling=ceiling,
    )
    ok = adult & worked & low
    first = ctx.param("jss.unemployment.first_month_payout")
    step = ctx.param("jss.unemployment.monthly_step_down")
    floor = ctx.param("jss.unemployment.min_monthly_payout")
    n_months = int(np.nanmax(ctx.param("jss.unemployment.max_months"), initial=6))
    k = np.arange(n_months, dtype=np.float64)[None, :]
    schedule = np.maximum(first[:, None] - step[:, None] * k, floor[:, None])
    total = np.minimum(schedule, income[:, None]).sum(axis=1)
    ctx.reason(
        ok,
        "grant",
        "Involuntarily unemployed on the evaluation date (assumed): payouts of {first}, then {step} less "
        "each month down to {floor}, over {n} months, each capped at the previous average monthly income "
        "{income} = {total} in all (at most {cap}), conditional on job-search activities; the residence "
        "annual value test is not modelled",
        ctx.sources_of("jss.unemployment.first_month_payout", "jss.unemployment.max_total_payout"),
        first=first,
        step=step,
        floor=floor,
        n=n_months,
        income=income,
        total=total,
        cap=ctx.param("jss.unemployment.max_total_payout"),
    )
    return grant(ctx, ok, total)


def _cpf_rate_known_from(ctx: BranchContext) -> np.datetime64:
    return np.datetime64(ctx.parameters["SGP.cpf.contribution.employee_rate"].starts[0], "D")


def old_age(ctx: BranchContext) -> Benefit:
    ctx = at_pensionable_age(ctx, "cpf.old_age.payout_eligibility_age")
    nat = ctx.national
    months = ctx.months()
    ctx.reason(
        nat,
        "pension",
        "{months} months in the CPF. From the payout eligibility age, CPF LIFE (or the Retirement Sum "
        "Scheme) pays a monthly income from the Retirement Account; savings above the Full Retirement Sum "
        "can be withdrawn from 55",
        (*ctx.sources_of("cpf.old_age.payout_eligibility_age"), "SG-CPF-RATES-2026"),
        months=months,
    )
    first_piece = np.full(ctx.n, np.iinfo(np.int64).max)
    np.minimum.at(first_piece, ctx.seg_row, ctx.coverage.start.astype(np.int64))
    known = first_piece >= _cpf_rate_known_from(ctx).astype(np.int64)
    paid = ctx.contributions(
        "cpf.contribution.employee_rate", ceiling="cpf.contribution.ordinary_wage_ceiling"
    ) + ctx.contributions("cpf.contribution.employer_rate", ceiling="cpf.contribution.ordinary_wage_ceiling")
    ctx.reason(
        nat & known,
        "contributions",
        "Contributions credited: 20 % (employee) + 17 % (employer) of monthly wages up to the Ordinary Wage "
        "ceiling = {paid}, before interest (rates for members aged 55 and below)",
        ctx.sources_of("cpf.contribution.employee_rate", "cpf.contribution.ordinary_wage_ceiling"),
        paid=paid,
    )
    out = amount_unknown(
        ctx,
        nat,
        PENSION,
        "The monthly payout is not computed: it depends on CPF interest rates, the Retirement Sums and the "
        "CPF LIFE plan, none of which is in the knowledge base (nor contribution rates before 2023)",
        ("SG-CPF-RATES-2026", "MSP-NOTES"),
    )
    foreign = ~nat
    lump = amount_unknown(
        ctx,
        foreign,
        LUMP_SUM,
        "CPF months as a foreign employee (before the 1995 exemption, or voluntary until 2003): the savings "
        "are the member's and are paid out when a non-citizen leaves Singapore for good or when "
        "non-residents' participation ends (CPF Amendment Bill 2023); the balance is not computed "
        "(historical contribution and interest rates are not in the knowledge base)",
        (*CPF_SOURCES, "MSP-NOTES"),
    )
    return Benefit(
        entitled=out.entitled | lump.entitled,
        kind=np.where(nat, PENSION, LUMP_SUM).astype(np.int64),
        amount=np.full(ctx.n, np.nan),
    )


def employment_injury(ctx: BranchContext) -> Benefit:
    at_work = ctx.insured_on_contingency()
    ctx.reason(
        ~at_work,
        "not_at_work",
        "No insured work on the evaluation date, so no work injury then; WICA needs no qualifying period",
        ("SG-MOM-WICA-COVERED",),
    )
    ame = ctx.average_wage(last_months=12)
    full_days = ctx.param("wica.employment_injury.medical_leave_full_pay_days")
    later = ctx.param("wica.employment_injury.medical_leave_later_rate")
    per_day = ame / DAYS_PER_MONTH * np.where(np.isnan(full_days), np.nan, 1.0)
    ctx.reason(
        at_work,
        "compensation",
        "Injured at work on the evaluation date: medical-leave wages of the average monthly earnings {ame} "
        "(last 12 months) / 30 = {amount} a day for the first {full:g} days, then {later:.0%} ({rest} a day) "
        "up to one year from the accident; medical expenses paid up to {med}; no fault or contribution "
        "conditions, whatever the worker's nationality",
        (
            *ctx.sources_of(
                "wica.employment_injury.medical_leave_full_pay_days",
                "wica.employment_injury.medical_leave_later_rate",
                "wica.employment_injury.medical_expenses_cap",
            ),
            "SG-MOM-WICA-COVERED",
        ),
        ame=ame,
        amount=per_day,
        full=full_days,
        later=later,
        rest=later * per_day,
        med=ctx.param("wica.employment_injury.medical_expenses_cap"),
    )
    ctx.reason(
        at_work,
        "lump_sums",
        "If the injury leaves permanent incapacity or kills: a lump sum of the average monthly earnings x an "
        "age factor, between {imin} and {imax} (total incapacity, +25 %) or {dmin} and {dmax} (death); the "
        "age-factor table is not in the knowledge base, so these are not computed",
        ctx.sources_of(
            "wica.employment_injury.permanent_incapacity_max", "wica.employment_injury.death_compensation_max"
        ),
        imin=ctx.param("wica.employment_injury.permanent_incapacity_min"),
        imax=ctx.param("wica.employment_injury.permanent_incapacity_max"),
        dmin=ctx.param("wica.employment_injury.death_compensation_min"),
        dmax=ctx.param("wica.employment_injury.death_compensation_max"),
    )
    _unknown_if_nan(ctx, at_work, per_day, "The medical-leave wage")
    return Benefit.of(at_work, DAILY_ALLOWANCE, per_day)


def family(ctx: BranchContext) -> Benefit:
    nat = ctx.national
    ctx.reason(
        ~nat,
        "citizen_child",
        "Child Development Co-Savings Act benefits need a Singapore citizen child; a foreign worker's child "
        "is assumed not to be one",
        ("SG-MOM-MATLEAVE",),
    )
    return amount_unknown(
        ctx,
        nat,
        GRANT,
        "Parent of a Singapore citizen child (assumed): Baby Bonus cash gift and Child Development Account "
        "co-savings; their amounts are not in the knowledge base",
        ("SG-MOM-MATLEAVE", "MSP-NOTES"),
    )


def maternity(ctx: BranchContext) -> Benefit:
    women = ctx.female
    ctx.reason(
        ~women,
        "insured_woman",
        "Maternity leave is modelled for working mothers; paternity leave is not modelled",
        ("SG-MOM-MATLEAVE",),
    )
    served = _service_months(ctx)
    ok = meets(
        ctx,
        served,
        ctx.param("ea.maternity.qualifying_months"),
        "qualifying_period",
        "completed months of service with the current employer before the birth (the evaluation date)",
        ctx.sources_of("ea.maternity.qualifying_months"),
    )
    nat = ctx.national
    weekly = _monthly_pay(ctx) / WEEKS_PER_MONTH
    first_two = ctx.children < 2
    emp_weeks = np.where(first_two, ctx.param("ea.maternity.employer_paid_weeks"), 0.0)
    # Citizen child: Government-Paid Maternity Leave, the government's weeks capped per 4 weeks.
    gov_weeks = ctx.param("cdca.maternity.gpml_weeks") - emp_weeks
    cap = ctx.param("cdca.maternity.gpml_reimbursement_cap_per_4_weeks") / 4
    gpml = emp_weeks * weekly + gov_weeks * np.minimum(weekly, cap)
    ctx.reason(
        women & ok & nat,
        "grant",
        "Citizen child (assumed): {total_w:g} weeks of Government-Paid Maternity Leave; {emp:g} weeks paid "
        "by the employer ({weekly} a week) and {gov:g} by the Government, capped at {cap} a week "
        "(S$10,000 per 4 weeks) = {amount} (earlier living children: {kids})",
        ctx.sources_of("cdca.maternity.gpml_weeks", "cdca.maternity.gpml_reimbursement_cap_per_4_weeks"),
        total_w=ctx.param("cdca.maternity.gpml_weeks"),
        emp=emp_weeks,
        weekly=weekly,
        gov=gov_weeks,
        cap=cap,
        amount=gpml,
        kids=ctx.children,
    )
    # Non-citizen child: Employment Act, 12 weeks, the first 8 paid by the employer for the first two.
    ea = emp_weeks * weekly
    ctx.reason(
        women & ok & ~nat & first_two,
        "grant",
        "Child not a Singapore citizen (assumed for a foreign mother): {leave:g} weeks of Employment Act "
        "maternity leave, the first {emp:g} paid by the employer at {weekly} a week = {amount}; the rest "
        "unpaid",
        ctx.sources_of("ea.maternity.leave_weeks", "ea.maternity.employer_paid_weeks"),
        leave=ctx.param("ea.maternity.leave_weeks"),
        emp=emp_weeks,
        weekly=weekly,
        amount=ea,
    )
    ctx.reason(
        women & ok & ~nat & ~first_two,
        "unpaid",
        "Two or more living children already: the 12 weeks of Employment Act leave are unpaid",
        ctx.sources_of("ea.maternity.employer_paid_weeks"),
    )
    eligible = women & ok & (nat | first_two)
    amount = np.where(nat, gpml, ea)
    _unknown_if_nan(ctx, eligible, amount, "The maternity pay")
    return grant(ctx, eligible, amount)


def _foreigners_outside_cpf(ctx: BranchContext) -> Bools:
    nat = ctx.national
    ctx.reason(~nat, "cpf_nationality", "Non-residents are outside the CPF and its schemes", CPF_SOURCES)
    return nat


def invalidity(ctx: BranchContext) -> Benefit:
    nat = _foreigners_outside_cpf(ctx)
    return amount_unknown(
        ctx,
        nat,
        LUMP_SUM,
        "CPF member (citizen assumed): savings can be withdrawn on permanent incapacity, and long-term "
        "disability insurance (CareShield Life or ElderShield) may pay monthly; the balance and payouts are "
        "not computed (CPF interest and historical rates are not in the knowledge base)",
        ("MSP-NOTES",),
    )


def survivors(ctx: BranchContext) -> Benefit:
    nat = _foreigners_outside_cpf(ctx)
    return amount_unknown(
        ctx,
        nat,
        GRANT,
        "CPF member (citizen assumed): the savings pass to the nominees, and the Dependants' Protection "
        "Scheme (opt-out term insurance) pays a sum assured; neither is computed (balances, interest and the "
        "sum assured are not in the knowledge base). Work-related deaths: see employment injury (WICA)",
        ("MSP-NOTES",),
    )
