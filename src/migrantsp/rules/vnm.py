"""Viet Nam: compulsory social insurance (LOSI 2014, LOSI 2024 from 1 Jul 2025; Decree 143/2018 for foreign
employees), unemployment insurance (Law on Employment) and health insurance.

Sources are the ids in knowledge/data/sources/VNM.yaml; parameters under parameters/VNM/.

Insured wage: the spell's wage capped at 20 times the base wage. Vietnamese working abroad under contract
(home contributions) are insured on their last insured wage before departure, or on 2 times the base wage
if never insured in Viet Nam (LOSI 2014 art. 85). Simplifications, named in the reasons: the pension's
average wage is not revalued; years of contributions are counted in completed years for the pension rate and
in months / 12 for lump sums (the law's half-year rounding is not applied); the minimum pension, the cap of
the unemployment allowance (5 times the regional minimum wage) and incapacity-based amounts are not modelled.
For dates before a parameter's first recorded value (most start in 2016), that first value is used.
"""

from __future__ import annotations

from dataclasses import dataclass

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
from migrantsp.rules.common import (
    DAYS_PER_MONTH,
    amount_unknown,
    at_pensionable_age,
    daily,
    grant,
    in_kind,
    meets,
    param_from_first,
)

BASE = "si.base_wage"
CEILING = "si.contribution.wage_ceiling_multiple"
ABROAD = "si.contribution.abroad_base_wage_multiple"
JAN_2014 = int(month_index(np.array(["2014-01-01"], dtype="datetime64[D]"))[0])


def _p(ctx: BranchContext, path: str, on: Days | None = None) -> Floats:
    return param_from_first(ctx, path, on)


@dataclass(frozen=True)
class _Wages:
    """Insured pieces (row, first and last month) with their insured monthly wage."""

    row: Ints
    m0: Ints
    m1: Ints
    wage: Floats


def _wages(ctx: BranchContext) -> _Wages:
    cov = ctx.coverage
    last = month_index(ctx.contingency)[ctx.seg_row]
    m0, m1 = cov.start_month, np.minimum(cov.end_month, last)
    keep = m1 >= m0
    spell, row, m0, m1 = cov.spell[keep], ctx.seg_row[keep], m0[keep], m1[keep]
    base, mult = ctx.parameters[f"VNM.{BASE}"], ctx.parameters[f"VNM.{CEILING}"]
    abroad_mult = ctx.parameters[f"VNM.{ABROAD}"]
    idx, p0, p1 = split_at(m0, m1, np.unique(month_index(base.starts)))
    spell, row = spell[idx], row[idx]
    at = month_start(p0)
    base_at = base.values_at(at)
    home = ctx.batch.country[spell] == ctx.batch.countries.index("VNM")
    capped = np.fmin(ctx.batch.wage[spell], mult.values_at(at) * base_at)
    # Abroad: the last insured wage in Viet Nam before the piece, else a multiple of the base wage.
    pos = np.arange(row.size)
    in_order = (row[1:] > row[:-1]) | ((row[1:] == row[:-1]) & (p0[1:] >= p0[:-1]))
    order = pos if in_order.all() else np.lexsort((p0, row))  # usually in order already
    last_home = np.maximum.accumulate(np.where(home[order], pos, -1)) if order.size else pos
    found = (last_home >= 0) & (row[order][np.maximum(last_home, 0)] == row[order])
    before = np.where(found, capped[order][np.maximum(last_home, 0)], np.nan)
    pre_departure = np.empty(order.size)
    pre_departure[order] = before
    fallback = np.nan_to_num(abroad_mult.values_at(at)) * base_at
    wage = np.where(home, capped, np.where(np.isnan(pre_departure), fallback, pre_departure))
    return _Wages(row=row, m0=p0, m1=p1, wage=np.nan_to_num(wage))


def _of_rows(w: _Wages, keep: Bools) -> _Wages:
    """The wages of some rows, renumbered as `BranchContext.subset(keep)` renumbers them."""
    sel = keep[w.row]
    new_row = np.cumsum(keep) - 1
    return _Wages(row=new_row[w.row[sel]], m0=w.m0[sel], m1=w.m1[sel], wage=w.wage[sel])


def _average(ctx: BranchContext, w: _Wages, last_months: int | None = None) -> Floats:
    """Average insured wage over all months, or over the `last_months` ending with the last insured month."""
    m0 = w.m0
    if last_months is not None and w.row.size:
        last = np.full(ctx.n, -1, dtype=np.int64)
        np.maximum.at(last, w.row, w.m1)
        m0 = np.maximum(m0, last[w.row] - last_months + 1)
    n = np.maximum(w.m1 - m0 + 1, 0).astype(np.float64)
    total = np.bincount(w.row, weights=n * w.wage, minlength=ctx.n)
    months = np.bincount(w.row, weights=n, minlength=ctx.n)
    return np.asarray(np.where(months > 0, total / np.maximum(months, 1), 0.0), dtype=np.float64)


