"""Random careers as columns, for benchmarks and property tests (not a calibrated population).

Wages are rough, round magnitudes in each currency chosen only to exercise floors and ceilings;
they are not data. The calibrated population is built from UN and ILO data elsewhere.
"""

from __future__ import annotations

import numpy as np

from migrantsp.domain import ASEAN_CODES, SECTOR_ORDER
from migrantsp.engine.batch import Batch, Countries

TEST_WAGE = {
    "BRN": 900.0, "KHM": 900_000.0, "IDN": 3_500_000.0, "LAO": 2_500_000.0, "MYS": 2_000.0,
    "MMR": 300_000.0, "PHL": 15_000.0, "SGP": 2_000.0, "THA": 12_000.0, "VNM": 7_000_000.0,
}  # fmt: skip


def random_batch(n: int, seed: int = 0, evaluation: str = "2026-01-01", max_spells: int = 4) -> Batch:
    """`n` people with 1..max_spells consecutive spells in member states, evaluated on one date."""
    rng = np.random.default_rng(seed)
    countries = Countries()
    k = len(ASEAN_CODES)
    birth = np.datetime64("1960-01-01") + rng.integers(0, 40 * 365, n).astype("timedelta64[D]")
    nationality = rng.integers(0, k, n)
    n_spells = rng.integers(1, max_spells + 1, n)
    m = int(n_spells.sum())
    person = np.repeat(np.arange(n), n_spells)
    first = np.zeros(m, dtype=bool)
    first[np.cumsum(n_spells) - n_spells] = True
    home = rng.random(m) < 0.4
    country = np.where(home | first, nationality[person], rng.integers(0, k, m))
    gap = rng.integers(0, 365, m).astype("timedelta64[D]")
    length = rng.integers(60, 12 * 365, m).astype("timedelta64[D]")
    age18 = birth[person] + np.timedelta64(18 * 365, "D")
    # consecutive spells per person: cumulative (gap + length) from the 18th birthday
    step = (gap + length).astype(np.int64)
    cum = np.cumsum(step)
    first_idx = np.cumsum(n_spells) - n_spells
    base = np.repeat(cum[first_idx] - step[first_idx], n_spells)
    offset = (cum - base - step).astype("timedelta64[D]")
    start = age18 + offset + gap
    end = start + length - np.timedelta64(1, "D")  # inclusive: the next spell starts after it
    when = np.datetime64(evaluation)
    end = np.minimum(end, when)
    keep = start <= when
    sel = np.flatnonzero(keep)
    codes = np.array(ASEAN_CODES)
    wage_base = np.array([TEST_WAGE[c] for c in codes])
    return Batch(
        countries=countries,
        birth=birth,
        sex=rng.integers(0, 2, n),
        nationality=nationality,
        residence=nationality.copy(),
        evaluation=np.full(n, when, dtype="datetime64[D]"),
        children=rng.integers(0, 3, n),
        person=person[sel],
        country=country[sel],
        start=start[sel],
        end=end[sel],
        activity=np.where(rng.random(m) < 0.1, 2, 0)[sel],
        sector=rng.integers(0, len(SECTOR_ORDER), m)[sel],
        documented=(rng.random(m) < 0.8)[sel],
        wage=(wage_base[country] * rng.lognormal(0.0, 0.5, m))[sel],
        home_contributions=(rng.random(m) < 0.2)[sel],
        posted_from=np.full(sel.size, -1),
        employer_size=np.full(sel.size, -1),
        voluntary_member=np.zeros(sel.size, dtype=bool),
    )
