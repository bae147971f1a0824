"""Philippines: SSS regular program (RA 11199), Employees' Compensation (PD 626), PhilHealth (UHC Act).

Sources are the ids in knowledge/data/sources/PHL.yaml; parameters under parameters/PHL/.

Monthly salary credit (MSC): the spell's wage clipped to the MSC range in force each month (months before
the first dated range, 2018, use that first range); from 2021 benefits use MSCs up to the regular-program
cap (20,000), the rest going to the WISP / MySSS Pension Booster provident fund (not modelled for pensioners).
OFW spells abroad (home contributions): the wage is converted to pesos at the yearly rate (for a host outside
ASEAN the wage is taken to be in US dollars) and land-based OFWs' MSC is at least the OFW minimum.

Simplifications, named in the reasons: the average daily salary credit (ADSC) takes the six highest MSCs of
the 12 months before the semester of contingency; the lump sums exclude interest (no sourced rate); the
disability pension uses the old-age formula without dependants' supplements; survivors' pensions exclude the
dependants' pension and the funeral grant; lump sums for short disability/survivor records are not quantified.
For dates before a parameter's first recorded value (most start in 2016-2018), that first value is used.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from migrantsp.domain import ACTIVITY_ORDER
from migrantsp.engine.benefit import DAILY_ALLOWANCE, GRANT, LUMP_SUM, PENSION, Benefit
from migrantsp.engine.context import BranchContext
from migrantsp.engine.timecols import (
    Bools,
    Days,
    Floats,
    Ints,
    merge_intervals,
    month_index,
    month_start,
    split_at,
    union_length,
)
from migrantsp.money import rate as fx_rate
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

MSC_MIN = "sss.contribution.msc_min"
MSC_MAX = "sss.contribution.msc_max"
REGULAR_CAP = "sss.contribution.regular_program_msc_cap"
OFW_MIN = "sss.contribution.ofw_land_based_msc_min"
TOTAL_RATE = "sss.contribution.total_rate"
SEAFARER = ACTIVITY_ORDER.index("seafarer")


def _p(ctx: BranchContext, path: str, on: Days | None = None) -> Floats:
    return param_from_first(ctx, path, on)


@dataclass(frozen=True)
class _Credits:
    """Insured pieces (row, first and last month) with their monthly salary credits and contribution rate."""

    row: Ints
    m0: Ints
    m1: Ints
    msc: Floats  # MSC for contributions (full range)
    benefit_msc: Floats  # MSC counted for regular-program benefits
    rate: Floats  # total SSS contribution rate
    in_phl: Bools  # piece worked in the Philippines (not an OFW spell abroad)


def _pesos(ctx: BranchContext, spell: Ints, start: Ints) -> Floats:
    """Factor turning each piece's wage (in its spell country's currency) into pesos, at the yearly rate."""
    batch = ctx.batch
    keys = batch.country[spell] * 10000 + (1900 + start // 12)
    unique, which = np.unique(keys, return_inverse=True)
    factors = [  # one look-up per (country, year), not per piece
        fx_rate(batch.currency(batch.countries.codes[key // 10000]), "PHP", key % 10000) or np.nan
        for key in unique.tolist()
    ]
    return np.asarray(np.array(factors, dtype=np.float64)[which].reshape(spell.shape), dtype=np.float64)


def _credits(ctx: BranchContext) -> _Credits:
    cov = ctx.coverage
    last = month_index(ctx.contingency)[ctx.seg_row]
    m0, m1 = cov.start_month, np.minimum(cov.end_month, last)
    keep = m1 >= m0
    spell, row, m0, m1 = cov.spell[keep], ctx.seg_row[keep], m0[keep], m1[keep]
    params = {p: ctx.parameters[f"PHL.{p}"] for p in (MSC_MIN, MSC_MAX, REGULAR_CAP, OFW_MIN, TOTAL_RATE)}
    cuts = np.unique(np.concatenate([month_index(p.starts) for p in params.values()]))
    idx, p0, p1 = split_at(m0, m1, cuts)
    spell, row = spell[idx], row[idx]
    at = month_start(p0)
    first = params[MSC_MAX].starts[0]
    backfilled = np.maximum(at, first)  # before the first recorded MSC range, use that range
    in_phl = ctx.batch.country[spell] == ctx.batch.countries.index("PHL")
    wage = ctx.batch.wage[spell] * np.where(in_phl, 1.0, _pesos(ctx, spell, p0))
    msc = np.fmax(np.fmin(wage, params[MSC_MAX].values_at(backfilled)), params[MSC_MIN].values_at(backfilled))
    land_ofw = ~in_phl & (ctx.batch.activity[spell] != SEAFARER)
    msc = np.where(land_ofw, np.fmax(msc, params[OFW_MIN].values_at(at)), msc)
    msc = np.nan_to_num(msc)
    return _Credits(
        row=row,
        m0=p0,
        m1=p1,
        msc=msc,
        benefit_msc=np.fmin(msc, params[REGULAR_CAP].values_at(at)),
        rate=np.nan_to_num(params[TOTAL_RATE].values_at(backfilled)),
        in_phl=in_phl,
    )


def _semester_start(ctx: BranchContext) -> Ints:
    """First month of the semester of contingency: the quarter of the contingency and the one before."""
    c = month_index(ctx.contingency)
    return np.asarray(c - c % 3 - 3, dtype=np.int64)


def _overlap(cr: _Credits, lo: Ints, hi: Ints) -> Ints:
    return np.asarray(np.maximum(np.minimum(cr.m1, hi[cr.row]) - np.maximum(cr.m0, lo[cr.row]) + 1, 0))


def _months_in(ctx: BranchContext, cr: _Credits, lo: Ints, hi: Ints) -> Ints:
    """Contribution months in [lo, hi] per row (overlaps once), with other parties' when totalising."""
    rows, starts, ends = [cr.row], [cr.m0], [cr.m1]
    for r, a, b in ctx.window_extra:
        rows.append(r)
        starts.append(a)
        ends.append(b)
    row = np.concatenate(rows)
    return union_length(
        row, np.maximum(np.concatenate(starts), lo[row]), np.minimum(np.concatenate(ends), hi[row]), ctx.n
    )


