"""Build the population, evaluate it under each scenario in parts, and summarise per contract section 6.

A scenario is a coordination instrument (`none`, `asean-c157`, `bilateral:AAA-BBB`...) or, where
`migrantsp.scenarios` provides it, a named or YAML scenario (parameter and coverage patches).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from migrantsp.coordination.instruments import Instrument, resolve
from migrantsp.domain import Branch
from migrantsp.engine.parallel import evaluate_parallel
from migrantsp.knowledge.base import Knowledge
from migrantsp.population import data
from migrantsp.population.assumptions import Assumptions
from migrantsp.population.build import Population, build, too_small
from migrantsp.population.indicators import PersonOutcomes, by_group, indicators, outcomes
from migrantsp.problems import InvalidInput, Problem

PART = 200_000  # workers evaluated per call: bounds memory and paces the progress bar
BRANCHES = (Branch.old_age,)
BUILD = "population"  # progress stage of the population build


@dataclass(frozen=True)
class Settings:
    size: int
    seed: int
    scenarios: tuple[str, ...] = ("none", "asean-c157")
    revision: str = "2020"
    year: int | None = None  # default: the revision's own year
    scope: data.Scope = data.Scope.world
    workers: int | None = None  # processes for the engine (default: every core)

    @property
    def data_year(self) -> int:
        return self.year or int(self.revision)


@dataclass
class Simulation:
    settings: Settings
    assumptions: Assumptions
    population: Population
    corridors: list[tuple[str, str]]
    corridor: np.ndarray  # worker -> index into corridors
    outcomes: dict[str, PersonOutcomes] = field(default_factory=dict)
    knowledge_version: str = ""


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


def simulate(
    s: Settings,
    a: Assumptions,
    kb: Knowledge,
    progress: Callable[[str, int, int], None] | None = None,
) -> Simulation:
    """`progress(stage, done, total)` is called as parts finish (stage: BUILD, then each scenario id)."""
    instruments = check_settings(s, kb, a)
    cells = data.cells(s.revision, s.data_year, s.scope)
    if progress:
        progress(BUILD, 0, s.size)
    pop = build(cells, s.size, s.seed, a, np.datetime64(stock_date(s), "D"))
    if progress:
        progress(BUILD, s.size, s.size)
    pairs = sorted({(c.origin, c.destination) for c in cells})
    index = {p: i for i, p in enumerate(pairs)}
    corridor = np.array([index[(c.origin, c.destination)] for c in cells], dtype=np.int64)[pop.cell]
    sim = Simulation(
        settings=s,
        assumptions=a,
        population=pop,
        corridors=pairs,
        corridor=corridor,
        knowledge_version=kb.version,
    )
    bounds = [*range(0, pop.size, PART), pop.size]
    for sc, (kb_sc, inst) in instruments.items():
        parts = []
        for lo, hi in itertools.pairwise(bounds):
            people = np.arange(lo, hi)
            part = pop.batch.take(people) if (lo, hi) != (0, pop.size) else pop.batch
            res = evaluate_parallel(part, kb_sc, BRANCHES, instrument=inst, workers=s.workers)
            parts.append(outcomes(res, pop.destination[people]))
            del res
            if progress:
                progress(sc, hi, pop.size)
        sim.outcomes[sc] = PersonOutcomes.concat(parts)
    return sim


def summary(sim: Simulation) -> dict[str, Any]:
    """The contract's JSON: the population's margins and each scenario's indicators."""
    pop, w = sim.population, sim.population.weight
    k = len(sim.corridors)
    rep = np.bincount(sim.corridor, weights=w, minlength=k)
    n_workers = np.bincount(sim.corridor, minlength=k)
    sex = np.bincount(sim.corridor * 2 + pop.batch.sex, weights=w, minlength=2 * k).reshape(k, 2)
    by_corridor = [
        {
            "origin": o,
            "destination": d,
            "represented": round(float(rep[i])),
            "female": round(float(sex[i, 0])),
            "male": round(float(sex[i, 1])),
            "workers": int(n_workers[i]),
        }
        for i, (o, d) in enumerate(sim.corridors)
    ]
    s = sim.settings
    scenarios = []
    for sc, o in sim.outcomes.items():
        rows = by_group(o, w, sim.corridor, k)
        scenarios.append(
            {
                "id": sc,
                "indicators": indicators(o, w),
                "by_corridor": [
                    {"origin": x, "destination": y, **r}
                    for (x, y), r in zip(sim.corridors, rows, strict=True)
                ],
            }
        )
    return {
        "population": {
            "size": pop.size,
            "represented_migrants": round(float(w.sum())),
            "stock_revision": data.label(s.revision, s.data_year),
            "stock_reference_date": str(pop.stock_date),
            "scope": s.scope.value,
            "seed": s.seed,
            "evaluation_date": str(sim.assumptions.date("evaluation_date")),
            "branch": "old_age",
            "by_corridor": by_corridor,
        },
        "scenarios": scenarios,
        "assumptions": sim.assumptions.public(),
        "knowledge_version": sim.knowledge_version,
        "data": data.data_hashes(),
    }
