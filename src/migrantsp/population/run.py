"""Build the population, evaluate it under each scenario in parts, and summarise per contract section 6.

A scenario is a coordination instrument (`none`, `asean-c157`, `bilateral:AAA-BBB`...) or, where
`migrantsp.scenarios` provides it, a named or YAML scenario (parameter and coverage patches).
"""

from __future__ import annotations

import datetime as dt
import importlib
import multiprocessing as mp
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.ma  # np.unique consults it: loaded once here, not lazily in every worker
import numpy.random  # the population build's generators, likewise

from migrantsp.coordination.instruments import Instrument, resolve
from migrantsp.domain import ASEAN, Branch
from migrantsp.domain import BRANCHES as BRANCH_ORDER
from migrantsp.engine.batch import Countries
from migrantsp.engine.evaluate import Results, evaluate
from migrantsp.engine.memo import NationalMemo
from migrantsp.engine.timecols import Ints
from migrantsp.knowledge.base import Knowledge
from migrantsp.population import data, lifetables
from migrantsp.population.assumptions import Assumptions
from migrantsp.population.build import Population, build, too_small
from migrantsp.population.indicators import PERSON_FLAGS, PersonOutcomes, outcomes
from migrantsp.population.totals import (
    DIFF,
    PERSON,
    ROW,
    Totals,
    Valuation,
    part_totals,
    person_pv,
    present_values,
    usd_known,
)
from migrantsp.problems import InvalidInput, Problem
from migrantsp.rules import rules_for

for _code in ASEAN:  # the member states' rules, imported once before workers fork (not in each)
    rules_for(_code)

PART = 100_000  # workers built and evaluated per task: bounds memory and paces the progress bar
BRANCHES = (Branch.old_age,)
BUILD = "population"  # progress stage of the population build
BACKENDS = ("local", "dask")


@dataclass(frozen=True)
class Settings:
    size: int
    seed: int
    scenarios: tuple[str, ...] = ("none", "asean-c157")
    revision: str = "2020"
    year: int | None = None  # default: the revision's own year
    scope: data.Scope = data.Scope.world
    workers: int | None = None  # processes for the engine (default: every core)
    branches: tuple[str, ...] = ("old_age",)  # branches summarised (old age always; "all": the nine)
    keep_persons: bool = True  # keep person-level populations and outcomes (False: totals only, flat memory)
    backend: str = "local"  # local (forked processes) or dask (dask.distributed)
    scheduler: str | None = None  # dask scheduler address (default: a LocalCluster on this machine)
    baseline: str | None = None  # scenario differences are taken from (default: the first)

    @property
    def data_year(self) -> int:
        return self.year or int(self.revision)

    @property
    def branch_list(self) -> tuple[Branch, ...]:
        names = [b.value for b in BRANCH_ORDER] if "all" in self.branches else list(self.branches)
        chosen = {Branch(b) for b in names if b in Branch.__members__} | {Branch.old_age}
        return tuple(b for b in BRANCH_ORDER if b in chosen)

    @property
    def baseline_id(self) -> str:
        return self.baseline or self.scenarios[0]


@dataclass
class Simulation:
    settings: Settings
    assumptions: Assumptions
    population: Population  # every worker when settings.keep_persons, else an empty population
    corridors: list[tuple[str, str]]
    corridor: np.ndarray  # worker -> index into corridors (empty when persons are not kept)
    outcomes: dict[str, PersonOutcomes] = field(default_factory=dict)  # empty when persons are not kept
    knowledge_version: str = ""
    totals: Totals | None = None  # weighted totals of every part (always set by `simulate`)
    country_codes: list[str] = field(default_factory=list)
    life_table_period: str = ""


def scenario(spec: str, kb: Knowledge) -> tuple[Knowledge, Instrument]:
    """A coordination instrument id, else a scenario of `migrantsp.scenarios` (patched knowledge)."""
    try:
        return kb, resolve(spec, kb, where="--scenario")
    except InvalidInput as exc:
        try:
            from migrantsp.scenarios.apply import builtin, scenario_run
        except ImportError:
            raise exc from None
        if spec not in builtin() and not spec.endswith((".yaml", ".yml")):
            names = ", ".join(builtin())
            why = f"{spec!r} is not a scenario either; built-in scenarios: {names}, or a scenario YAML file"
            raise InvalidInput([*exc.problems, Problem("--scenario", None, "", why)]) from None
        _, patched, inst = scenario_run(spec, kb)
        return patched, inst