def _year_window(ctx: BranchContext) -> tuple[Ints, Ints]:
    """The 12 months before the semester of contingency."""
    sem = _semester_start(ctx)
    return sem - 12, sem - 1


def _adsc(ctx: BranchContext, cr: _Credits) -> Floats:
    """Average daily salary credit: the six highest MSCs of the 12 months before the semester, / 180."""
    lo, hi = _year_window(ctx)
    length = _overlap(cr, lo, hi).astype(np.float64)
    order = np.lexsort((-cr.benefit_msc, cr.row))
    row, ln, v = cr.row[order], length[order], cr.benefit_msc[order]
    cum = np.cumsum(ln)
    before_row = np.zeros(ctx.n)
    if row.size:
        first = np.ones(row.size, dtype=bool)
        first[1:] = row[1:] != row[:-1]
        before_row[row[first]] = (cum - ln)[first]
    taken = np.clip(6 - (cum - ln - before_row[row]), 0, ln)
    return np.bincount(row, weights=taken * v, minlength=ctx.n) / 180.0


def _amsc(ctx: BranchContext, cr: _Credits) -> Floats:
    """Average monthly salary credit: the greater of the last 60 MSCs before the semester / 60 and the
    average of all MSCs."""
    sem = _semester_start(ctx)
    last60 = _overlap(cr, sem - 60, sem - 1) * cr.benefit_msc
    a = np.bincount(cr.row, weights=last60, minlength=ctx.n) / 60.0
    n = np.asarray(cr.m1 - cr.m0 + 1, dtype=np.float64)
    total = np.bincount(cr.row, weights=n * cr.benefit_msc, minlength=ctx.n)
    months = np.bincount(cr.row, weights=n, minlength=ctx.n)
    b = np.where(months > 0, total / np.maximum(months, 1), 0.0)
    return np.asarray(np.maximum(a, b), dtype=np.float64)