def _split_2014(ctx: BranchContext, w: _Wages) -> tuple[Floats, Floats]:
    """Contribution months before 2014 and from 2014 (coordination's extra months count as from 2014)."""
    before = np.maximum(np.minimum(w.m1, JAN_2014 - 1) - w.m0 + 1, 0).astype(np.float64)
    b = np.bincount(w.row, weights=before, minlength=ctx.n)
    a = ctx.months() - b
    return np.asarray(b, dtype=np.float64), np.asarray(a, dtype=np.float64)


def _lump_sum(ctx: BranchContext, w: _Wages, what: str) -> Floats:
    """One-time payment: 1.5 months of the average insured wage per year before 2014, 2 months from 2014."""
    avg = _average(ctx, w)
    before, after = _split_2014(ctx, w)
    k0 = _p(ctx, "si.old_age.lump_sum_months_per_year_before_2014")
    k1 = _p(ctx, "si.old_age.lump_sum_months_per_year_from_2014")
    amount = (k0 * before / 12 + k1 * after / 12) * avg
    ctx.reason(
        np.ones(ctx.n, dtype=bool),
        "lump_sum",
        what + ": {k0:g} months of the average insured wage {avg} per year of contributions before 2014 "
        "({b:g} months) and {k1:g} months per year from 2014 ({a:g} months) = {amount} (years counted as "
        "months / 12; wages not revalued)",
        ctx.sources_of("si.old_age.lump_sum_months_per_year_before_2014"),
        k0=k0,
        k1=k1,
        avg=avg,
        b=before,
        a=after,
        amount=amount,
    )
    return np.asarray(amount, dtype=np.float64)


def _pensionable_age(ctx: BranchContext) -> Floats:
    """Pensionable age by sex, read in the year the person reaches it (the schedule rises every year)."""
    path = np.where(ctx.female, 1, 0)
    first = np.where(
        path == 1, _p(ctx, "si.old_age.pensionable_age_women"), _p(ctx, "si.old_age.pensionable_age_men")
    )
    reached = add_months(ctx.birth, np.round(first * 12).astype(np.int64))
    on = np.maximum(ctx.contingency, reached)
    return np.asarray(
        np.where(
            path == 1,
            _p(ctx, "si.old_age.pensionable_age_women", on=on),
            _p(ctx, "si.old_age.pensionable_age_men", on=on),
        ),
        dtype=np.float64,
    )


def medical_care(ctx: BranchContext) -> Benefit:
    ok = ctx.insured_on_contingency()
    ctx.reason(
        ~ok,
        "card",
        "Not contributing on the evaluation date: the health insurance card runs with the contributions",
        ("VN7",),
    )
    ctx.reason(ok, "in_kind", "Medical care in kind at the registered facility in Viet Nam", ("VN7",))
    return in_kind(ctx, ok)


def sickness(ctx: BranchContext) -> Benefit:
    working = ctx.insured_on_contingency()
    ctx.reason(
        ~working,
        "not_working",
        "Not insured on the evaluation date: the sickness allowance replaces the wage of insured employees",
        ("VN-VSS-BENEFITS",),
    )
    w = _wages(ctx)
    wage = _average(ctx, w, last_months=1)
    rate = _p(ctx, "si.sickness.max_benefit_rate")
    days = _p(ctx, "si.sickness.working_days_per_month")
    per_day = rate * wage / days
    ctx.reason(
        working,
        "allowance",
        "{rate:.0%} of the insured wage of the last month {wage} / {days:g} working days = {amount} a day, "
        "for {lo:g} to {hi:g} days a year by contribution period and working conditions (long-term illness: "
        "up to {long:g} days)",
        ctx.sources_of("si.sickness.max_benefit_rate", "si.sickness.working_days_per_month"),
        rate=rate,
        wage=wage,
        days=days,
        amount=per_day,
        lo=_p(ctx, "si.sickness.min_days_per_year"),
        hi=_p(ctx, "si.sickness.max_days_per_year"),
        long=_p(ctx, "si.sickness.long_term_illness_days"),
    )
    return daily(ctx, working, per_day)


