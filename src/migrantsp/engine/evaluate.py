"""Evaluate careers: rows (person x country), coverage per scheme, national rules, results.

One code path for one worker with an explanation and for millions without: everything below works on
columns, and tracing only records what the columns already hold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import numpy as np

from migrantsp.coordination.instruments import Instrument
from migrantsp.coordination.posting import apply_multi_state, apply_posting, equal_treatment, party_nationals
from migrantsp.domain import Answer, Branch, Coverage
from migrantsp.engine.batch import Batch
from migrantsp.engine.benefit import (
    ENTITLED,
    LUMP_SUM,
    NO_SCHEME,
    NOT_COVERED,
    NOT_ENTITLED,
    Benefit,
)
from migrantsp.engine.context import BranchContext
from migrantsp.engine.coverage import (
    STATUS_CODE,
    SchemeCoverage,
    scheme_coverage,
    spell_pieces,
    status_codes_at,
    timeline_arrays,
)
from migrantsp.engine.memo import Entry, NationalMemo
from migrantsp.engine.timecols import Bools, Days, Floats, Ints
from migrantsp.engine.trace import Step, Trace
from migrantsp.knowledge.base import Knowledge, status_at
from migrantsp.knowledge.schema import Cell
from migrantsp.rules import Rule, rules_for
from migrantsp.rules.custom import RULES as CUSTOM_RULES
from migrantsp.rules.custom import custom_cell


@dataclass
class BranchColumns:
    """Results of one branch for every row (NaN: not applicable)."""

    status: Ints
    scheme: Ints  # index into Results.schemes; -1: none
    insured_months: Ints
    credited_months: Ints
    kind: Ints
    per: Ints
    amount: Floats
    payable_abroad: Bools
    method: Ints
    independent: Floats
    theoretical: Floats
    pro_rata: Floats
    supplement: Floats

    @classmethod
    def empty(cls, n: int) -> BranchColumns:
        nan = np.full(n, np.nan)
        return cls(
            status=np.full(n, NO_SCHEME, dtype=np.int64),
            scheme=np.full(n, -1, dtype=np.int64),
            insured_months=np.zeros(n, np.int64),
            credited_months=np.zeros(n, np.int64),
            kind=np.zeros(n, np.int64),
            per=np.zeros(n, np.int64),
            amount=nan.copy(),
            payable_abroad=np.zeros(n, bool),
            method=np.zeros(n, np.int64),
            independent=nan.copy(),
            theoretical=nan.copy(),
            pro_rata=nan.copy(),
            supplement=nan.copy(),
        )

    def clear(self, rows: Ints) -> None:
        """Back to the empty state on `rows` (before they are assessed again)."""
        empty = BranchColumns.empty(1)
        for name in self.__dataclass_fields__:
            getattr(self, name)[rows] = getattr(empty, name)[0]


@dataclass
class Results:
    batch: Batch
    row_person: Ints
    row_country: Ints
    branches: dict[Branch, BranchColumns]
    trace: Trace
    knowledge_version: str
    contexts: dict[tuple[str, Branch], BranchContext] = field(default_factory=dict)
    schemes: list[str] = field(default_factory=list)  # scheme ids, indexed by BranchColumns.scheme
    instrument: str = "none"  # id of the coordination instrument applied

    def scheme_code(self, scheme_id: str) -> int:
        if scheme_id not in self.schemes:
            self.schemes.append(scheme_id)
        return self.schemes.index(scheme_id)

    def scheme_of(self, branch: Branch, row: int) -> str | None:
        code = int(self.branches[branch].scheme[row])
        return None if code < 0 else self.schemes[code]

    def rows_of(self, person: int) -> Ints:
        return np.flatnonzero(self.row_person == person)


def cell_for(kb: Knowledge, batch: Batch, country: str, branch: Branch) -> Cell:
    if country in batch.custom_schemes:
        return custom_cell(batch.custom_schemes[country], branch)
    return kb.cell(country, branch)


def rule_for(batch: Batch, country: str, branch: Branch) -> Rule | None:
    if country in batch.custom_schemes:
        return CUSTOM_RULES.get(branch)
    return rules_for(country).get(branch)


def _exists(cell: Cell, national: Bools, when: np.ndarray) -> Bools:
    """Does a scheme exist for the person's group on the date (anything but no_scheme)?"""
    fw_code, _ = status_codes_at(timeline_arrays(cell.foreign_workers), when)
    nat_code, _ = (
        status_codes_at(timeline_arrays(cell.nationals), when) if cell.nationals else (fw_code, None)
    )
    code = np.where(national, nat_code, fw_code)
    return np.asarray((code >= 0) & (code != STATUS_CODE[Coverage.no_scheme]), dtype=bool)