def years_with_months(row: Ints, m0: Ints, m1: Ints, n: int, need: Floats) -> Ints:
    """Per row, the calendar years with at least `need` months in the pieces (overlaps counted once).

    As disjoint runs, a year wholly inside a run has 12 months; only a run's first and last years are
    partial, and those are summed per (row, year) over the runs that touch them."""
    row, m0, m1 = merge_intervals(row, m0, m1)
    if row.size == 0:
        return np.zeros(n, dtype=np.int64)
    y0, y1 = m0 // 12, m1 // 12
    whole = np.bincount(row, weights=np.maximum(y1 - y0 - 1, 0), minlength=n).astype(np.int64)
    one_year = y0 == y1
    edge_row = np.concatenate([row, row[~one_year]])
    edge_year = np.concatenate([y0, y1[~one_year]])
    edge_months = np.concatenate([np.where(one_year, m1 - m0 + 1, 12 - m0 % 12), m1[~one_year] % 12 + 1])
    base = int(edge_year.min())
    span = int(edge_year.max()) - base + 1
    per_year = np.bincount(edge_row * span + (edge_year - base), weights=edge_months, minlength=n * span)
    counted = (per_year.reshape(n, span) >= need[:, None]).sum(axis=1)
    return np.asarray(np.where(need <= 12, whole, 0) + counted, dtype=np.int64)


def _credited_years(ctx: BranchContext, cr: _Credits) -> Ints:
    """Calendar years with at least six contribution months, plus whole years credited by coordination."""
    need = _p(ctx, "sss.old_age.credited_year_min_months")
    own = years_with_months(cr.row, cr.m0, cr.m1, ctx.n, need)
    extra = np.maximum(ctx.months() - ctx.insured_months(), 0) // 12
    return np.asarray(own + extra, dtype=np.int64)


def _pension(ctx: BranchContext, cr: _Credits, show: Bools) -> Floats:
    """The basic monthly pension: the highest of the three formulas, plus the additional benefit."""
    amsc = _amsc(ctx, cr)
    cys = _credited_years(ctx, cr)
    beyond = np.maximum(cys - _p(ctx, "sss.old_age.credited_years_threshold"), 0)
    a = (
        _p(ctx, "sss.old_age.basic_amount")
        + _p(ctx, "sss.old_age.amsc_rate") * amsc
        + _p(ctx, "sss.old_age.rate_per_year_beyond_threshold") * beyond * amsc
    )
    b = _p(ctx, "sss.old_age.alternative_rate") * amsc
    minimum = np.where(
        cys >= 20,
        _p(ctx, "sss.old_age.minimum_pension_20_years"),
        np.where(cys >= 10, _p(ctx, "sss.old_age.minimum_pension_10_years"), 0.0),
    )
    extra = np.nan_to_num(_p(ctx, "sss.old_age.additional_benefit"))
    pension = np.maximum(np.maximum(a, b), minimum) + extra
    ctx.reason(
        show,
        "pension",
        "AMSC {amsc} (greater of the last 60 salary credits before the semester / 60 and the average of all "
        "salary credits, each capped at the regular-program cap); {cys} credited years (calendar years with "
        "6+ contributions). Highest of 300 + 20 % AMSC + 2 % AMSC per year beyond 10 ({a}), 40 % AMSC ({b}) "
        "and the minimum ({minimum}), plus {extra} = {amount} a month, paid 13 times a year",
        ctx.sources_of("sss.old_age.basic_amount", "sss.old_age.minimum_pension_10_years")
        + ctx.sources_of("sss.old_age.additional_benefit", "sss.old_age.credited_year_min_months"),
        amsc=amsc,
        cys=cys,
        a=a,
        b=b,
        minimum=minimum,
        extra=extra,
        amount=pension,
    )
    return np.asarray(pension, dtype=np.float64)