def maternity(ctx: BranchContext) -> Benefit:
    ok = meets(
        ctx,
        ctx.months(window=12),
        _p(ctx, "si.maternity.qualifying_months"),
        "qualifying_period",
        "contribution months in the 12 months before childbirth",
        ctx.sources_of("si.maternity.qualifying_months"),
    )
    women = ctx.female
    ctx.reason(
        ~women,
        "insured_woman",
        "Maternity benefits are modelled for insured women; fathers' paternity days are not",
        ("VN-VSS-BENEFITS",),
    )
    w = _wages(ctx)
    n_ref = int(np.nanmax(_p(ctx, "si.maternity.reference_period_months"), initial=6))
    wage = _average(ctx, w, last_months=n_ref)
    months = _p(ctx, "si.maternity.leave_months")
    leave = _p(ctx, "si.maternity.benefit_rate") * wage * months
    allowance = _p(ctx, "si.maternity.childbirth_allowance_base_wage_multiple") * _p(ctx, BASE)
    total = leave + allowance
    eligible = ok & women
    ctx.reason(
        eligible,
        "grant",
        "{rate:.0%} of the average insured wage of the last {n} months {wage} for {months:g} months' leave "
        "({leave}) + childbirth allowance of 2 base wages ({allowance}) = {total}",
        ctx.sources_of("si.maternity.benefit_rate", "si.maternity.leave_months")
        + ctx.sources_of("si.maternity.childbirth_allowance_base_wage_multiple", BASE),
        rate=_p(ctx, "si.maternity.benefit_rate"),
        n=n_ref,
        wage=wage,
        months=months,
        leave=leave,
        allowance=allowance,
        total=total,
    )
    return grant(ctx, eligible, total)


def unemployment(ctx: BranchContext) -> Benefit:
    window = int(np.nanmax(_p(ctx, "ui.benefit.window_months"), initial=24))
    ok = meets(
        ctx,
        ctx.months(window=window),
        _p(ctx, "ui.benefit.qualifying_months"),
        "qualifying_period",
        f"contribution months in the {window} months before the contract ended",
        ctx.sources_of("ui.benefit.qualifying_months", "ui.benefit.window_months"),
    )
    w = _wages(ctx)
    n_ref = int(np.nanmax(_p(ctx, "ui.benefit.reference_months"), initial=6))
    monthly = _p(ctx, "ui.benefit.rate") * _average(ctx, w, last_months=n_ref)
    extra = np.maximum(ctx.months() - _p(ctx, "ui.benefit.base_duration_contribution_months"), 0) // 12
    duration = np.minimum(
        _p(ctx, "ui.benefit.base_duration_months") + extra, _p(ctx, "ui.benefit.max_duration_months")
    )
    ctx.reason(
        ok,
        "allowance",
        "Contract ended on the evaluation date: {rate:.0%} of the average insured wage of the last {n} "
        "months = {monthly} a month for {d:g} months, shown per day ({amount}); the cap of 5 times the "
        "regional minimum wage is not modelled",
        ctx.sources_of("ui.benefit.rate", "ui.benefit.base_duration_months"),
        rate=_p(ctx, "ui.benefit.rate"),
        n=n_ref,
        monthly=monthly,
        d=duration,
        amount=monthly / DAYS_PER_MONTH,
    )
    return daily(ctx, ok, monthly / DAYS_PER_MONTH)


def _pension_rate(ctx: BranchContext, years: Ints) -> Floats:
    """45 % for the base years (women 15, men 20) + 2 % a further year, max 75 %; from July 2025 men with
    15-19 years get 40 % + 1 % a year beyond 15."""
    base = _p(ctx, "si.old_age.base_rate")
    step = _p(ctx, "si.old_age.accrual_per_year")
    women = base + step * np.maximum(years - _p(ctx, "si.old_age.base_years_women"), 0)
    men_full = base + step * np.maximum(years - _p(ctx, "si.old_age.base_years_men"), 0)
    short = _p(ctx, "si.old_age.men_short_career_base_rate")
    short_base = np.where(np.isnan(short), base, short)
    short_step = np.nan_to_num(_p(ctx, "si.old_age.men_short_career_accrual"))
    men_short = short_base + short_step * np.maximum(years - _p(ctx, "si.old_age.base_years_women"), 0)
    men = np.where(years >= _p(ctx, "si.old_age.base_years_men"), men_full, men_short)
    return np.asarray(np.minimum(np.where(ctx.female, women, men), _p(ctx, "si.old_age.max_rate")))