def _answer_yes(timeline: list[Any], when: Days) -> Bools:
    """Vectorised: is the dated answer in force on each date `yes`?"""
    froms = np.array([f.from_ for f in timeline], dtype="datetime64[D]")
    untils = np.array([f.until or date(9999, 12, 31) for f in timeline], dtype="datetime64[D]")
    yes = np.array([f.value is Answer.yes for f in timeline], dtype=bool)
    idx = np.searchsorted(froms, when, side="right") - 1
    safe = np.maximum(idx, 0)
    return np.asarray((idx >= 0) & (when <= untils[safe]) & yes[safe], dtype=bool)


def _export(cell: Cell, when: Days, kind: Ints) -> Bools:
    """Payable abroad per the atlas: lump sums if paid on departure, other benefits if exported."""
    lump = _answer_yes(cell.portability.lump_sum_on_departure, when)
    other = _answer_yes(cell.portability.export, when)
    return np.where(kind == LUMP_SUM, lump, other)


def _coverage_key(cell: Cell, traced: bool) -> str:
    """Branches whose coverage rules are the same share one computation (not when explaining: the
    explanation quotes each cell's own wording)."""
    if traced:
        return str(id(cell))
    parts = [
        [(f.status.value, str(f.from_), str(f.until)) for f in tl]
        for tl in (cell.foreign_workers, cell.nationals, cell.nationals_abroad)
    ]
    excl = [(e.who.model_dump_json(), str(e.from_), str(e.until)) for e in cell.exclusions]
    return repr((parts, excl))


def _nationality_matters(cell: Cell) -> bool:
    """Can equality of treatment change who is insured: do nationals and foreign workers differ here?"""

    def dated(tl: list[Any]) -> list[tuple[Any, ...]]:
        return [(f.status, f.from_, f.until) for f in tl]

    differ = bool(cell.nationals) and dated(cell.nationals) != dated(cell.foreign_workers)
    return differ or any(e.who.foreign_workers_only for e in cell.exclusions)


def evaluate(batch: Batch, kb: Knowledge, branches: Sequence[Branch], trace: bool = False,
             instrument: Instrument | None = None, schemes: list[str] | None = None,
             memo: NationalMemo | None = None) -> Results:  # fmt: skip
    """National results for every row and branch, then the instrument's coordination over them.

    `schemes` fixes the scheme-id codes (parallel workers must agree on them); `memo` shares national
    results between evaluations of the same batch under other instruments or scenarios."""
    if trace:
        memo = None
    row_person, row_country = batch.rows  # every country worked in keeps its row
    if instrument is not None and instrument.id != "none":  # one legislation at a time (Arts. 11-13)
        original = batch
        batch = apply_multi_state(apply_posting(batch, instrument), instrument)
        moved = (
            _moved_rows(original, batch, row_person, row_country)
            if batch is not original
            else np.zeros(row_person.size, dtype=bool)
        )
    n = row_person.size
    tr = Trace(enabled=trace)
    results = Results(
        batch=batch,
        row_person=row_person,
        row_country=row_country,
        branches={b: BranchColumns.empty(n) for b in branches},
        trace=tr,
        knowledge_version=kb.version,
        schemes=list(schemes or []),
        instrument=instrument.id if instrument is not None else "none",
    )
    # each country's rows, in row order (a stable radix sort of small codes)
    by_country = np.argsort(row_country.astype(np.int16), kind="stable")
    counts = np.bincount(row_country, minlength=len(batch.countries.codes))
    ends = np.cumsum(counts)
    for code in np.flatnonzero(counts).tolist():
        _national(results, kb, instrument, code, by_country[ends[code] - counts[code] : ends[code]], memo)
    if instrument is not None:
        from migrantsp.coordination.apply import coordinate  # the coordination layer sits above this one

        coordinate(results, instrument)
        if tr.enabled and instrument.id != "none":
            for r in np.flatnonzero(moved).tolist():
                for b in branches:
                    tr.add(
                        np.array([r]),
                        b,
                        Step(
                            "reason",
                            "applicable_legislation",
                            f"Under {instrument.id}, "
                            "another party's legislation applies to work done here (posting within the "
                            "limit, Art. 12, or work in several parties at once, Art. 13)",
                            ("INTL-EU-883", "INTL-ILO-C157"),
                        ),
                    )
    return results