def _contributions(ctx: BranchContext, cr: _Credits) -> Floats:
    n = np.asarray(cr.m1 - cr.m0 + 1, dtype=np.float64)
    return np.bincount(cr.row, weights=n * cr.msc * cr.rate, minlength=ctx.n).astype(np.float64)


def _months_before_semester(ctx: BranchContext, cr: _Credits) -> Ints:
    sem = _semester_start(ctx)
    own = _months_in(ctx, cr, np.zeros(ctx.n, dtype=np.int64), sem - 1)
    return np.asarray(own + np.maximum(ctx.months() - ctx.insured_months(), 0), dtype=np.int64)


def medical_care(ctx: BranchContext) -> Benefit:
    automatic = ctx.national & (ctx.contingency >= np.datetime64("2019-02-20"))
    ctx.reason(
        automatic,
        "automatic_member",
        "Every Filipino citizen is automatically a PhilHealth member under the Universal Health Care Act",
        ("PH-PWC-2019",),
    )
    c = month_index(ctx.contingency)
    recent = meets(
        ctx,
        _months_in(ctx, _credits(ctx), c - 6, c - 1),
        3,
        "qualifying_period",
        "premium months in the 6 months before confinement",
        ("PH-PHIC-2017-0003",),
    )
    ok = automatic | recent
    ctx.reason(
        ok, "in_kind", "Hospital and outpatient care in the Philippines (PhilHealth)", ("PH-PWC-2019",)
    )
    return in_kind(ctx, ok)


def sickness(ctx: BranchContext) -> Benefit:
    cr = _credits(ctx)
    lo, hi = _year_window(ctx)
    ok = meets(
        ctx,
        _months_in(ctx, cr, lo, hi),
        _p(ctx, "sss.sickness.qualifying_months"),
        "qualifying_period",
        "contribution months in the 12 months before the semester of sickness",
        ctx.sources_of("sss.sickness.qualifying_months"),
    )
    adsc = _adsc(ctx, cr)
    per_day = _p(ctx, "sss.sickness.benefit_rate") * adsc
    ctx.reason(
        ok,
        "allowance",
        "{rate:.0%} of the average daily salary credit {adsc} (six highest salary credits of those 12 months "
        "/ 180) = {amount} a day, if confined at least {min} days, for up to {days} days a year",
        ctx.sources_of("sss.sickness.benefit_rate", "sss.sickness.max_days_per_year"),
        rate=_p(ctx, "sss.sickness.benefit_rate"),
        adsc=adsc,
        amount=per_day,
        min=_p(ctx, "sss.sickness.minimum_confinement_days"),
        days=_p(ctx, "sss.sickness.max_days_per_year"),
    )
    return daily(ctx, ok, per_day)


def maternity(ctx: BranchContext) -> Benefit:
    cr = _credits(ctx)
    lo, hi = _year_window(ctx)
    ok = meets(
        ctx,
        _months_in(ctx, cr, lo, hi),
        _p(ctx, "sss.maternity.qualifying_months"),
        "qualifying_period",
        "contribution months in the 12 months before the semester of childbirth",
        ctx.sources_of("sss.maternity.qualifying_months"),
    )
    women = ctx.female
    ctx.reason(
        ~women,
        "insured_woman",
        "The SSS maternity benefit is for insured women (the father's transferable days are not modelled)",
        ("PH-RA11210",),
    )
    adsc = _adsc(ctx, cr)
    days = _p(ctx, "sss.maternity.leave_days")
    total = _p(ctx, "sss.maternity.benefit_rate") * adsc * days
    eligible = ok & women
    ctx.reason(
        eligible,
        "grant",
        "{rate:.0%} of the average daily salary credit {adsc} (six highest salary credits of the 12 months "
        "before the semester / 180) for {days} days = {amount}; the employer tops it up to full pay",
        ctx.sources_of("sss.maternity.benefit_rate", "sss.maternity.leave_days"),
        rate=_p(ctx, "sss.maternity.benefit_rate"),
        adsc=adsc,
        days=days,
        amount=total,
    )
    return grant(ctx, eligible, total)