def old_age(ctx: BranchContext) -> Benefit:
    ctx = at_pensionable_age(
        ctx,
        _pensionable_age(ctx),
        ctx.sources_of("si.old_age.pensionable_age_men", "si.old_age.pensionable_age_women"),
    )
    months = ctx.months()
    need = _p(ctx, "si.old_age.qualifying_years") * 12
    qualifies = meets(
        ctx,
        months,
        need,
        "qualifying_period",
        "contribution months for a pension",
        ctx.sources_of("si.old_age.qualifying_years"),
    )
    w = _wages(ctx)
    avg = _average(ctx, w)
    years = months // 12
    rate = _pension_rate(ctx, years)
    pension = rate * avg
    ctx.reason(
        qualifies,
        "pension",
        "{years} completed years of contributions: rate {rate:.0%} (45 % for the first 15 years for women, "
        "20 for men - 40 % + 1 % a year for men with 15-19 years from July 2025 - then 2 % a year, at most "
        "75 %) x average insured wage {avg} (not revalued) = {amount} a month",
        ctx.sources_of(
            "si.old_age.base_rate", "si.old_age.base_years_men", "si.old_age.men_short_career_base_rate"
        ),
        years=years,
        rate=rate,
        avg=avg,
        amount=pension,
    )
    lump = _lump_sum(ctx.subset(~qualifies), _of_rows(w, ~qualifies), "One-time payment")
    full = np.zeros(ctx.n)
    full[~qualifies] = lump
    foreign = ~ctx.national & ~qualifies
    ctx.reason(
        foreign,
        "departure",
        "A foreign employee could also take this one-time payment on request when the contract or work "
        "permit ended without renewal (Decree 143); whether that still holds under the 2024 Law is not "
        "established",
        ("VN-LAODONG-ONETIME", "VN3", "VN5"),
    )
    return Benefit.pension_or_lump_sum(qualifies, pension, full)


def invalidity(ctx: BranchContext) -> Benefit:
    need = _p(ctx, "si.old_age.qualifying_years") * 12
    qualifies = meets(
        ctx,
        ctx.months(),
        need,
        "qualifying_period",
        "contribution months (the retirement regime's requirement, applied to disability pensions)",
        ctx.sources_of("si.old_age.qualifying_years"),
    )
    unknown = amount_unknown(
        ctx,
        qualifies,
        PENSION,
        "Disability pension within the retirement regime for 61 % or more incapacity; its reduced rate is "
        "not in the knowledge base",
        ("MSP-NOTES",),
    )
    sub = ctx.subset(~qualifies)
    lump = _lump_sum(sub, _wages(sub), "One-time payment on request (assuming 81 % or more incapacity)")
    full = np.zeros(ctx.n)
    full[~qualifies] = lump
    return Benefit(
        entitled=np.ones(ctx.n, dtype=bool),
        kind=np.where(qualifies, unknown.kind, LUMP_SUM).astype(np.int64),
        amount=np.where(qualifies, np.nan, full),
    )


def survivors(ctx: BranchContext) -> Benefit:
    months = ctx.months()
    monthly = meets(
        ctx,
        months,
        _p(ctx, "si.survivors.monthly_allowance_qualifying_years") * 12,
        "qualifying_period",
        "contribution months for a monthly survivors' allowance",
        ctx.sources_of("si.survivors.monthly_allowance_qualifying_years"),
    )
    base = _p(ctx, BASE)
    relatives = np.minimum(np.maximum(ctx.children, 1), _p(ctx, "si.survivors.max_relatives"))
    allowance = _p(ctx, "si.survivors.allowance_rate") * base * relatives
    ctx.reason(
        monthly,
        "pension",
        "{rate:.0%} of the base wage {base} for each of {k:g} relatives (children listed, at least one "
        "relative assumed; 70 % each without a carer) = {amount} a month",
        ctx.sources_of("si.survivors.allowance_rate", "si.survivors.max_relatives", BASE),
        rate=_p(ctx, "si.survivors.allowance_rate"),
        base=base,
        k=relatives,
        amount=allowance,
    )
    funeral_ok = months >= _p(ctx, "si.survivors.funeral_grant_min_months")
    funeral = np.where(funeral_ok, _p(ctx, "si.survivors.funeral_grant_base_wage_multiple") * base, 0.0)
    ctx.reason(
        funeral_ok,
        "funeral",
        "Funeral grant of 10 base wages = {amount} (paid as well; added to the lump sum below, not to the "
        "monthly allowance)",
        ctx.sources_of(
            "si.survivors.funeral_grant_base_wage_multiple", "si.survivors.funeral_grant_min_months"
        ),
        amount=funeral,
    )
    sub = ctx.subset(~monthly)
    lump = _lump_sum(sub, _wages(sub), "One-time survivors' allowance")
    full = np.zeros(ctx.n)
    full[~monthly] = lump
    return Benefit.pension_or_lump_sum(monthly, allowance, full + funeral)


def employment_injury(ctx: BranchContext) -> Benefit:
    at_work = ctx.insured_on_contingency()
    ctx.reason(
        ~at_work,
        "not_at_work",
        "No insured work on the evaluation date, so no work accident then",
        ("VN-TVPL-2018",),
    )
    return amount_unknown(
        ctx,
        at_work,
        GRANT,
        "Injured at work on the evaluation date: a lump sum (5-30 % incapacity) or a monthly allowance (31 % "
        "or more) set by the assessed incapacity, with medical costs; the formulas are not in the knowledge "
        "base",
        ("VN-ATLASHXM", "MSP-NOTES"),
    )