def _national(results: Results, kb: Knowledge, instrument: Instrument | None, code: int, rows: Ints,
              memo: NationalMemo | None) -> None:  # fmt: skip
    """One country's national results on its rows (coverage, then its rules), reused from `memo` where
    they cannot differ from an earlier evaluation of the same batch."""
    batch, tr, branches = results.batch, results.trace, list(results.branches)
    country = batch.countries.codes[code]
    persons = results.row_person[rows]
    cells = {b: cell_for(kb, batch, country, b) for b in branches}
    party = party_nationals(batch, instrument, country)
    party_foreign = None  # spells of other parties' nationals at work here (or posted from here)
    if party is not None:
        at_work = (batch.country == code) | (batch.posted_from == code)
        party_foreign = party[batch.person] & (batch.spell_nationality != code) & at_work
    party_foreigners = party_foreign is not None and bool(party_foreign.any())
    # Equality of treatment changes coverage only for other parties' nationals at work here, where
    # nationality matters (an explanation keeps it everywhere: it quotes the nationals' wording).
    equal = {
        b: equal_treatment(instrument, country, b)
        and (tr.enabled or (party_foreigners and _nationality_matters(cells[b])))
        for b in branches
    }
    # the parties matter where equality of treatment does: another instrument reaches other nationals
    parties = None
    if instrument is not None and any(equal.values()):
        parties = tuple(sorted(instrument.party_codes(list(batch.custom_schemes))))
    key = (country, parties, *((b, equal[b]) for b in branches))
    kept = memo.get(key, batch, kb.parameters, cells) if memo is not None else None
    if memo is not None and kept is not None:
        memo.hits += 1
        for branch in branches:
            kept.restore(results, rows, branch)
            results.contexts[(country, branch)] = kept.branches[branch][0]
        return
    # The same country without equality of treatment, kept: only the rows of other parties' nationals
    # working here can differ, so only they are assessed again.
    plain, affected = None, None
    if memo is not None and party_foreign is not None and any(equal.values()):
        plain = memo.get((country, None, *((b, False) for b in branches)), batch, kb.parameters, cells)
        if plain is not None:
            memo.partial += 1
            reached = np.zeros(batch.size, dtype=bool)
            reached[batch.person[party_foreign]] = True
            affected = reached[persons]
    pos = np.full(batch.size, -1, dtype=np.int64)
    pos[persons] = np.arange(rows.size)
    national = batch.nationality[persons] == code
    pieces = spell_pieces(batch, country, list(cells.values()), party)
    contingency = batch.evaluation[persons]
    shared: dict[str, tuple[BranchContext, Ints, BranchContext]] = {}
    for branch in branches:
        cell = cells[branch]
        if plain is not None and not equal[branch]:  # nothing differs from the kept branch
            plain.restore(results, rows, branch)
            results.contexts[(country, branch)] = plain.branches[branch][0]
            continue
        cov_key = _coverage_key(cell, tr.enabled) + f":{equal[branch]}"
        if cov_key not in shared:  # branches with the same coverage rules share coverage and insured time
            cov = scheme_coverage(
                batch, country, cell, pieces=pieces, explain=tr.enabled, equal_treatment=equal[branch]
            )
            seg_row = pos[batch.person[cov.spell]]
            base = BranchContext(country=country, branch=branch, batch=batch, parameters=kb.parameters,
                                 person=persons, rows=rows, coverage=cov, seg_row=seg_row,
                                 contingency=contingency, trace=tr, cell=cell)  # fmt: skip
            insured = base.insured_months()
            shared[cov_key] = (base, insured, base.subset(insured > 0))
        base, insured, active = shared[cov_key]
        ctx = replace(base, branch=branch, cell=cell)
        results.contexts[(country, branch)] = ctx
        out = results.branches[branch]
        if plain is not None and affected is not None:
            plain.restore(results, rows, branch)
            out.clear(rows[affected])
            part, part_insured = ctx.subset(affected), insured[affected]
            _assess(results, part, part.subset(part_insured > 0), part_insured, national[affected], out,
                    rows[affected])  # fmt: skip
        else:
            _assess(results, ctx, replace(active, branch=branch, cell=cell), insured, national, out, rows)
    if memo is not None:
        memo.entries[key] = Entry.of(results, rows, kb.parameters, cells, country)


