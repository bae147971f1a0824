"""Brunei Darussalam: SPK (which replaced TAP and SCP on 15 July 2023), employer liability under the
Workmen's Compensation Act (Cap. 74) and the Employment Order 2009, the Maternity Leave Order 2011 and
tax-funded health care.

Sources are the ids in knowledge/data/sources/BRN.yaml; parameters under parameters/BRN/. Foreign workers
are outside SPK/TAP/SCP, the universal pensions and free public health care (the atlas decides that before
these rules run), so for them only employer-paid sick and maternity leave and workmen's compensation
remain. Simplifications, each also named in the reasons:
- Daily pay is the monthly wage / 30; the Employment Order's own rate of pay for a day was not read.
- Qualifying service for sick and maternity leave was not established: being in work on the date is
  required, nothing more.
- Workmen's compensation amounts (s. 8) and the SPK annuity, invalidity and dependants' formulas are not in
  the knowledge base: those benefits are reported with an unknown amount and the known floors are stated.
"""

from __future__ import annotations

import numpy as np

from migrantsp.domain import ACTIVITY_ORDER, Activity
from migrantsp.engine.benefit import DAILY_ALLOWANCE, LUMP_SUM, PENSION, Benefit
from migrantsp.engine.context import BranchContext
from migrantsp.engine.timecols import Bools
from migrantsp.rules.common import (
    DAYS_PER_MONTH,
    amount_unknown,
    at_pensionable_age,
    at_work,
    daily,
    grant,
    in_kind,
)

SPK_START = np.datetime64("2023-07-15")


def _at_work(ctx: BranchContext, what: str, sources: tuple[str, ...]) -> Bools:
    return at_work(ctx, what, sources)


def medical_care(ctx: BranchContext) -> Benefit:
    everyone = np.ones(ctx.n, dtype=bool)
    ctx.reason(
        everyone,
        "in_kind",
        "Citizen: treatment at government health facilities, free apart from a B$1 registration fee",
        ("BN-SCOOP-2025-HEALTH",),
    )
    return in_kind(ctx, everyone)


def sickness(ctx: BranchContext) -> Benefit:
    at_work = _at_work(ctx, "no employer owes sick leave", ("BN-RIVERMATE",))
    wage = ctx.average_wage(last_months=1)
    per_day = wage / DAYS_PER_MONTH
    ctx.reason(
        at_work,
        "allowance",
        "Employer-paid sick leave (Employment Order 2009): full pay, {wage} / 30 = {amount} a day, for "
        "{days:g} days a year plus up to {hosp:g} days in hospital, on a medical certificate (qualifying "
        "service not established)",
        ("BN-RIVERMATE", "BN-DOL-GUIDE"),
        wage=wage,
        amount=per_day,
        days=ctx.param("eo.sickness.paid_sick_leave_days"),
        hosp=ctx.param("eo.sickness.hospitalisation_leave_days"),
    )
    return daily(ctx, at_work, per_day)


def old_age(ctx: BranchContext) -> Benefit:
    """SPK for citizens and permanent residents: annuity from 60 out of the retirement account."""
    on = np.maximum(ctx.contingency, SPK_START)
    ctx = at_pensionable_age(
        ctx, ctx.param("spk.old_age.annuity_age", on=on), ctx.sources_of("spk.old_age.annuity_age")
    )
    everyone = np.ones(ctx.n, dtype=bool)
    return amount_unknown(
        ctx,
        everyone,
        PENSION,
        "SPK lifetime annuity from the pooled retirement account (employer 8.5-10.5 %), at least B$250 a "
        "month for a citizen, and the member account (8.5 %) paid out at 60; TAP and SCP balances were "
        "carried into SPK. The annuity formula and the fund's returns are not in the knowledge base. "
        "A resident citizen also gets the universal old-age pension (B$250 a month, tax-funded)",
        (
            *ctx.sources_of("spk.old_age.minimum_annuity_citizen", "spk.contribution.employee_rate"),
            "BN-TAP-STRUCTURE",
            *ctx.sources_of("oadp.old_age.pension_amount"),
        ),
    )


