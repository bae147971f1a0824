"""Weighted totals of one part of the population, additive across parts (so memory stays flat).

Each part returns, per scenario, weighted sums by corridor (persons), by paying country and branch (rows
of the engine: one per person and country), and, for every scenario but the baseline, the person-level
differences from the baseline (who gains or loses an entitlement, present value gained or lost). Parts
are merged by adding their arrays in part order, so every backend gives the same floating-point sums.

Present value (old age) of a row the engine finds entitled, at the evaluation date, in the paying
scheme's currency at the careers' wage level (no wage growth or indexation):
    pension:  12 x monthly amount x a(A*) x v^t x S(x -> A*)
    lump sum: amount x v^t x S(x -> A*)
with x the age on the evaluation date, A the pensionable age of the paying country (knowledge base;
`pension_start_age` where none is recorded), A* = max(x, A), t = A* - x years, v = 1 / (1 + discount_rate),
S the survival probability and a(A*) the monthly life annuity-due at A* (`lifetables`), both from the
WPP 2024 period table of the country of residence (of origin, for residents outside ASEAN) and sex.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from migrantsp.domain import ASEAN, Branch
from migrantsp.engine.benefit import ENTITLED, LUMP_SUM, NOT_ENTITLED, PENSION
from migrantsp.engine.evaluate import Results
from migrantsp.engine.timecols import Bools, Floats, Ints, month_index, month_start
from migrantsp.knowledge.parameters import ParameterTree
from migrantsp.money import rate
from migrantsp.population.indicators import PERSON_FLAGS
from migrantsp.population.lifetables import LifeTable

# pensionable age in the knowledge base, per country: (women's path, men's path)
PENSION_AGE = {
    "BRN": ("spk.old_age.annuity_age",) * 2,
    "IDN": ("bpjstk.old_age.jp_pension_age",) * 2,
    "KHM": ("nssf.old_age.pensionable_age",) * 2,
    "LAO": ("nssf.old_age.pensionable_age_women", "nssf.old_age.pensionable_age_men"),
    "MYS": ("epf.old_age.full_withdrawal_age",) * 2,
    "PHL": ("sss.old_age.pensionable_age",) * 2,
    "SGP": ("cpf.old_age.payout_eligibility_age",) * 2,
    "THA": ("ssf.old_age.pensionable_age",) * 2,
    "VNM": ("si.old_age.pensionable_age_women", "si.old_age.pensionable_age_men"),
}
# weighted sums per corridor (persons), per scenario
PERSON = (*PERSON_FLAGS, "insured_months", "forfeited_months", "pv_usd")
# weighted sums per paying country and branch (rows)
ROW = ("covered", "entitled", "forfeiting", "insured_months", "forfeited_months", "entitled_pension",
       "entitled_lump_sum", "amount_unknown", "pv_local", "pv_usd")  # fmt: skip
# weighted sums per corridor, scenario against the baseline (persons)
DIFF = ("gaining_entitlement", "losing_entitlement", "pv_gained_usd", "pv_lost_usd")


@dataclass
class Totals:
    """Additive weighted sums; `n_corridors` x fields, `n_countries` x branches x fields."""

    represented: Floats  # per corridor
    female: Floats
    workers: Floats  # sample size per corridor
    person: dict[str, Floats] = field(default_factory=dict)  # scenario -> (corridor, PERSON)
    branch: dict[str, Floats] = field(
        default_factory=dict
    )  # scenario -> (corridor, branch, 2): covered, entitled
    row: dict[str, Floats] = field(default_factory=dict)  # scenario -> (country, branch, ROW)
    diff: dict[str, Floats] = field(default_factory=dict)  # scenario -> (corridor, DIFF)

    def add(self, other: Totals) -> Totals:
        def plus(a: dict[str, Floats], b: dict[str, Floats]) -> dict[str, Floats]:
            return {k: a[k] + b[k] for k in a}

        return Totals(
            represented=self.represented + other.represented,
            female=self.female + other.female,
            workers=self.workers + other.workers,
            person=plus(self.person, other.person),
            branch=plus(self.branch, other.branch),
            row=plus(self.row, other.row),
            diff=plus(self.diff, other.diff),
        )


@dataclass(frozen=True)
class Valuation:
    """What present values need: the life table, the discount rate, the exchange-rate year."""

    table: LifeTable
    discount_rate: float
    fx_year: int
    start_age: dict[str, float]  # pension_start_age by country (fallback)


def pensionable_age(
    params: ParameterTree, country: str, sex: Ints, birth: np.ndarray, fallback: float
) -> Floats:
    """The paying country's pensionable age for each row: the parameter in force when the person turns
    60 (its earliest value before the series starts); `fallback` where none is recorded."""
    out = np.full(sex.size, fallback, dtype=np.float64)
    paths = PENSION_AGE.get(country)
    if paths is None:
        return out
    on = month_start(month_index(birth) + 720)  # the first day of the month they turn 60
    for s, path in enumerate(paths):
        try:
            p = params[f"{country}.{path}"]
        except KeyError:
            continue
        v = p.values_at(on)
        v = np.where(np.isnan(v) & (on < p.starts[0]), p.values[0], v)
        mine = sex == s
        out[mine] = np.where(np.isnan(v[mine]), fallback, v[mine])
    return out


def present_values(res: Results, params: ParameterTree, val: Valuation) -> tuple[Floats, Floats]:
    """Old-age present value per engine row, in the paying country's currency and in USD (NaN: no rate)."""
    b = res.batch
    col = res.branches[Branch.old_age]
    p, c = res.row_person, res.row_country
    pv = np.zeros(p.size)
    usd = np.zeros(p.size)
    entitled = (col.status == ENTITLED) & np.isfinite(col.amount)
    codes = b.countries.codes
    table = val.table
    t_index = {x: i for i, x in enumerate(table.countries)}
    res_country = np.array([t_index.get(x, -1) for x in codes])[b.residence]
    origin_country = np.array([t_index.get(x, -1) for x in codes])[b.nationality]
    life = np.where(res_country >= 0, res_country, origin_country)
    age_eval = (b.evaluation - b.birth).astype(np.float64) / 365.25
    v = 1.0 / (1.0 + val.discount_rate)
    for code in np.flatnonzero(np.bincount(c[entitled], minlength=len(codes))).tolist():
        country = codes[code]
        rows = np.flatnonzero(entitled & (c == code))
        who = p[rows]
        sex = b.sex[who]
        start = pensionable_age(params, country, sex, b.birth[who], val.start_age.get(country, 60.0))
        x = age_eval[who]
        at = np.maximum(x, start)
        lt = life[who]
        survive = table.survival(lt, sex, x, at)
        discount = v ** (at - x)
        amount = col.amount[rows]
        value = np.where(
            col.kind[rows] == PENSION,
            12 * amount * table.annuity(lt, sex, at, val.discount_rate),
            amount,
        )
        pv[rows] = value * discount * survive
        currency = ASEAN[country][1] if country in ASEAN else "USD"
        fx = rate(currency, "USD", val.fx_year)
        usd[rows] = pv[rows] * fx if fx is not None else np.nan
    return pv, usd