def check_settings(
    s: Settings, kb: Knowledge, a: Assumptions | None = None
) -> dict[str, tuple[Knowledge, Instrument]]:
    """Every problem with the options at once (exit 2), before any work starts."""
    problems: list[Problem] = []
    if s.size < 1:
        problems.append(Problem("--size", None, "", f"{s.size}: must be at least 1"))
    if s.seed < 0:
        problems.append(Problem("--seed", None, "", f"{s.seed}: must be at least 0"))
    if s.backend not in BACKENDS:
        problems.append(
            Problem("--backend", None, "", f"{s.backend!r}: known backends {', '.join(BACKENDS)}")
        )
    branch_names = [b.value for b in BRANCH_ORDER]
    unknown = [b for b in s.branches if b != "all" and b not in branch_names]
    if unknown:
        why = f"unknown branch(es) {', '.join(unknown)}; known: all, {', '.join(branch_names)}"
        problems.append(Problem("--branch", None, "", why))
    if s.baseline is not None and s.baseline not in s.scenarios:
        problems.append(Problem("--baseline", None, "", f"{s.baseline!r} is not one of the scenarios run"))
    if s.revision not in data.REVISIONS:
        problems.append(
            Problem("--revision", None, "", f"{s.revision!r}: known revisions {', '.join(data.REVISIONS)}")
        )
    elif s.data_year not in data.years(s.revision):
        known = ", ".join(map(str, data.years(s.revision)))
        problems.append(
            Problem("--year", None, "", f"{s.data_year}: Rev.{s.revision} has data years {known}")
        )
    else:
        k = len(data.cells(s.revision, s.data_year, s.scope))
        if 1 <= s.size < k:
            problems.append(Problem("--size", None, "", too_small(s.size, k)))
        when = a.date("evaluation_date") if a else None
        if when and when < stock_date(s):
            why = f"{when} is before the stock's reference date {stock_date(s)}"
            problems.append(Problem("--assume", None, "evaluation_date", why))
    if not s.scenarios:
        problems.append(Problem("--scenario", None, "", "give at least one scenario"))
    dupes = sorted({x for x in s.scenarios if s.scenarios.count(x) > 1})
    if dupes:
        problems.append(Problem("--scenario", None, "", f"given twice: {', '.join(dupes)}"))
    instruments: dict[str, tuple[Knowledge, Instrument]] = {}
    for sc in dict.fromkeys(s.scenarios):
        try:
            instruments[sc] = scenario(sc, kb)
        except InvalidInput as exc:
            problems.extend(exc.problems)
    if problems:
        raise InvalidInput(problems)
    return instruments


def stock_date(s: Settings) -> dt.date:
    return dt.date(s.data_year, 7, 1)  # UN DESA stocks refer to 1 July of the data year


@dataclass(frozen=True)
class Job:
    """Everything a part needs, picklable: the same for every part of a run."""

    settings: Settings
    assumptions: Assumptions
    cells: list[data.Cell]
    cell_corridor: Ints
    n_corridors: int
    n_countries: int
    stock_date: np.datetime64
    scenarios: dict[str, tuple[Knowledge, Instrument]]
    valuation: Valuation


@dataclass
class Part:
    lo: int
    hi: int
    totals: Totals
    population: Population | None = None
    outcomes: dict[str, PersonOutcomes] | None = None


def run_part(job: Job, lo: int, hi: int) -> Part:
    """Build workers lo..hi, evaluate them under every scenario, and total them (one task)."""
    s, branches = job.settings, job.settings.branch_list
    pop = build(job.cells, s.size, s.seed, job.assumptions, job.stock_date, lo, hi)
    corridor = job.cell_corridor[pop.cell]
    results: dict[str, Results] = {}
    arrays: dict[str, dict[str, np.ndarray]] = {}
    kept: dict[str, PersonOutcomes] = {}
    params = {}
    memo = NationalMemo()  # scenarios share national results wherever they do not change them
    for sc, (kb, inst) in job.scenarios.items():
        res = evaluate(pop.batch, kb, branches, instrument=inst, memo=memo)
        o = outcomes(res, pop.destination)
        pv_local, pv_usd = present_values(res, kb.parameters, job.valuation)
        arrays[sc] = {name: getattr(o, name) for name in PersonOutcomes.__dataclass_fields__}
        arrays[sc].update(pv_usd=person_pv(res, pv_usd), _pv_local=pv_local, _pv_usd=pv_usd)
        results[sc], params[sc] = res, kb.parameters
        if s.keep_persons:
            kept[sc] = o
    totals = part_totals(results, arrays, pop.weight, corridor, pop.batch.sex == 0, job.n_corridors,
                         job.n_countries, branches, params, job.valuation, s.baseline_id)  # fmt: skip
    if not s.keep_persons:
        return Part(lo, hi, totals)
    return Part(lo, hi, totals, pop, kept)