def _moved_rows(before: Batch, after: Batch, row_person: Ints, row_country: Ints) -> Bools:
    """Rows whose country lost work days when the applicable legislation was settled."""
    k = len(before.countries.codes)

    def days(b: Batch) -> Ints:
        d = (b.end - b.start).astype(np.int64) + 1
        return np.bincount(b.person * k + b.country, weights=d, minlength=b.size * k).astype(np.int64)

    lost = days(before) > days(after)
    return np.asarray(lost[row_person * k + row_country], dtype=bool)


def _assess(
    res: Results,
    ctx: BranchContext,
    sub: BranchContext,
    insured: Ints,
    national: Bools,
    out: BranchColumns,
    rows: Ints,
) -> None:
    """Statuses from coverage, then the national rule on the insured rows (`sub`)."""
    cell = ctx.cell
    assert cell is not None
    exists = _exists(cell, national, ctx.contingency)
    out.insured_months[rows] = insured
    out.credited_months[rows] = insured
    no_scheme = (insured == 0) & ~exists
    not_covered = (insured == 0) & exists
    out.status[rows[no_scheme]] = NO_SCHEME
    out.status[rows[not_covered]] = NOT_COVERED
    if cell.schemes:
        out.scheme[rows[~no_scheme]] = res.scheme_code(cell.schemes[0])
    if ctx.trace.enabled:
        _explain_coverage(ctx, cell, insured, no_scheme, national)
    active = insured > 0
    if not active.any():
        return
    rule = rule_for(ctx.batch, ctx.country, ctx.branch)
    if rule is None:
        raise LookupError(f"no rule for {ctx.country} {ctx.branch.value}, yet the person is insured there")
    benefit: Benefit = rule(sub)
    r = rows[active]
    out.status[r] = np.where(benefit.entitled, ENTITLED, NOT_ENTITLED)
    out.kind[r] = benefit.kind
    out.per[r] = benefit.per
    out.amount[r] = np.where(benefit.entitled, benefit.amount, np.nan)
    abroad = (
        benefit.payable_abroad
        if benefit.payable_abroad is not None
        else _export(cell, sub.contingency, benefit.kind)
    )
    out.payable_abroad[r] = abroad & benefit.entitled
    out.method[r] = 0


def _explain_coverage(
    ctx: BranchContext, cell: Cell, insured: Ints, no_scheme: Bools, national: Bools
) -> None:
    """Reasons about who is insured: no scheme, or which spells were left out and why."""
    cov: SchemeCoverage = ctx.coverage
    for i in range(ctx.n):
        row = ctx.rows[i : i + 1]
        if no_scheme[i]:
            when = ctx.contingency[i].astype(object)
            tl = cell.nationals if national[i] and cell.nationals else cell.foreign_workers
            fact = status_at(tl, when) or tl[0]
            ctx.trace.add(row, ctx.branch, Step("reason", "no_scheme", fact.text, tuple(fact.sources)))
            continue
        mine = ctx.batch.person[cov.uncovered_spell] == ctx.person[i]
        for w in sorted(set(cov.uncovered_why[mine].tolist())):
            if w >= 0:
                why = cov.whys[w]
                ctx.trace.add(row, ctx.branch, Step("reason", why.code, why.message, why.sources))
        if insured[i] == 0 and not mine.any():
            f = cell.nationals_abroad[0] if national[i] else cell.foreign_workers[0]
            msg = f"No insured periods in {ctx.country}: the career has no work there" + (
                " and no contributions from abroad" if national[i] else ""
            )
            ctx.trace.add(row, ctx.branch, Step("reason", "no_insured_periods", msg, tuple(f.sources)))
        elif insured[i] > 0:
            msg = f"{int(insured[i])} insured months in {cell.schemes[0] if cell.schemes else ctx.country}"
            srcs = tuple(cell.foreign_workers[-1].sources)
            ctx.trace.add(row, ctx.branch, Step("reason", "insured_months", msg, srcs))