def part_totals(
    res_by_scenario: dict[str, Results],
    outcomes_by_scenario: dict[str, dict[str, np.ndarray]],
    weight: Floats,
    corridor: Ints,
    female: Bools,
    k: int,
    n_countries: int,
    branches: tuple[Branch, ...],
    params: dict[str, ParameterTree],
    val: Valuation,
    baseline: str,
) -> Totals:
    """Totals of one part: `outcomes_by_scenario[sc]` holds the per-person arrays named in PERSON."""
    t = Totals(
        represented=np.bincount(corridor, weights=weight, minlength=k).astype(np.float64),
        female=np.bincount(corridor, weights=weight * female, minlength=k).astype(np.float64),
        workers=np.bincount(corridor, minlength=k).astype(np.float64),
    )
    for sc, res in res_by_scenario.items():
        o = outcomes_by_scenario[sc]
        t.person[sc] = np.stack(
            [np.bincount(corridor, weights=weight * np.nan_to_num(o[f]), minlength=k) for f in PERSON], axis=1
        )
        per_branch = np.zeros((k, len(branches), 2))
        row = np.zeros((n_countries, len(branches), len(ROW)))
        p, c = res.row_person, res.row_country
        w = weight[p]
        n = weight.size
        for j, br in enumerate(branches):
            col = res.branches[br]
            insured = col.insured_months
            ent = col.status == ENTITLED
            lost = (col.status == NOT_ENTITLED) & (insured > 0)
            if br is Branch.old_age:  # the person-level old-age flags, already summed
                per_branch[:, j, 0] = t.person[sc][:, PERSON.index("covered")]
                per_branch[:, j, 1] = t.person[sc][:, PERSON.index("entitled")]
            else:
                covered_p = np.bincount(p[insured > 0], minlength=n) > 0
                entitled_p = np.bincount(p[ent], minlength=n) > 0
                per_branch[:, j, 0] = np.bincount(corridor, weights=weight * covered_p, minlength=k)
                per_branch[:, j, 1] = np.bincount(corridor, weights=weight * entitled_p, minlength=k)
            values: dict[str, np.ndarray] = {
                "covered": insured > 0,
                "entitled": ent,
                "forfeiting": lost,
                "insured_months": insured,
                "forfeited_months": np.where(lost, insured, 0),
                "entitled_pension": ent & (col.kind == PENSION),
                "entitled_lump_sum": ent & (col.kind == LUMP_SUM),
                "amount_unknown": ent & ~np.isfinite(col.amount),
                "pv_local": o["_pv_local"] if br is Branch.old_age else np.zeros(p.size),
                "pv_usd": np.nan_to_num(o["_pv_usd"]) if br is Branch.old_age else np.zeros(p.size),
            }
            for f, name in enumerate(ROW):
                row[:, j, f] = np.bincount(c, weights=w * values[name], minlength=n_countries)
        t.branch[sc] = per_branch
        t.row[sc] = row
    base = outcomes_by_scenario[baseline]
    for sc, o in outcomes_by_scenario.items():
        if sc == baseline:
            continue
        delta = o["pv_usd"] - base["pv_usd"]
        cols = {
            "gaining_entitlement": o["entitled"] & ~base["entitled"],
            "losing_entitlement": base["entitled"] & ~o["entitled"],
            "pv_gained_usd": np.maximum(delta, 0.0),
            "pv_lost_usd": np.maximum(-delta, 0.0),
        }
        t.diff[sc] = np.stack(
            [np.bincount(corridor, weights=weight * cols[f], minlength=k) for f in DIFF], axis=1
        )
    return t


def person_pv(res: Results, pv_usd: Floats) -> Floats:
    """Per person: the sum of their rows' USD present values (rows without a rate count 0)."""
    return np.bincount(res.row_person, weights=np.nan_to_num(pv_usd), minlength=res.batch.size).astype(
        np.float64
    )


def usd_known(codes: list[str], year: int) -> Bools:
    """Per country code: does its scheme currency have a USD rate?"""
    return np.array(
        [rate(ASEAN[c][1] if c in ASEAN else "USD", "USD", year) is not None for c in codes], dtype=bool
    )
