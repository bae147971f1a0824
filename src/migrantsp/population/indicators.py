"""Old-age indicators per worker from the engine's rows, then weighted totals overall and by corridor.

Definitions (old-age branch, each country of the career and the nationality country):
- covered: at least one insured month in some old-age scheme (legal coverage: the rules insure the
  spell; compliance is not modelled);
- covered_in_destination: insured months in the destination of the stock's corridor;
- entitled: entitled to an old-age benefit somewhere (pension or lump sum); entitled_pension: a pension;
- forfeited months: insured months in a scheme where the worker is not entitled to anything;
- payable_abroad: entitled to a benefit that can be paid abroad;
- stranded: entitled to a benefit in a country the worker does not live in, which is not paid abroad.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from migrantsp.domain import Branch
from migrantsp.engine.benefit import ENTITLED, NOT_ENTITLED, PENSION
from migrantsp.engine.evaluate import Results
from migrantsp.engine.timecols import Bools, Floats, Ints

PERSON_FLAGS = (
    "covered",
    "covered_in_destination",
    "entitled",
    "entitled_pension",
    "forfeiting",
    "payable_abroad",
    "stranded",
)


@dataclass
class PersonOutcomes:
    """Per worker, for one scenario."""

    covered: Bools
    covered_in_destination: Bools
    entitled: Bools
    entitled_pension: Bools
    forfeiting: Bools  # has forfeited months
    payable_abroad: Bools
    stranded: Bools
    insured_months: Ints
    forfeited_months: Ints

    @classmethod
    def concat(cls, parts: list[PersonOutcomes]) -> PersonOutcomes:
        names = list(cls.__dataclass_fields__)
        return cls(**{k: np.concatenate([getattr(p, k) for p in parts]) for k in names})


def outcomes(res: Results, destination: Ints) -> PersonOutcomes:
    """Per-person old-age outcomes from the engine's person x country rows."""
    n = res.batch.size
    col = res.branches[Branch.old_age]
    p, c = res.row_person, res.row_country
    insured = col.insured_months
    entitled = col.status == ENTITLED
    lost = col.status == NOT_ENTITLED
    lives_there = res.batch.residence[p] == c

    def any_(mask: np.ndarray) -> Bools:
        return np.bincount(p[mask], minlength=n) > 0

    def total(values: np.ndarray) -> Ints:
        return np.bincount(p, weights=values, minlength=n).astype(np.int64)

    return PersonOutcomes(
        covered=any_(insured > 0),
        covered_in_destination=any_((insured > 0) & (c == destination[p])),
        entitled=any_(entitled),
        entitled_pension=any_(entitled & (col.kind == PENSION)),
        forfeiting=any_(lost & (insured > 0)),
        payable_abroad=any_(entitled & col.payable_abroad),
        stranded=any_(entitled & ~col.payable_abroad & ~lives_there),
        insured_months=total(insured),
        forfeited_months=total(np.where(lost, insured, 0)),
    )


def _summary(o: PersonOutcomes, w: Floats, groups: Ints, k: int) -> list[dict[str, Any]]:
    """Weighted indicators for each of `k` groups."""
    rep = np.bincount(groups, weights=w, minlength=k)
    out: list[dict[str, Any]] = [{} for _ in range(k)]
    for name in PERSON_FLAGS:
        tot = np.bincount(groups, weights=w * getattr(o, name), minlength=k)
        for g in range(k):
            out[g][f"workers_{name}"] = round(float(tot[g]))
            out[g][f"share_{name}"] = round(float(tot[g] / rep[g]), 4) if rep[g] else None
    months = np.bincount(groups, weights=w * o.insured_months, minlength=k)
    lost = np.bincount(groups, weights=w * o.forfeited_months, minlength=k)
    for g in range(k):
        out[g]["represented"] = round(float(rep[g]))
        out[g]["insured_months"] = round(float(months[g]))
        out[g]["forfeited_months"] = round(float(lost[g]))
        out[g]["share_of_insured_months_forfeited"] = (
            round(float(lost[g] / months[g]), 4) if months[g] else None
        )
    return out


def indicators(o: PersonOutcomes, w: Floats) -> dict[str, Any]:
    return _summary(o, w, np.zeros(w.size, dtype=np.int64), 1)[0]
