"""Small vectorised building blocks national rules share (each says what it assumes)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from migrantsp.engine.benefit import DAILY_ALLOWANCE, GRANT, IN_KIND, Benefit
from migrantsp.engine.context import BranchContext
from migrantsp.engine.timecols import Bools, Days, Floats, add_months

DAYS_PER_MONTH = 30.0  # monthly wage -> daily wage, the convention the member states' laws use


def at_pensionable_age(
    ctx: BranchContext, age_years: str | npt.ArrayLike, sources: Sequence[str] = ()
) -> BranchContext:
    """Old age is assessed at the later of the evaluation date and the date the person reaches
    pensionable age (contract section 1: accrued rights, no insurance after the last spell).

    `age_years` is a parameter path (read and cited) or ages per row with their `sources`.
    """
    first_known = None
    if isinstance(age_years, str):
        sources = ctx.sources_of(age_years)
        first_known = ctx.parameters[ctx._path(age_years)]
        age_years = ctx.param(age_years)
    age = np.asarray(age_years, dtype=np.float64)
    unknown = np.isnan(age)
    if first_known is not None and unknown.any():  # before the parameter's series: its earliest value
        age = np.where(unknown, first_known.values[0], age)
        ctx.reason(
            unknown,
            "age_assumed",
            "No pensionable age is recorded for this date; the earliest recorded "
            "value (in force from {since}) is used",
            sources,
            since=first_known.starts[0],
        )
        unknown = np.isnan(age)
    months = np.round(np.nan_to_num(age) * 12).astype(np.int64)
    reached = add_months(ctx.birth, months)
    moved = ctx.at(np.where(unknown, ctx.contingency, np.maximum(ctx.contingency, reached)))
    moved.reason(
        ~unknown,
        "assessed_at",
        "Assessed on {on}: the later of the evaluation date and the date the person reaches pensionable "
        "age {age:g}",
        sources,
        on=moved.contingency,
        age=age,
    )
    moved.reason(
        unknown,
        "assessed_at",
        "Pensionable age not recorded for this date: assessed on the evaluation date {on}",
        sources,
        on=moved.contingency,
    )
    return moved


def meets(
    ctx: BranchContext, have: npt.ArrayLike, need: npt.ArrayLike, code: str, what: str, sources: Sequence[str]
) -> Bools:
    """`have >= need`, with a cited reason either way."""
    ok = np.asarray(np.asarray(have) >= np.asarray(need), dtype=bool)
    ctx.reason(ok, code, f"{{have}} {what}: at least {{need}} required, met", sources, have=have, need=need)
    ctx.reason(
        ~ok, code, f"{{have}} {what}: at least {{need}} required, not met", sources, have=have, need=need
    )
    return ok


def qualifying(ctx: BranchContext, path: str, window: int, before: str) -> Bools:
    """Contribution months in the `window` months before the contingency (`before`: 'the sickness')
    against the qualifying period at the parameter `path`, with a cited reason."""
    what = f"contribution months in the {window} months before {before}"
    return meets(
        ctx, ctx.months(window=window), ctx.param(path), "qualifying_period", what, ctx.sources_of(path)
    )


def in_kind(ctx: BranchContext, eligible: Bools) -> Benefit:
    return Benefit.of(eligible, IN_KIND, np.nan)


def daily(ctx: BranchContext, eligible: Bools, per_day: npt.ArrayLike) -> Benefit:
    return Benefit.of(eligible, DAILY_ALLOWANCE, per_day)


def grant(ctx: BranchContext, eligible: Bools, amount: npt.ArrayLike) -> Benefit:
    return Benefit.of(eligible, GRANT, amount)


def amount_unknown(
    ctx: BranchContext, eligible: Bools, kind: int, message: str, sources: Sequence[str]
) -> Benefit:
    """Entitled, but the knowledge base does not establish the amount: say so (amount null), never guess."""
    ctx.reason(eligible, "amount_unknown", message, sources)
    return Benefit.of(eligible, kind, np.nan)


def at_work(ctx: BranchContext, why_not: str, sources: Sequence[str]) -> Bools:
    """In insured work on the evaluation date, when a short-term contingency is assumed to happen."""
    working = ctx.insured_on_contingency()
    ctx.reason(~working, "not_working", f"Not in insured work on the evaluation date: {why_not}", sources)
    return working


def param_from_first(ctx: BranchContext, path: str, on: Days | None = None) -> Floats:
    """A parameter on the contingency date (or `on`); before its first recorded value, that value stands in.

    An approximation for parameters the knowledge base dates only from a recent source: the reason-giving
    rules say so where it matters.
    """
    first = ctx.parameters[ctx._path(path)].starts[0]
    return ctx.param(path, on=np.maximum(ctx.contingency if on is None else on, first))
