"""Survival and annuity factors from the UN WPP 2024 abridged life tables shipped in `migrantsp.data`.

The abridged tables give l(x) at ages 0, 1, 5, 10, ..., 100 by country, sex and five-year period. Single
ages are interpolated log-linearly between the tabulated ages (a constant force of mortality within each
age group, as the tables' own construction assumes from 80 on); beyond 100, l(x) declines at the open
interval's force of mortality 1 / e(100). A period table is used (the period containing the evaluation
date): mortality improvements after that period are not modelled, which understates survival at old ages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import numpy as np

from migrantsp.engine.timecols import Floats, Ints
from migrantsp.population.data import LIFE, read_checked

MAX_AGE = 120  # l(x) is extended to this age with the open interval's force of mortality


@dataclass(frozen=True)
class LifeTable:
    """Single-age l(x), x = 0..MAX_AGE, per (country, sex): `lx[country_index, sex, age]`."""

    period: str
    countries: tuple[str, ...]
    lx: Floats
    _memo: dict[str, Floats] = field(default_factory=dict, init=False, repr=False, compare=False)

    def survival(self, country: Ints, sex: Ints, age_from: Floats, age_to: Floats) -> Floats:
        """Probability of surviving from `age_from` to `age_to` (1 where age_to <= age_from)."""
        a0 = np.clip(age_from, 0, MAX_AGE)
        a1 = np.clip(np.maximum(age_to, age_from), 0, MAX_AGE)
        return np.asarray(self._l(country, sex, a1) / self._l(country, sex, a0), dtype=np.float64)

    def _l(self, country: Ints, sex: Ints, age: Floats) -> Floats:
        """l at fractional ages: log-linear between integer ages."""
        lo = np.floor(age).astype(np.int64)
        hi = np.minimum(lo + 1, MAX_AGE)
        f = age - lo
        log_lx = self._log_lx()
        a, b = log_lx[country, sex, lo], log_lx[country, sex, hi]
        return np.asarray(np.exp((1 - f) * a + f * b), dtype=np.float64)

    def _log_lx(self) -> Floats:
        if "log_lx" not in self._memo:
            self._memo["log_lx"] = np.log(self.lx)
        return np.asarray(self._memo["log_lx"])

    def annuity(self, country: Ints, sex: Ints, age: Floats, rate: float) -> Floats:
        """Present value at `age` of 1 a year paid monthly in advance for life: the annual annuity-due
        a(x) = sum_k v^k l(x+k)/l(x), less 11/24 for monthly payments (Woolhouse, first term); computed at
        integer ages and interpolated linearly in between."""
        factors = self._annuities(rate)
        x = np.clip(age, 0, MAX_AGE)
        lo = np.floor(x).astype(np.int64)
        hi = np.minimum(lo + 1, MAX_AGE)
        f = x - lo
        out = (1 - f) * factors[country, sex, lo] + f * factors[country, sex, hi]
        return np.asarray(out, dtype=np.float64)

    def _annuities(self, rate: float) -> Floats:
        """Annuity factors at every integer age, computed once per discount rate."""
        key = f"annuities:{rate!r}"
        if key not in self._memo:
            self._memo[key] = self._annuities_at(rate)
        return np.asarray(self._memo[key])

    def _annuities_at(self, rate: float) -> Floats:
        v = 1.0 / (1.0 + rate)
        n = MAX_AGE + 1
        out = np.zeros_like(self.lx)
        # backwards: a(x) = 1 + v p(x) a(x+1), with a(MAX_AGE) = 1
        acc = np.ones(self.lx.shape[:2])
        out[:, :, n - 1] = acc
        for x in range(n - 2, -1, -1):
            acc = 1.0 + v * (self.lx[:, :, x + 1] / self.lx[:, :, x]) * acc
            out[:, :, x] = acc
        return np.asarray(np.maximum(out - 11 / 24, 0.0), dtype=np.float64)


def periods() -> list[str]:
    return sorted({r["period"] for r in read_checked(LIFE)})


def period_of(year: int) -> str:
    """The five-year period containing `year` (WPP periods are labelled 2030-2035 for 1 July 2030 to 30
    June 2035; the label's first year is used)."""
    known = periods()
    for p in known:
        a, b = (int(x) for x in p.split("-"))
        if a <= year < b:
            return p
    return known[-1] if year >= int(known[-1][:4]) else known[0]


@cache
def table(period: str) -> LifeTable:
    rows = [r for r in read_checked(LIFE) if r["period"] == period]
    countries = tuple(sorted({r["country_iso3"] for r in rows}))
    lx = np.zeros((len(countries), 2, MAX_AGE + 1))
    for ci, c in enumerate(countries):
        for si, s in enumerate(("female", "male")):
            mine = sorted(
                (r for r in rows if r["country_iso3"] == c and r["sex"] == s),
                key=lambda r: int(r["age_start"]),
            )
            x = np.array([int(r["age_start"]) for r in mine], dtype=np.float64)
            ln = np.log(np.array([float(r["lx"]) for r in mine]))
            e100 = float(mine[-1]["ex"])
            ages = np.arange(MAX_AGE + 1, dtype=np.float64)
            inside = np.interp(np.minimum(ages, x[-1]), x, ln)
            beyond = ln[-1] - (ages - x[-1]) / e100
            lx[ci, si] = np.exp(np.where(ages <= x[-1], inside, beyond))
    return LifeTable(period=period, countries=countries, lx=lx)