def unemployment(ctx: BranchContext) -> Benefit:
    cr = _credits(ctx)
    total = meets(
        ctx,
        ctx.months(),
        _p(ctx, "sss.unemployment.qualifying_months"),
        "qualifying_period",
        "monthly contributions in all",
        ctx.sources_of("sss.unemployment.qualifying_months"),
    )
    window = int(np.nanmax(_p(ctx, "sss.unemployment.recent_window_months"), initial=18))
    recent = meets(
        ctx,
        ctx.months(window=window),
        _p(ctx, "sss.unemployment.recent_months"),
        "recent_contributions",
        f"monthly contributions in the {window} months before the separation",
        ctx.sources_of("sss.unemployment.recent_months"),
    )
    young = ctx.age() <= _p(ctx, "sss.unemployment.max_age")
    ctx.reason(
        ~young,
        "age",
        "Over {age} on the evaluation date: no involuntary separation benefit",
        ctx.sources_of("sss.unemployment.max_age"),
        age=_p(ctx, "sss.unemployment.max_age"),
    )
    ok = total & recent & young
    amsc = _amsc(ctx, cr)
    monthly = _p(ctx, "sss.unemployment.benefit_rate") * amsc
    ctx.reason(
        ok,
        "allowance",
        "Involuntarily separated on the evaluation date: {rate:.0%} of the average monthly salary credit "
        "{amsc} = {monthly} a month for {n:g} months, shown per day ({amount}); once every 3 years. Whether "
        "land-based OFWs (self-paying) can claim it is not established",
        ctx.sources_of("sss.unemployment.benefit_rate", "sss.unemployment.duration_months"),
        rate=_p(ctx, "sss.unemployment.benefit_rate"),
        amsc=amsc,
        monthly=monthly,
        n=_p(ctx, "sss.unemployment.duration_months"),
        amount=monthly / DAYS_PER_MONTH,
    )
    return daily(ctx, ok, monthly / DAYS_PER_MONTH)


def old_age(ctx: BranchContext) -> Benefit:
    ctx = at_pensionable_age(
        ctx, _p(ctx, "sss.old_age.pensionable_age"), ctx.sources_of("sss.old_age.pensionable_age")
    )
    cr = _credits(ctx)
    months = ctx.months()
    qualifies = meets(
        ctx,
        months,
        _p(ctx, "sss.old_age.qualifying_months"),
        "qualifying_period",
        "monthly contributions for a pension",
        ctx.sources_of("sss.old_age.qualifying_months"),
    )
    pension = _pension(ctx, cr, qualifies)
    lump = _contributions(ctx, cr)
    ctx.reason(
        ~qualifies,
        "lump_sum",
        "Fewer than 120 contributions at retirement age: lump sum of the contributions paid by member and "
        "employer (the total rate in force on each month's salary credit, WISP part included) = {amount}; "
        "the SSS's interest is not included (its rate is not in the knowledge base)",
        (*ctx.sources_of(TOTAL_RATE), "PH-WAGEIND-SS"),
        amount=lump,
    )
    return Benefit.pension_or_lump_sum(qualifies, pension, lump)


