"""A synthetic population of migrant workers, calibrated corridor by corridor on UN DESA stocks.

Stratified draw: every (origin, destination, sex) cell with a positive stock gets at least one worker
and the rest in proportion to its stock (largest remainders), so each worker's weight is the cell's
stock divided by its sample size and the weights reproduce every cell's stock exactly. Each worker's
life course is built around the stock's reference date, when the UN counts them in the destination:

    [formal work at home] -> migration spell (1 + geometric contracts) -> return or stay
        -> [formal work at home] -> [second migration, one spell] -> [formal work at home]

Every number that shapes these courses is a named assumption (`assumptions.yaml`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from migrantsp.domain import SECTOR_ORDER, Activity, Sector
from migrantsp.engine.batch import Batch, Countries
from migrantsp.engine.timecols import Bools, Floats, Ints
from migrantsp.population.assumptions import Assumptions
from migrantsp.population.data import Cell
from migrantsp.problems import InvalidInput, Problem

DAYS_PER_YEAR = 365.25
DAYS_PER_MONTH = DAYS_PER_YEAR / 12
SLOTS = ("home_before", "migration_1", "home_between", "migration_2", "home_after")
EMPLOYEE, DOMESTIC = Activity.employee, Activity.domestic_worker
ACTIVITY_CODE = {a: i for i, a in enumerate(Activity)}
SEED_BLOCK = 100_000  # workers drawn from one random stream (seeded with the seed and the block number)


@dataclass
class Population:
    """The workers (a Batch for the engine) with their weights and how each life course was drawn."""

    batch: Batch
    cells: list[Cell]
    cell: Ints  # worker -> index into cells
    weight: Floats
    origin: Ints  # index into batch.countries.codes
    destination: Ints
    age_at_migration: Floats
    returned: Bools
    second_migration: Bools
    formal_at_home: Bools
    stock_date: np.datetime64

    @property
    def size(self) -> int:
        return int(self.weight.size)

    def take(self, people: Ints) -> Population:
        return Population(
            batch=self.batch.take(people),
            cells=self.cells,
            cell=self.cell[people],
            weight=self.weight[people],
            origin=self.origin[people],
            destination=self.destination[people],
            age_at_migration=self.age_at_migration[people],
            returned=self.returned[people],
            second_migration=self.second_migration[people],
            formal_at_home=self.formal_at_home[people],
            stock_date=self.stock_date,
        )

    @classmethod
    def concat(cls, parts: list[Population]) -> Population:
        """Parts drawn one after the other (same cells and country codes), workers renumbered."""
        if len(parts) == 1:
            return parts[0]
        first = parts[0]

        def cat(name: str) -> np.ndarray:
            return np.concatenate([getattr(p, name) for p in parts])

        return cls(
            batch=concat_batches([p.batch for p in parts]),
            cells=first.cells,
            cell=cat("cell"),
            weight=cat("weight"),
            origin=cat("origin"),
            destination=cat("destination"),
            age_at_migration=cat("age_at_migration"),
            returned=cat("returned"),
            second_migration=cat("second_migration"),
            formal_at_home=cat("formal_at_home"),
            stock_date=first.stock_date,
        )


def concat_batches(parts: list[Batch]) -> Batch:
    """Batches of generated workers (no custom schemes, ids or children) one after the other."""
    offsets = np.cumsum([0, *(b.size for b in parts[:-1])])

    def cat(name: str) -> np.ndarray:
        return np.concatenate([getattr(b, name) for b in parts])

    return Batch(
        countries=parts[0].countries,
        birth=cat("birth"),
        sex=cat("sex"),
        nationality=cat("nationality"),
        residence=cat("residence"),
        evaluation=cat("evaluation"),
        children=cat("children"),
        person=np.concatenate([b.person + o for b, o in zip(parts, offsets, strict=True)]),
        country=cat("country"),
        start=cat("start"),
        end=cat("end"),
        activity=cat("activity"),
        sector=cat("sector"),
        documented=cat("documented"),
        wage=cat("wage"),
        home_contributions=cat("home_contributions"),
        posted_from=cat("posted_from"),
        employer_size=cat("employer_size"),
        voluntary_member=cat("voluntary_member"),
    )


def too_small(n: int, k: int) -> str:
    return f"{n} is below {k}, the number of corridor x sex cells with a positive stock (one worker each)"


def allocate(stocks: Floats, n: int) -> Ints:
    """Sample sizes per cell: one each, the rest by largest remainder in proportion to stock."""
    k = stocks.size
    if n < k:
        raise InvalidInput([Problem("--size", None, "", too_small(n, k))])
    quota = (n - k) * stocks / stocks.sum()
    counts = np.floor(quota).astype(np.int64)
    rest = n - k - int(counts.sum())
    counts[np.argsort(-(quota - counts), kind="stable")[:rest]] += 1
    return np.asarray(counts + 1, dtype=np.int64)


def _mix(rng: np.random.Generator, mix: dict[str, float], size: int) -> Ints:
    codes = np.array([SECTOR_ORDER.index(Sector(s)) for s in mix], dtype=np.int64)
    p = np.array(list(mix.values()), dtype=np.float64)
    # what rng.choice(p.size, size, p=p) draws (the same uniform numbers against the same cumulative
    # shares), with the few shares compared one by one instead of a binary search per draw
    cdf = (p / p.sum()).cumsum()
    cdf /= cdf[-1]
    u = rng.random(size)
    pick = np.zeros(size, dtype=np.int64)
    for edge in cdf[:-1].tolist():
        pick += u >= edge
    return codes[pick]


def _days(x: np.ndarray) -> np.ndarray:
    return np.round(x).astype("timedelta64[D]")


def build(
    cells: list[Cell],
    n: int,
    seed: int,
    a: Assumptions,
    stock_date: np.datetime64,
    lo: int = 0,
    hi: int | None = None,
) -> Population:
    """Workers `lo` to `hi` (default: all `n`) of a population of `n` whose weights add up to each cell's
    stock, with a life course each.

    Life courses are drawn in blocks of SEED_BLOCK workers, block `b` from the random stream seeded with
    (seed, b): any range of workers can be built on its own (in a worker process, a dask task) and comes
    out identical to the same workers of the whole population."""
    hi = n if hi is None else hi
    when = np.datetime64(a.date("evaluation_date"), "D")
    if when < stock_date:
        why = f"{when} is before the stock's reference date {stock_date}"
        raise InvalidInput([Problem("assumptions", None, "evaluation_date", why)])
    stocks = np.array([c.stock for c in cells], dtype=np.float64)
    counts = allocate(stocks, n)
    ends = np.cumsum(counts)
    parts = []
    for b in range(lo // SEED_BLOCK, -(-hi // SEED_BLOCK)):
        b0, b1 = b * SEED_BLOCK, min((b + 1) * SEED_BLOCK, n)
        rng = np.random.default_rng([seed, b])
        cell = np.searchsorted(ends, np.arange(b0, b1), side="right")
        pop = _draw(cells, cell, (stocks / counts)[cell], rng, a, stock_date)
        s0, s1 = max(lo, b0) - b0, min(hi, b1) - b0
        parts.append(pop if (s0, s1) == (0, b1 - b0) else pop.take(np.arange(s0, s1)))
    return Population.concat(parts)


def _draw(
    cells: list[Cell], cell: Ints, weight: Floats, rng: np.random.Generator, a: Assumptions,
    stock_date: np.datetime64,
) -> Population:  # fmt: skip
    """Life courses of the workers of cells `cell` (one random stream, a fixed order of draws)."""
    n = cell.size
    when = np.datetime64(a.date("evaluation_date"), "D")
    countries = Countries()
    o_code = np.array([countries.index(c.origin) for c in cells], dtype=np.int64)
    d_code = np.array([countries.index(c.destination) for c in cells], dtype=np.int64)
    codes = countries.codes
    origin, dest = o_code[cell], d_code[cell]
    sex = np.array([c.sex for c in cells], dtype=np.int64)[cell]

    # the first migration: under way on the stock date, at a uniform point of its length
    age = a["age_at_migration"]
    age_mig = rng.uniform(age["min"], age["max"], n)
    contract = np.array(a.by_country("contract_months", codes))[dest]
    p_more = float(a["renewal_probability"])
    months1 = contract * rng.geometric(1 - p_more, n)
    start1 = stock_date - _days(rng.random(n) * months1 * DAYS_PER_MONTH)
    end1 = start1 + _days(months1 * DAYS_PER_MONTH) - np.timedelta64(1, "D")
    end1 = np.maximum(end1, stock_date)
    birth = start1 - _days(age_mig * DAYS_PER_YEAR)
    returned = rng.random(n) < float(a["return_probability"])
    end1 = np.where(returned, end1, when)  # those who stay work there up to the evaluation date
    gap = a["gap_before_second_migration"]
    second = returned & (rng.random(n) < float(a["second_migration_probability"]))
    start2 = end1 + np.timedelta64(1, "D") + _days(rng.uniform(gap["min"], gap["max"], n) * DAYS_PER_MONTH)
    second &= start2 <= when
    end2 = start2 + _days(contract * rng.geometric(1 - p_more, n) * DAYS_PER_MONTH) - np.timedelta64(1, "D")
    formal = rng.random(n) < float(a["home_formal_share"])
    work_start = birth + _days(np.full(n, float(a["age_entering_work"])) * DAYS_PER_YEAR)
    one = np.timedelta64(1, "D")
    home_end = np.where(second, start2 - one, when)

    # five slots per worker, kept where the spell exists and starts by the evaluation date
    start = np.stack([work_start, start1, end1 + one, start2, end2 + one], axis=1)
    end = np.stack([start1 - one, end1, home_end, end2, np.full(n, when)], axis=1)
    valid = np.stack([formal, np.ones(n, bool), formal & returned, second, formal & second], axis=1)
    valid &= (start <= end) & (start <= when)
    kept = np.flatnonzero(valid)  # worker-major: worker = kept // 5, slot = kept % 5
    person, slot = np.divmod(kept, 5)
    migrating = (slot == 1) | (slot == 3)
    s_start, s_end = start.ravel()[kept], np.minimum(end.ravel()[kept], when)
    m = person.size
    country = np.where(migrating, dest[person], origin[person])

    women = _mix(rng, a["sector_mix_female"], m)
    men = _mix(rng, a["sector_mix_male"], m)
    home = _mix(rng, a["home_sector_mix"], m)
    sector = np.where(migrating, np.where(sex[person] == 0, women, men), home)
    domestic = sector == SECTOR_ORDER.index(Sector.domestic_work)
    activity = np.where(domestic, ACTIVITY_CODE[DOMESTIC], ACTIVITY_CODE[EMPLOYEE])
    documented = ~migrating | (rng.random(m) < np.array(a.by_country("documented_share", codes))[country])
    median = np.array(a.by_country("monthly_wage", codes))[country]
    wage = median * rng.lognormal(0.0, float(a["wage_sigma"]), m)
    abroad_share = np.array(a.by_country("home_contributions_share", codes))[origin[person]]
    home_contrib = migrating & (rng.random(m) < abroad_share)

    # residence on the evaluation date: abroad while a migration spell covers it
    abroad = np.zeros(n, dtype=bool)
    abroad[person[migrating & (s_end >= when)]] = True
    batch = Batch(
        countries=countries,
        birth=birth,
        sex=sex,
        nationality=origin,
        residence=np.where(abroad, dest, origin),
        evaluation=np.full(n, when, dtype="datetime64[D]"),
        children=np.zeros(n, dtype=np.int64),
        person=person.astype(np.int64),
        country=country,
        start=s_start.astype("datetime64[D]"),
        end=s_end.astype("datetime64[D]"),
        activity=activity,
        sector=sector,
        documented=documented,
        wage=wage,
        home_contributions=home_contrib,
        posted_from=np.full(m, -1, dtype=np.int64),
        employer_size=np.full(m, -1, dtype=np.int64),
        voluntary_member=np.zeros(m, dtype=bool),
    )
    return Population(
        batch=batch,
        cells=cells,
        cell=cell,
        weight=weight,
        origin=origin,
        destination=dest,
        age_at_migration=age_mig,
        returned=returned,
        second_migration=second,
        formal_at_home=formal,
        stock_date=stock_date,
    )
