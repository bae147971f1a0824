"""What a national rule sees: the rows of one country and one branch, their insured time and wages,
the parameters in force on each row's contingency date, and a trace to say why.

Rules are pure functions of a `BranchContext`, vectorised over rows; a row is one person in one country.
Coordination re-runs the same rule with other credited months (`with_credited`), which is how national
formulas become the `f_s(D)` of totalisation and pro-rata calculations.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from migrantsp.domain import Branch
from migrantsp.engine.batch import FEMALE, Batch
from migrantsp.engine.coverage import SchemeCoverage
from migrantsp.engine.timecols import (
    Bools,
    Days,
    Floats,
    Ints,
    age_years,
    month_index,
    month_start,
    split_at,
    union_length,
)
from migrantsp.engine.trace import Step, Trace
from migrantsp.knowledge.parameters import ParameterTree
from migrantsp.knowledge.schema import Cell


@dataclass(frozen=True)
class BranchContext:
    country: str
    branch: Branch
    batch: Batch
    parameters: ParameterTree
    person: Ints  # person of each row
    rows: Ints  # global row ids (for the trace)
    coverage: SchemeCoverage
    seg_row: Ints  # local row of each insured piece in `coverage`
    contingency: Days  # date the contingency is assumed to occur, per row
    trace: Trace
    cell: Cell | None = None
    credited_override: Ints | None = None  # months credited by coordination instead of own insured months
    window_extra: Sequence[tuple[Ints, Ints, Ints]] = field(
        default=()
    )  # other parties' pieces: (row, m0, m1)
    _cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def n(self) -> int:
        return int(self.person.size)

    # ------------------------------------------------------------------ people
    def age(self, on: Days | None = None) -> Ints:
        return age_years(self.batch.birth[self.person], self.contingency if on is None else on)

    @property
    def female(self) -> Bools:
        return np.asarray(self.batch.sex[self.person] == FEMALE, dtype=bool)

    @property
    def national(self) -> Bools:
        return np.asarray(
            self.batch.nationality[self.person] == self.batch.countries.index(self.country), dtype=bool
        )

    @property
    def resident(self) -> Bools:
        return np.asarray(
            self.batch.residence[self.person] == self.batch.countries.index(self.country), dtype=bool
        )

    @property
    def children(self) -> Ints:
        """Children listed in the career (all ages)."""
        return self.batch.children[self.person]

    def children_under(self, age: float) -> Ints:
        """Children born by the contingency date and younger than `age` years on it, per row."""
        b = self.batch
        local = -np.ones(b.size, dtype=np.int64)
        local[self.person] = np.arange(self.n)
        row = local[b.child_person]
        mine = row >= 0
        row, birth = row[mine], b.child_birth[mine]
        on = self.contingency[row]
        young = (birth <= on) & (age_years(birth, on) < age)
        return np.bincount(row[young], minlength=self.n).astype(np.int64)

    @property
    def birth(self) -> Days:
        return self.batch.birth[self.person]

    # ------------------------------------------------------------------ insured time
    def _pieces(self) -> tuple[Ints, Ints, Ints]:
        """Insured pieces as (row, first month, last month), cut at each row's contingency month."""
        key = "pieces"  # the cache is reset whenever the contingency or the rows change
        if key not in self._cache:
            cov = self.coverage
            last = month_index(self.contingency)[self.seg_row]
            m1 = np.minimum(cov.end_month, last)
            self._cache[key] = (self.seg_row, cov.start_month, m1)
        return self._cache[key]  # type: ignore[no-any-return]

    def insured_months(self) -> Ints:
        """Calendar months with at least one insured day in this scheme, overlaps counted once."""
        row, m0, m1 = self._pieces()
        return union_length(row, m0, m1, self.n)

    def months(self, window: int | None = None) -> Ints:
        """Months credited: own insured months, or what coordination credits (totalisation).

        With `window`: months insured in the `window` calendar months before the contingency month
        (e.g. 3 months within the last 15), other parties' months included when totalising.
        """
        if window is None:
            return self.credited_override if self.credited_override is not None else self.insured_months()
        row, m0, m1 = self._pieces()
        rows, starts, ends = [row], [m0], [m1]
        for r, a, b in self.window_extra:
            rows.append(r)
            starts.append(a)
            ends.append(b)
        row, m0, m1 = np.concatenate(rows), np.concatenate(starts), np.concatenate(ends)
        c = month_index(self.contingency)[row]
        return union_length(row, np.maximum(m0, c - window), np.minimum(m1, c - 1), self.n)

    def insured_on_contingency(self) -> Bools:
        """Insured on the contingency date itself (in work covered by the scheme)."""
        cov = self.coverage
        on = self.contingency[self.seg_row]
        hit = (cov.start <= on) & (cov.end >= on)
        return np.bincount(self.seg_row[hit], minlength=self.n) > 0

    # ------------------------------------------------------------------ wages and contributions
    def _wage_pieces(self, ceiling: str | None, floor: str | None) -> tuple[Ints, Ints, Ints, Floats]:
        key = f"wages:{ceiling}:{floor}"
        if key in self._cache:
            return self._cache[key]  # type: ignore[no-any-return]
        row, m0, m1 = self._pieces()
        wage = self.batch.wage[self.coverage.spell]
        if ceiling is None and floor is None:
            self._cache[key] = (row, m0, m1, wage)
            return row, m0, m1, wage
        cuts = np.unique(
            np.concatenate(
                [month_index(self.parameters[self._path(p)].starts) for p in (ceiling, floor) if p]
            )
        )
        idx, p0, p1 = split_at(m0, m1, cuts)
        w = wage[idx]
        at = month_start(p0)
        if ceiling:
            w = np.fmin(w, self.parameters[self._path(ceiling)].values_at(at))
        if floor:
            w = np.fmax(w, self.parameters[self._path(floor)].values_at(at))
        self._cache[key] = (row[idx], p0, p1, w)
        return row[idx], p0, p1, w

    def average_wage(
        self, last_months: int | None = None, ceiling: str | None = None, floor: str | None = None
    ) -> Floats:
        """Average monthly insured wage, months-weighted; with `last_months`, over the calendar months
        ending with the last insured month (months without insurance left out). Capped at `ceiling`."""
        row, m0, m1, w = self._wage_pieces(ceiling, floor)
        if last_months is not None and row.size:
            last = np.full(self.n, -1, dtype=np.int64)
            np.maximum.at(last, row, m1)
            m0 = np.maximum(m0, last[row] - last_months + 1)
        n = np.maximum(m1 - m0 + 1, 0)
        total = np.bincount(row, weights=n * w, minlength=self.n)
        months = np.bincount(row, weights=n, minlength=self.n)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(months > 0, total / np.maximum(months, 1), 0.0)

    def contributions(
        self,
        rate: str | float,
        ceiling: str | None = None,
        floor: str | None = None,
        interest: str | float | None = None,
    ) -> Floats:
        """Contributions paid on insured wages (rate may change over time), with annual interest
        compounded monthly up to the contingency month when `interest` is given."""
        row, m0, m1, w = self._wage_pieces(ceiling, floor)
        if isinstance(rate, str):
            cuts = month_index(self.parameters[self._path(rate)].starts)
            idx, m0, m1 = split_at(m0, m1, cuts)
            row, w = row[idx], w[idx]
            r = np.nan_to_num(self.parameters[self._path(rate)].values_at(month_start(m0)))
        else:
            r = np.full(row.size, float(rate))
        n = np.maximum(m1 - m0 + 1, 0).astype(np.float64)
        per_month = w * r
        if interest is None:
            value = per_month * n
        else:
            annual = self.param(interest)[row] if isinstance(interest, str) else np.full(row.size, interest)
            g = np.power(1.0 + annual, 1.0 / 12.0) - 1.0
            valuation = month_index(self.contingency)[row]
            growth_after = np.power(1.0 + g, np.maximum(valuation - m1, 0))
            with np.errstate(invalid="ignore", divide="ignore"):
                factor = np.where(g > 0, (np.power(1.0 + g, n) - 1.0) / np.where(g > 0, g, 1.0), n)
            value = per_month * factor * growth_after
        return np.bincount(row, weights=value, minlength=self.n).astype(np.float64)

    # ------------------------------------------------------------------ parameters
    def _path(self, path: str) -> str:
        return path if path.startswith(f"{self.country}.") else f"{self.country}.{path}"

    def param(self, path: str, on: Days | None = None) -> Floats:
        """A parameter's value in force on each row's contingency date (or `on`), traced with its source."""
        p = self.parameters[self._path(path)]
        when = self.contingency if on is None else on
        values = p.values_at(when)
        if self.trace.enabled:
            idx = np.asarray(p.index_at(when))
            for i in range(self.n):
                k = int(idx[i])
                refs = p.references[k] if k >= 0 else ()
                step = Step(
                    "parameter",
                    p.path,
                    p.description,
                    tuple(r.source for r in refs),
                    path=p.path,
                    value=float(values[i]),
                    unit=p.unit,
                    since=p.starts[k].astype(object) if k >= 0 else None,
                )
                self.trace.add(self.rows[i : i + 1], self.branch, step)
        return values

    # ------------------------------------------------------------------ explanation
    def reason(self, mask: Bools, code: str, template: str, sources: Sequence[str], **values: Any) -> None:
        """Explain a decision for the rows in `mask`; a reason with no sources of its own cites the atlas
        cell's coverage rule for the scheme (every reason must say what it rests on)."""
        if not sources and self.cell is not None:
            sources = self.cell.foreign_workers[-1].sources
        self.trace.reason(
            self.rows, self.branch, np.broadcast_to(mask, (self.n,)), code, template, tuple(sources), values
        )

    def sources_of(self, *paths: str) -> tuple[str, ...]:
        """Source ids behind parameters (their latest values), to cite in a reason."""
        out: list[str] = []
        for path in paths:
            for refs in self.parameters[self._path(path)].references:
                out += [r.source for r in refs if r.source not in out]
        return tuple(out)

    # ------------------------------------------------------------------ variants
    def at(self, contingency: Days) -> BranchContext:
        """The same rows with the contingency moved (old age is assessed at pensionable age)."""
        return replace(self, contingency=contingency, _cache={})

    def with_credited(self, months: Ints, extra: Sequence[tuple[Ints, Ints, Ints]] = ()) -> BranchContext:
        return replace(self, credited_override=months, window_extra=extra, _cache={})

    def subset(self, mask: Bools) -> BranchContext:
        """Only the rows where `mask` holds (pieces renumbered)."""
        keep = np.flatnonzero(mask)
        remap = -np.ones(self.n, dtype=np.int64)
        remap[keep] = np.arange(keep.size)
        seg = remap[self.seg_row] >= 0
        cov = self.coverage
        sub = SchemeCoverage(
            spell=cov.spell[seg],
            start=cov.start[seg],
            end=cov.end[seg],
            uncovered_spell=cov.uncovered_spell,
            uncovered_why=cov.uncovered_why,
            whys=cov.whys,
        )
        return replace(
            self,
            person=self.person[keep],
            rows=self.rows[keep],
            coverage=sub,
            seg_row=remap[self.seg_row[seg]],
            contingency=self.contingency[keep],
            credited_override=None if self.credited_override is None else self.credited_override[keep],
            window_extra=[
                (remap[r][remap[r] >= 0], a[remap[r] >= 0], b[remap[r] >= 0]) for r, a, b in self.window_extra
            ],
            _cache={},
        )