def employment_injury(ctx: BranchContext) -> Benefit:
    at_work = _at_work(ctx, "no work accident then", ("BN7",))
    threshold = ctx.param("wca.employment_injury.non_manual_wage_threshold")
    wage = ctx.average_wage(last_months=1)
    ctx.reason(
        at_work & (wage > threshold),
        "workman",
        "Wage {wage} above {cap}: a 'workman' only if the work is manual, which the career does not say",
        ctx.sources_of("wca.employment_injury.non_manual_wage_threshold"),
        wage=wage,
        cap=threshold,
    )
    domestic = np.zeros(ctx.n, dtype=bool)
    is_domestic = ctx.batch.activity[ctx.coverage.spell] == ACTIVITY_ORDER.index(Activity.domestic_worker)
    rows = ctx.seg_row[is_domestic]
    domestic[rows] = True
    ctx.reason(
        at_work & domestic,
        "workman",
        "Whether a domestic worker is a 'workman' under Cap. 74 was not established",
        ("MSP-NOTES",),
    )
    return amount_unknown(
        ctx,
        at_work,
        DAILY_ALLOWANCE,
        "Injured at work on the evaluation date: the employer owes compensation under the Workmen's "
        "Compensation Act (periodic payments while temporarily incapacitated, lump sums for permanent "
        "incapacity or death); the amounts (s. 8) were not read",
        ("BN7", "BN8"),
    )


def maternity(ctx: BranchContext) -> Benefit:
    women = ctx.female
    ctx.reason(~women, "insured_woman", "Maternity leave is for women employees", ("BN-BT-2011-MAT",))
    at_work = _at_work(ctx, "no employer owes maternity pay", ("BN-BT-2011-MAT",))
    employer_weeks = ctx.param("eo.maternity.paid_leave_weeks")
    reimbursed = ctx.param("mlr.maternity.government_reimbursed_weeks")
    national = ctx.national
    weeks = np.where(national, employer_weeks + reimbursed, employer_weeks)
    wage = ctx.average_wage(last_months=1)
    total = weeks * 7 * wage / DAYS_PER_MONTH
    eligible = women & at_work
    ctx.reason(
        eligible & national,
        "grant",
        "Citizen (Maternity Leave Order 2011): 15 weeks' leave, {emp:g} weeks paid by the employer and "
        "{gov:g} more it reclaims from the government, the last 2 unpaid: {wage} / 30 x {days:g} days = "
        "{total}",
        ctx.sources_of("mlr.maternity.leave_days", "mlr.maternity.government_reimbursed_weeks"),
        emp=employer_weeks,
        gov=reimbursed,
        wage=wage,
        days=weeks * 7,
        total=total,
    )
    ctx.reason(
        eligible & ~national,
        "grant",
        "Foreign worker (Employment Order 2009): {emp:g} weeks' paid maternity leave plus one unpaid: "
        "{wage} / 30 x {days:g} days = {total}",
        ctx.sources_of("eo.maternity.paid_leave_weeks"),
        emp=employer_weeks,
        wage=wage,
        days=weeks * 7,
        total=total,
    )
    return grant(ctx, eligible, total)


def invalidity(ctx: BranchContext) -> Benefit:
    everyone = np.ones(ctx.n, dtype=bool)
    return amount_unknown(
        ctx,
        everyone,
        LUMP_SUM,
        "A member certified incapacitated for employment withdraws the provident-fund balance (TAP, now "
        "SPK, whose detailed invalidity rules were not read); the balance with the fund's returns is not "
        "in the knowledge base. The tax-funded disability allowance is not modelled",
        ("BN1", "BN-TAP-SCHEME", "BN5"),
    )


def survivors(ctx: BranchContext) -> Benefit:
    everyone = np.ones(ctx.n, dtype=bool)
    return amount_unknown(
        ctx,
        everyone,
        LUMP_SUM,
        "The next of kin receive the member's balance (TAP), and SPK pays dependants' benefits; the "
        "amounts are not in the knowledge base",
        ("BN1", "BN5", "BN6"),
    )