def invalidity(ctx: BranchContext) -> Benefit:
    cr = _credits(ctx)
    qualifies = meets(
        ctx,
        _months_before_semester(ctx, cr),
        _p(ctx, "sss.invalidity.qualifying_months"),
        "qualifying_period",
        "monthly contributions before the semester of disability",
        ctx.sources_of("sss.invalidity.qualifying_months"),
    )
    pension = _pension(ctx, cr, qualifies)
    ctx.reason(
        qualifies,
        "approximation",
        "Permanent total disability assumed on the evaluation date; the pension follows the old-age formula "
        "(dependants' supplements and partial-disability rules not modelled)",
        ("PH1", "MSP-NOTES"),
    )
    short = amount_unknown(
        ctx,
        ~qualifies,
        LUMP_SUM,
        "Fewer contributions than required: a lump sum, whose formula is not in the knowledge base",
        ("MSP-NOTES",),
    )
    return Benefit(
        entitled=np.ones(ctx.n, dtype=bool),
        kind=np.where(qualifies, PENSION, short.kind).astype(np.int64),
        amount=np.where(qualifies, pension, np.nan),
    )


def survivors(ctx: BranchContext) -> Benefit:
    cr = _credits(ctx)
    qualifies = meets(
        ctx,
        _months_before_semester(ctx, cr),
        _p(ctx, "sss.survivors.qualifying_months"),
        "qualifying_period",
        "monthly contributions before the semester of death",
        ctx.sources_of("sss.survivors.qualifying_months"),
    )
    pension = _pension(ctx, cr, qualifies)
    ctx.reason(
        qualifies,
        "beneficiaries",
        "Monthly survivors' pension to the surviving spouse (until remarriage) and up to {kids:g} dependent "
        "children under 21; the dependants' pension and the funeral grant are not included",
        ctx.sources_of("sss.survivors.max_dependent_children"),
        kids=_p(ctx, "sss.survivors.max_dependent_children"),
    )
    short = amount_unknown(
        ctx,
        ~qualifies,
        LUMP_SUM,
        "Fewer than 36 contributions: the survivors receive a lump sum, whose formula is not in the "
        "knowledge base",
        ("PH-WAGEIND-SS",),
    )
    return Benefit(
        entitled=np.ones(ctx.n, dtype=bool),
        kind=np.where(qualifies, PENSION, short.kind).astype(np.int64),
        amount=np.where(qualifies, pension, np.nan),
    )


def employment_injury(ctx: BranchContext) -> Benefit:
    cr = _credits(ctx)
    on = ctx.contingency[cr.row]
    start, end = month_start(cr.m0), month_start(cr.m1 + 1)
    hit = (start <= on) & (on < end)
    at_work_phl = np.bincount(cr.row[hit & cr.in_phl], minlength=ctx.n) > 0
    abroad = (np.bincount(cr.row[hit & ~cr.in_phl], minlength=ctx.n) > 0) & ~at_work_phl
    at_work = ctx.insured_on_contingency()
    at_work_phl &= at_work
    abroad &= at_work
    ctx.reason(
        ~at_work,
        "not_at_work",
        "No insured work on the evaluation date, so no work injury then",
        ("PH7",),
    )
    adsc = _adsc(ctx, cr)
    per_day = _p(ctx, "ec.employment_injury.temporary_disability_rate") * adsc
    ctx.reason(
        at_work_phl,
        "compensation",
        "Injured at work in the Philippines on the evaluation date: Employees' Compensation temporary "
        "disability of {rate:.0%} of the average daily salary credit {adsc} = {amount} a day, for up to "
        "{days} days (240 if treatment continues); the SSS salary-credit average stands in for EC's "
        "'average daily covered earnings'",
        ctx.sources_of("ec.employment_injury.temporary_disability_rate"),
        rate=_p(ctx, "ec.employment_injury.temporary_disability_rate"),
        adsc=adsc,
        amount=per_day,
        days=_p(ctx, "ec.employment_injury.temporary_disability_days"),
    )
    unknown = amount_unknown(
        ctx,
        abroad,
        GRANT,
        "Injured abroad as an agency-hired OFW: the compulsory private OFW insurance pays; its amounts are "
        "not in the knowledge base",
        ("PH-IC-OFW-2010",),
    )
    return Benefit(
        entitled=at_work_phl | abroad,
        kind=np.where(abroad, unknown.kind, DAILY_ALLOWANCE).astype(np.int64),
        amount=np.where(abroad, np.nan, per_day),
    )