_JOB: Job | None = None  # the job inherited by forked workers of the local backend


def _forked_part(bounds: tuple[int, int]) -> Part:
    assert _JOB is not None
    return run_part(_JOB, *bounds)


def _local(job: Job, bounds: list[tuple[int, int]], workers: int) -> Iterator[Part]:
    global _JOB
    if workers <= 1 or len(bounds) == 1 or "fork" not in mp.get_all_start_methods():
        for lo, hi in bounds:
            yield run_part(job, lo, hi)
        return
    _JOB = job
    try:
        with mp.get_context("fork").Pool(workers) as pool:
            yield from pool.imap(_forked_part, bounds)  # in part order: sums are added in a fixed order
    finally:
        _JOB = None


def _dask(job: Job, bounds: list[tuple[int, int]], s: Settings) -> Iterator[Part]:
    try:
        distributed: Any = importlib.import_module("distributed")  # optional dependency
    except ImportError:
        why = 'the dask backend needs dask.distributed: pip install "dask[distributed]"'
        raise InvalidInput([Problem("--backend", None, "", why)]) from None
    cluster = None
    if s.scheduler:
        client = distributed.Client(s.scheduler)
    else:
        n = s.workers or os.cpu_count() or 1
        cluster = distributed.LocalCluster(
            n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = distributed.Client(cluster)
    try:
        shared = client.scatter(job, broadcast=True)
        futures = client.map(run_part, [shared] * len(bounds), [b[0] for b in bounds], [b[1] for b in bounds],
                             pure=False)  # fmt: skip
        for f in futures:  # in part order
            part: Part = f.result()
            f.release()
            yield part
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def simulate(
    s: Settings,
    a: Assumptions,
    kb: Knowledge,
    progress: Callable[[str, int, int], None] | None = None,
) -> Simulation:
    """`progress(stage, done, total)` is called as parts finish (stage: BUILD, then each scenario id).

    The population is built and evaluated in parts of PART workers (in forked processes, or as dask
    tasks), each part under every scenario; only weighted totals are kept unless `keep_persons`."""
    instruments = check_settings(s, kb, a)
    cells = data.cells(s.revision, s.data_year, s.scope)
    pairs = sorted({(c.origin, c.destination) for c in cells})
    index = {p: i for i, p in enumerate(pairs)}
    cell_corridor = np.array([index[(c.origin, c.destination)] for c in cells], dtype=np.int64)
    codes = Countries()
    for c in cells:
        codes.index(c.origin)
        codes.index(c.destination)
    when = a.date("evaluation_date")
    period = lifetables.period_of(when.year)
    valuation = Valuation(
        table=lifetables.table(period),
        discount_rate=float(a["discount_rate"]),
        fx_year=int(a["exchange_rate_year"]),
        start_age=dict(a["pension_start_age"]),
    )
    job = Job(s, a, cells, cell_corridor, len(pairs), len(codes.codes), np.datetime64(stock_date(s), "D"),
              instruments, valuation)  # fmt: skip
    bounds = [(lo, min(lo + PART, s.size)) for lo in range(0, s.size, PART)]
    if progress:
        progress(BUILD, 0, s.size)
    totals: Totals | None = None
    pops: list[Population] = []
    outs: dict[str, list[PersonOutcomes]] = {sc: [] for sc in instruments}
    if s.backend == "dask":
        parts = _dask(job, bounds, s)
    else:
        parts = _local(job, bounds, min(s.workers or os.cpu_count() or 1, len(bounds)))
    for part in parts:
        totals = part.totals if totals is None else totals.add(part.totals)
        if part.population is not None and part.outcomes is not None:
            pops.append(part.population)
            for sc, o in part.outcomes.items():
                outs[sc].append(o)
        if progress:
            progress(BUILD, part.hi, s.size)
            for sc in instruments:
                progress(sc, part.hi, s.size)
    assert totals is not None
    if pops:
        pop = Population.concat(pops)
        sim_outcomes = {sc: PersonOutcomes.concat(o) for sc, o in outs.items()}
    else:
        pop = _empty(cells, job)
        sim_outcomes = {}
    return Simulation(
        settings=s,
        assumptions=a,
        population=pop,
        corridors=pairs,
        corridor=cell_corridor[pop.cell],
        outcomes=sim_outcomes,
        knowledge_version=kb.version,
        totals=totals,
        country_codes=codes.codes,
        life_table_period=period,
    )


def _empty(cells: list[data.Cell], job: Job) -> Population:
    """A population of no workers (persons not kept): the design is in the totals."""
    one = build(cells, max(len(cells), 1), 0, job.assumptions, job.stock_date, 0, 1)
    return one.take(np.zeros(0, dtype=np.int64))


def _share(x: float, of: float) -> float | None:
    return round(x / of, 4) if of else None


def _person_block(v: np.ndarray, rep: float) -> dict[str, Any]:
    """Indicators from one row of the PERSON sums (contract section 6 names)."""
    col = dict(zip(PERSON, v.tolist(), strict=True))
    out: dict[str, Any] = {}
    for name in PERSON_FLAGS:
        out[f"workers_{name}"] = round(col[name])
        out[f"share_{name}"] = _share(col[name], rep)
    out["represented"] = round(rep)
    out["insured_months"] = round(col["insured_months"])
    out["forfeited_months"] = round(col["forfeited_months"])
    out["share_of_insured_months_forfeited"] = _share(col["forfeited_months"], col["insured_months"])
    out["pv_old_age_usd"] = round(col["pv_usd"])
    return out


def _branch_block(v: np.ndarray, rep: float) -> dict[str, Any]:
    return {
        "workers_covered": round(float(v[0])),
        "share_covered": _share(float(v[0]), rep),
        "workers_entitled": round(float(v[1])),
        "share_entitled": _share(float(v[1]), rep),
    }


def _country_rows(row: np.ndarray, codes: list[str], branches: tuple[Branch, ...], fx_year: int) -> list[Any]:
    out = []
    usd = usd_known(codes, fx_year)
    for c, code in enumerate(codes):
        for j, br in enumerate(branches):
            v = dict(zip(ROW, row[c, j].tolist(), strict=True))
            if not any(v.values()):
                continue
            r: dict[str, Any] = {"country": code, "branch": br.value}
            r.update({f"workers_{k}": round(v[k]) for k in ("covered", "entitled", "forfeiting")})
            r["insured_months"] = round(v["insured_months"])
            r["forfeited_months"] = round(v["forfeited_months"])
            if br is Branch.old_age:
                r["workers_entitled_pension"] = round(v["entitled_pension"])
                r["workers_entitled_lump_sum"] = round(v["entitled_lump_sum"])
                r["workers_amount_unknown"] = round(v["amount_unknown"])
                r["currency"] = ASEAN[code][1] if code in ASEAN else "USD"
                r["cost_pv_local"] = round(v["pv_local"])
                r["cost_pv_usd"] = round(v["pv_usd"]) if usd[c] else None
            out.append(r)
    return out


def _minus(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Numeric differences a - b of the keys both have (None where either is None)."""
    out: dict[str, Any] = {}
    for key, x in a.items():
        y = b.get(key)
        if isinstance(x, bool) or key in ("origin", "destination", "country", "branch", "currency"):
            continue
        if isinstance(x, int | float) and isinstance(y, int | float):
            out[key] = round(x - y, 4) if isinstance(x, float) or isinstance(y, float) else x - y
        elif x is None or y is None:
            out[key] = None
    return out


def summary(sim: Simulation) -> dict[str, Any]:
    """The contract's JSON: the population's margins and each scenario's indicators, by corridor, by
    branch and by paying country, and each scenario's difference from the baseline."""
    t = sim.totals
    assert t is not None, "simulate() sets the totals"
    s = sim.settings
    branches = s.branch_list
    by_corridor = [
        {
            "origin": o,
            "destination": d,
            "represented": round(float(t.represented[i])),
            "female": round(float(t.female[i])),
            "male": round(float(t.represented[i] - t.female[i])),
            "workers": int(t.workers[i]),
        }
        for i, (o, d) in enumerate(sim.corridors)
    ]
    total_rep = float(t.represented.sum())
    fx_year = int(sim.assumptions["exchange_rate_year"])
    scenarios: list[dict[str, Any]] = []
    for sc in s.scenarios:
        person, branch = t.person[sc], t.branch[sc]
        ind = _person_block(person.sum(axis=0), total_rep)
        rows = [
            {"origin": x, "destination": y, **_person_block(person[i], float(t.represented[i]))}
            for i, (x, y) in enumerate(sim.corridors)
        ]
        doc: dict[str, Any] = {
            "id": sc,
            "indicators": ind,
            "by_corridor": rows,
            "by_branch": [
                {"branch": br.value, **_branch_block(branch[:, j].sum(axis=0), total_rep)}
                for j, br in enumerate(branches)
            ],
            "by_corridor_branch": [
                {
                    "origin": x,
                    "destination": y,
                    "branch": br.value,
                    **_branch_block(branch[i, j], float(t.represented[i])),
                }
                for i, (x, y) in enumerate(sim.corridors)
                for j, br in enumerate(branches)
            ],
            "by_country": _country_rows(t.row[sc], sim.country_codes, branches, fx_year),
        }
        scenarios.append(doc)
    base = next(x for x in scenarios if x["id"] == s.baseline_id)
    for doc in scenarios:
        if doc["id"] == s.baseline_id:
            continue
        doc["difference"] = _difference(doc, base, t.diff[doc["id"]], sim.corridors)
    return {
        "population": {
            "size": s.size,
            "represented_migrants": round(total_rep),
            "stock_revision": data.label(s.revision, s.data_year),
            "stock_reference_date": str(stock_date(s)),
            "scope": s.scope.value,
            "seed": s.seed,
            "evaluation_date": str(sim.assumptions.date("evaluation_date")),
            "branch": "old_age",
            "branches": [b.value for b in branches],
            "by_corridor": by_corridor,
        },
        "scenarios": scenarios,
        "valuation": {
            "discount_rate": float(sim.assumptions["discount_rate"]),
            "life_table": f"UN WPP 2024 abridged, period {sim.life_table_period}, by sex and country "
            "of residence",
            "exchange_rate_year": fx_year,
            "prices": "scheme currency at the careers' wage level (no wage growth or indexation)",
        },
        "assumptions": sim.assumptions.public(),
        "knowledge_version": sim.knowledge_version,
        "data": data.data_hashes(),
    }


def _gains(v: np.ndarray) -> dict[str, int]:
    """DIFF sums with their public names (workers_gaining_entitlement, pv_gained_usd...)."""
    return {
        (f if f.startswith("pv") else f"workers_{f}"): round(float(x)) for f, x in zip(DIFF, v, strict=True)
    }


def _difference(
    doc: dict[str, Any], base: dict[str, Any], diff: np.ndarray, corridors: list[tuple[str, str]]
) -> dict[str, Any]:
    """A scenario against the baseline: differences of every indicator, and who gains or loses."""
    pairs = zip(corridors, doc["by_corridor"], base["by_corridor"], strict=True)
    return {
        "baseline": base["id"],
        "indicators": {**_minus(doc["indicators"], base["indicators"]), **_gains(diff.sum(axis=0))},
        "by_corridor": [
            {"origin": x, "destination": y, **_minus(r, rb), **_gains(diff[i])}
            for i, ((x, y), r, rb) in enumerate(pairs)
        ],
        "by_branch": [
            {"branch": r["branch"], **_minus(r, rb)}
            for r, rb in zip(doc["by_branch"], base["by_branch"], strict=True)
        ],
        "by_country": _country_diff(doc["by_country"], base["by_country"]),
    }


def _country_diff(rows: list[dict[str, Any]], base: list[dict[str, Any]]) -> list[dict[str, Any]]:
    index = {(r["country"], r["branch"]): r for r in base}
    keys = sorted(set(index) | {(r["country"], r["branch"]) for r in rows})
    mine = {(r["country"], r["branch"]): r for r in rows}
    out = []
    for key in keys:
        a, b = mine.get(key, {}), index.get(key, {})
        zero = {x: 0 for x in (a or b) if x not in ("country", "branch", "currency")}
        d = _minus({**zero, **a}, {**zero, **b})
        out.append(
            {
                "country": key[0],
                "branch": key[1],
                **({"currency": (a or b)["currency"]} if "currency" in (a or b) else {}),
                **d,
            }
        )
    return out
