"""Which days of which spells a scheme insures, applying the atlas cell's dated rules to each spell.

For a country C and a branch, a spell can be insured by C's scheme in two ways:
- *at work in C* (or posted from C): the status for the person (nationals, or foreign workers unless an
  instrument grants equality of treatment) must be `mandatory` (or `voluntary` and the spell says the
  worker joined), and no exclusion in force may match the spell (sector, activity, undocumented,
  contract length, employer size, age);
- *abroad* (a national of C working elsewhere): C's `nationals_abroad` status must be `mandatory` or
  `voluntary`, and the spell must say contributions were paid at home (`home_contributions`).
Every rule is dated, so spells are cut at each date a rule changes and each piece is judged on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np

from migrantsp.domain import ACTIVITY_ORDER, SECTOR_ORDER, Coverage
from migrantsp.engine.batch import Batch
from migrantsp.engine.timecols import (
    Bools,
    Days,
    Ints,
    add_years,
    age_years,
    count_at_or_before,
    month_index,
    split_at,
)
from migrantsp.knowledge.schema import Cell, Exclusion, Fact

STATUS_CODE = {Coverage.mandatory: 0, Coverage.voluntary: 1, Coverage.excluded: 2, Coverage.no_scheme: 3}
NONE = -1  # before the first dated entry: no scheme yet


@dataclass(frozen=True)
class Why:
    """Why some days of a spell are not insured: a code, a sentence, and the sources behind it."""

    code: str
    message: str
    sources: tuple[str, ...]


@dataclass
class SchemeCoverage:
    """Insured pieces of spells (day-level, inclusive) and, for uninsured pieces, why."""

    spell: Ints
    start: Days
    end: Days
    uncovered_spell: Ints
    uncovered_why: Ints
    whys: list[Why] = field(default_factory=list)

    @property
    def start_month(self) -> Ints:
        return month_index(self.start)

    @property
    def end_month(self) -> Ints:
        return month_index(self.end)


_TIMELINES: dict[int, tuple[list[Any], tuple[Days, Days, Ints]]] = {}


def timeline_arrays(facts: list[Any]) -> tuple[Days, Days, Ints]:
    """A dated timeline as arrays (from, until, status code), built once per timeline list.

    Keyed by the list's identity (timelines are never changed in place once loaded); the entry keeps the
    list alive so the identity is not reused."""
    hit = _TIMELINES.get(id(facts))
    if hit is not None and hit[0] is facts:
        return hit[1]
    if len(_TIMELINES) > 4096:  # patched knowledge bases (scenarios) bring new lists: stay bounded
        _TIMELINES.clear()
    arrays = _timeline_arrays(facts)
    _TIMELINES[id(facts)] = (facts, arrays)
    return arrays


def _timeline_arrays(facts: list[Any]) -> tuple[Days, Days, Ints]:
    froms = np.array([f.from_ for f in facts], dtype="datetime64[D]")
    untils = np.array([f.until or date(9999, 12, 31) for f in facts], dtype="datetime64[D]")
    codes = np.array([STATUS_CODE[f.status] for f in facts], dtype=np.int64)
    return froms, untils, codes


def status_codes_at(tl: tuple[Days, Days, Ints], when: Days) -> tuple[Ints, Ints]:
    """Status code and timeline entry in force on each date (NONE, -1 where nothing is in force)."""
    froms, untils, codes = tl[0].view(np.int64), tl[1].view(np.int64), tl[2]
    day = when.view(np.int64)
    if froms.size == 1:  # the common case: one rule since a date
        ok = (day >= froms[0]) & (day <= untils[0])
        return np.where(ok, codes[0], NONE), np.where(ok, 0, -1)
    idx = count_at_or_before(froms, day) - 1
    ok = idx >= 0
    safe = np.maximum(idx, 0)
    ok &= day <= untils[safe]
    return np.where(ok, codes[safe], NONE), np.where(ok, idx, -1)


def _breakpoints(facts: list[Fact]) -> list[date]:
    out: set[date] = set()
    for f in facts:
        out.add(f.from_)
        if f.until is not None:
            out.add(f.until + timedelta(days=1))
    return sorted(out)


def _ages_of(exclusions: list[Exclusion]) -> list[int]:
    """Birthdays at which an age rule changes: age_below N bites until birthday N, age_above N from N+1."""
    out: set[int] = set()
    for e in exclusions:
        if e.who.age_below is not None:
            out.add(e.who.age_below)
        if e.who.age_above is not None:
            out.add(e.who.age_above + 1)
    return sorted(out)


def _one_of(n: int, codes: list[int]) -> Bools:
    """A look-up table over `n` codes, true for `codes` (cheaper than `np.isin` at any size)."""
    table = np.zeros(n, dtype=bool)
    table[codes] = True
    return table


def _matches(
    e: Exclusion, batch: Batch, sp: Ints, t: Days, length_months: Ints, entry_age: Ints, national: Bools
) -> Bools:
    """Does exclusion `e` leave out spell pieces (spell `sp`, starting on `t`)? All fields must match."""
    w = e.who
    hit = np.ones(sp.size, dtype=bool)
    tested = False
    if w.sectors:
        hit &= _one_of(len(SECTOR_ORDER), [SECTOR_ORDER.index(s) for s in w.sectors])[batch.sector[sp]]
        tested = True
    if w.activities:
        codes = [ACTIVITY_ORDER.index(a) for a in w.activities]
        hit &= _one_of(len(ACTIVITY_ORDER), codes)[batch.activity[sp]]
        tested = True
    if w.undocumented:
        hit &= ~batch.documented[sp]
        tested = True
    if w.contract_months_below is not None:
        hit &= length_months < w.contract_months_below
        tested = True
    if w.employer_size_below is not None:
        size = batch.employer_size[sp]
        hit &= (size >= 0) & (size < w.employer_size_below)
        tested = True
    if w.age_below is not None or w.age_above is not None:
        age = age_years(batch.birth[batch.person[sp]], t)
        if w.age_below is not None:
            hit &= age < w.age_below
        if w.age_above is not None:
            hit &= age > w.age_above
        tested = True
    if w.entry_age_above is not None:
        hit &= entry_age > w.entry_age_above
        tested = True
    if w.foreign_workers_only:
        hit &= ~national
    return hit if tested else np.zeros(sp.size, dtype=bool)


@dataclass
class Pieces:
    """Candidate spells of one country cut at every date a rule changes: shared by the branches."""

    spell: Ints
    start: Days
    end: Days
    work: Bools  # at work in the country (or posted from it); otherwise a national abroad
    national: Bools  # a national of the country
    party: Bools  # a national of another party to an instrument granting equality of treatment
    length_months: Ints
    entry_age: Ints


def spell_pieces(batch: Batch, country: str, cells: list[Cell], party: Bools | None = None) -> Pieces:
    """Cut the spells that may be insured in `country` at every date any of `cells` changes a rule.

    `party` (per person): a national of another party to an instrument with equality of treatment.
    """
    c = batch.countries.index(country)
    nat = batch.spell_nationality == c
    at_work = (batch.country == c) | (batch.posted_from == c)
    cand = np.flatnonzero(at_work | nat)  # at work there, or one of its nationals abroad
    facts: list[Fact] = []
    exclusions: list[Exclusion] = []
    for cell in cells:
        facts += [*cell.foreign_workers, *cell.nationals, *cell.nationals_abroad, *cell.exclusions]
        exclusions += cell.exclusions
    start, end = batch.start[cand], batch.end[cand]
    cuts = np.array(_breakpoints(facts), dtype="datetime64[D]")
    idx, t, t_end = split_at(start, end, cuts)
    sp = cand[idx]
    for n in _ages_of(exclusions):  # birthdays where an age rule starts or stops biting
        birthday = add_years(batch.birth[batch.person[sp]], n)
        inside = (birthday > t) & (birthday <= t_end)
        if inside.any():  # the piece splits in two at the birthday; order (spell, start) is kept
            two = np.repeat(np.arange(sp.size), inside + 1)
            second = np.zeros(two.size, dtype=bool)
            second[1:] = two[1:] == two[:-1]
            first_of_two = np.zeros(two.size, dtype=bool)
            first_of_two[:-1] = second[1:]
            sp, b = sp[two], birthday[two]
            t = np.where(second, b, t[two])
            t_end = np.where(first_of_two, b - np.timedelta64(1, "D"), t_end[two])
    return Pieces(
        spell=sp,
        start=t,
        end=t_end,
        work=at_work[sp],
        national=nat[sp],
        party=np.zeros(sp.size, dtype=bool) if party is None else party[batch.person[sp]],
        length_months=batch.end_month[sp] - batch.start_month[sp] + 1,
        entry_age=batch.entry_age[sp],
    )


def scheme_coverage(
    batch: Batch,
    country: str,
    cell: Cell,
    pieces: Pieces | None = None,
    explain: bool = True,
    equal_treatment: bool = False,
) -> SchemeCoverage:
    """Insured pieces of every spell under `country`'s scheme for one atlas cell.

    `equal_treatment` lifts nationality conditions for nationals of other parties (`Pieces.party`).
    `pieces` (from `spell_pieces` over several cells) saves cutting the spells again; `explain` records
    why uninsured pieces are not insured (only needed for explanations).
    """
    pc = pieces or spell_pieces(batch, country, [cell])
    sp, t, t_end, work = pc.spell, pc.start, pc.end, pc.work
    is_nat = pc.national | pc.party if equal_treatment else pc.national
    length, entry_age = pc.length_months, pc.entry_age

    whys: list[Why] = []

    def why(code: str, message: str, sources: tuple[str, ...]) -> int:
        w = Why(code, message, sources)
        if w not in whys:
            whys.append(w)
        return whys.index(w)

    covered = np.zeros(sp.size, dtype=bool)
    reason = np.full(sp.size, -1, dtype=np.int64)

    # Status at work: nationals' timeline (when given) for nationals, foreign workers' otherwise.
    fw = timeline_arrays(cell.foreign_workers)
    natl = timeline_arrays(cell.nationals) if cell.nationals else fw
    fw_code, fw_idx = status_codes_at(fw, t)
    nt_code, nt_idx = status_codes_at(natl, t) if cell.nationals else (fw_code, fw_idx)
    code = np.where(is_nat, nt_code, fw_code)
    idx = np.where(is_nat, nt_idx, fw_idx)
    joined = batch.voluntary_member[sp]
    ok_work = work & ((code == 0) | ((code == 1) & joined))
    for k, f in enumerate(cell.foreign_workers if explain else []):
        sel = work & ~is_nat & (fw_idx == k) & ~ok_work
        reason[sel] = why(f"foreign_workers_{f.status.value}", f"Foreign workers: {f.text}", tuple(f.sources))
    for k, f in enumerate(cell.nationals if explain else []):
        sel = work & is_nat & (nt_idx == k) & ~ok_work
        reason[sel] = why(f"nationals_{f.status.value}", f"Nationals: {f.text}", tuple(f.sources))
    first = cell.foreign_workers[0]
    reason[work & (idx < 0)] = why(
        "no_scheme_yet",
        f"No scheme in force on these dates (the first rule we record applies from {first.from_})",
        tuple(first.sources),
    )

    # Exclusions (sector, activity, documents, contract, employer size, age) apply to work in the country.
    days = t.view(np.int64)
    first_day, last_day = (int(days.min()), int(days.max())) if t.size else (0, 0)
    for e in cell.exclusions:
        since = int(np.datetime64(e.from_, "D").view(np.int64))
        until = int(np.datetime64(e.until or date(9999, 12, 31), "D").view(np.int64))
        hit = ok_work & _matches(e, batch, sp, t, length, entry_age, is_nat)
        if not (since <= first_day and last_day <= until):  # in force on only some pieces
            hit &= (days >= since) & (days <= until)
        ok_work &= ~hit
        if explain:
            reason[hit] = why(f"excluded_{e.kind.value}", f"Excluded: {e.text}", tuple(e.sources))
    covered |= ok_work

    # Abroad: the home scheme's rule for nationals abroad, and contributions actually paid.
    ab = timeline_arrays(cell.nationals_abroad)
    away = np.flatnonzero(~work)  # the rule for nationals abroad is read for their pieces only
    ab_code = np.full(sp.size, NONE, dtype=np.int64)
    ab_idx = np.full(sp.size, -1, dtype=np.int64)
    ab_code[away], ab_idx[away] = status_codes_at(ab, t[away])
    home = batch.home_contributions[sp]
    ok_abroad = ~work & ((ab_code == 0) | (ab_code == 1)) & home
    covered |= ok_abroad
    for k, f in enumerate(cell.nationals_abroad if explain else []):
        sel = ~work & (ab_idx == k) & ~ok_abroad
        if f.status in (Coverage.mandatory, Coverage.voluntary):
            msg = (
                f"Work abroad counts only with contributions paid at home (home_contributions), "
                f"which this spell does not record. {f.text}"
            )
            reason[sel] = why("abroad_no_home_contributions", msg, tuple(f.sources))
        else:
            reason[sel] = why(f"abroad_{f.status.value}", f"Nationals abroad: {f.text}", tuple(f.sources))
    reason[~work & (ab_idx < 0)] = why(
        "no_scheme_yet",
        "No scheme for nationals abroad on these dates",
        tuple(cell.nationals_abroad[0].sources),
    )
    unc = ~covered
    spell, start, end = _merge_runs(sp[covered], t[covered], t_end[covered])
    return SchemeCoverage(
        spell=spell,
        start=start,
        end=end,
        uncovered_spell=sp[unc],
        uncovered_why=reason[unc],
        whys=whys,
    )


def _merge_runs(spell: Ints, start: Days, end: Days) -> tuple[Ints, Days, Days]:
    """Join consecutive insured pieces of the same spell (cutting at rule dates left them apart)."""
    if spell.size < 2:
        return spell, start, end
    new = np.ones(spell.size, dtype=bool)
    new[1:] = (spell[1:] != spell[:-1]) | (start[1:] != end[:-1] + 1)
    first = np.flatnonzero(new)
    last = np.r_[first[1:] - 1, spell.size - 1]
    return spell[first], start[first], end[last]
