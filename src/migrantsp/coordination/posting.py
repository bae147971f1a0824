"""Which legislation applies under an instrument: posting limits and equality of treatment.

Posting (EU 883/2004 Art. 12; C157 Part II): a worker posted between two parties stays under the
sending party's legislation for up to `posting_months`, then comes under the host's (lex loci laboris,
Art. 11(3)(a)). Without an instrument both laws may apply (double coverage), as the career says.
"""

from __future__ import annotations

import numpy as np

from migrantsp.coordination.instruments import Instrument
from migrantsp.domain import Branch
from migrantsp.engine.batch import Batch
from migrantsp.engine.timecols import Bools, add_months
from migrantsp.money import rate


def _party_index(batch: Batch, inst: Instrument) -> np.ndarray:
    parties = set(inst.party_codes(list(batch.custom_schemes)))
    return np.array([c in parties for c in batch.countries.codes], dtype=bool)


def party_nationals(batch: Batch, inst: Instrument | None, country: str) -> Bools | None:
    """Per person: a national of another party, when `country` is a party granting equality of treatment."""
    if inst is None or not inst.equality_of_treatment or inst.id == "none":
        return None
    is_party = _party_index(batch, inst)
    if country not in batch.countries.codes or not is_party[batch.countries.codes.index(country)]:
        return None
    return np.asarray(is_party[batch.nationality], dtype=bool)


def equal_treatment(inst: Instrument | None, country: str, branch: Branch) -> bool:
    return bool(inst is not None and inst.equality_of_treatment and inst.covers(branch))


def apply_posting(batch: Batch, inst: Instrument) -> Batch:
    """Posted spells between parties: the sending state's law for `posting_months`, then the host's."""
    if inst.posting_months is None:
        return batch
    is_party = _party_index(batch, inst)
    posted = (batch.posted_from >= 0) & is_party[batch.country] & is_party[np.maximum(batch.posted_from, 0)]
    if not posted.any():
        return batch
    limit_end = add_months(batch.start, inst.posting_months) - np.timedelta64(1, "D")
    idx = np.flatnonzero(posted)
    # first part: under the sending state's law, as if working there
    first_end = np.minimum(batch.end[idx], limit_end[idx])
    # second part (if any): the host's law
    rest = idx[batch.end[idx] > limit_end[idx]]
    n = batch.person.size

    def cat(a: np.ndarray, first: np.ndarray, second: np.ndarray) -> np.ndarray:
        out = a.copy()
        out[idx] = first
        return np.concatenate([out, second])

    def same(a: np.ndarray) -> np.ndarray:
        return cat(a, a[idx], a[rest])

    country = cat(batch.country, batch.posted_from[idx], batch.country[rest])
    start = cat(batch.start, batch.start[idx], limit_end[rest] + np.timedelta64(1, "D"))
    end = cat(batch.end, first_end, batch.end[rest])
    posted_from = cat(batch.posted_from, np.full(idx.size, -1), np.full(rest.size, -1))
    order = np.argsort(np.concatenate([batch.person, batch.person[rest]]), kind="stable")
    assert order.size == n + rest.size

    def o(a: np.ndarray) -> np.ndarray:
        return a[order]

    return Batch(
        countries=batch.countries,
        birth=batch.birth,
        sex=batch.sex,
        nationality=batch.nationality,
        residence=batch.residence,
        evaluation=batch.evaluation,
        children=batch.children,
        person=o(np.concatenate([batch.person, batch.person[rest]])),
        country=o(country),
        start=o(start),
        end=o(end),
        activity=o(same(batch.activity)),
        sector=o(same(batch.sector)),
        documented=o(same(batch.documented)),
        wage=o(same(batch.wage)),
        home_contributions=o(same(batch.home_contributions)),
        posted_from=o(posted_from),
        employer_size=o(same(batch.employer_size)),
        voluntary_member=o(same(batch.voluntary_member)),
        custom_schemes=batch.custom_schemes,
        ids=batch.ids,
        child_person=batch.child_person,
        child_birth=batch.child_birth,
    )


def _usd(batch: Batch, spell: int) -> float:
    """A spell's wage in US dollars, to compare wages across states (NaN where no rate exists)."""
    currency = batch.currency(batch.countries.codes[int(batch.country[spell])])
    factor = rate(currency, "USD", int(str(batch.start[spell])[:4]))
    return float(batch.wage[spell]) * factor if factor is not None else float("nan")


def apply_multi_state(batch: Batch, inst: Instrument) -> Batch:
    """Work in two parties at the same time (EU 883/2004 Art. 13(1); 987/2009 Art. 14(8)): one legislation.

    The state of residence applies when work there brings at least 25 % of the combined wage over the
    overlap (remuneration, one of the two indicative criteria); otherwise the state of the better-paid
    spell, standing in for the employer's registered office, which a career file does not record (wages
    compared in US dollars at the year's average rate; where no rate exists, residence decides). The
    other spell's overlapping days are insured under that legislation.
    """
    if batch.person.size < 2:
        return batch
    is_party = _party_index(batch, inst)
    p, s, e = batch.person, batch.start, batch.end
    ordered = (p[1:] > p[:-1]) | ((p[1:] == p[:-1]) & (s[1:] >= s[:-1]))
    order = np.arange(p.size) if ordered.all() else np.lexsort((batch.start, batch.person))  # usually ordered
    p, s, e = p[order], s[order], e[order]
    same = np.zeros(p.size, dtype=bool)
    same[1:] = p[1:] == p[:-1]
    big = np.int64(1 << 24)  # more days than any career spans: keeps each person's running maximum apart
    running_end = np.maximum.accumulate(e.view(np.int64) + p * big) - p * big
    overlap = same.copy()
    overlap[1:] &= s[1:].view(np.int64) <= running_end[:-1]
    # only overlaps between two different parties need one legislation to be chosen
    c = batch.country[order]
    overlap[1:] &= (c[1:] != c[:-1]) & is_party[c[1:]] & is_party[c[:-1]]
    people = np.unique(p[overlap])
    if people.size == 0:
        return batch
    country = batch.country.copy()
    start, end = batch.start.copy(), batch.end.copy()
    extra: list[tuple[int, int, np.datetime64, np.datetime64]] = []  # (spell, country, start, end)
    for person in people.tolist():
        mine = np.flatnonzero((batch.person == person) & is_party[batch.country] & (batch.posted_from < 0))
        for i_pos, i in enumerate(mine):
            for j in mine[i_pos + 1 :]:
                if batch.country[i] == batch.country[j]:
                    continue
                lo, hi = max(start[i], start[j]), min(end[i], end[j])
                if lo > hi:
                    continue
                home = batch.residence[person]
                wi, wj = _usd(batch, int(i)), _usd(batch, int(j))
                if batch.country[i] == home and wi >= 0.25 * (wi + wj):
                    win, lose = i, j
                elif batch.country[j] == home and wj >= 0.25 * (wi + wj):
                    win, lose = j, i
                elif wi != wi or wj != wj:  # no exchange rate: residence, else the earlier spell
                    win, lose = (j, i) if batch.country[j] == home else (i, j)
                else:
                    win, lose = (i, j) if wi >= wj else (j, i)
                # the losing spell's overlap moves to the winning state's legislation
                extra.append((lose, int(batch.country[win]), lo, hi))
                if start[lose] >= lo and end[lose] <= hi:
                    country[lose] = batch.country[win]
                elif start[lose] < lo and end[lose] > hi:
                    extra.append((lose, int(batch.country[lose]), hi + np.timedelta64(1, "D"), end[lose]))
                    end[lose] = lo - np.timedelta64(1, "D")
                elif start[lose] < lo:
                    end[lose] = lo - np.timedelta64(1, "D")
                else:
                    start[lose] = hi + np.timedelta64(1, "D")
    moved = [x for x in extra if not (x[2] == start[x[0]] and country[x[0]] == x[1] and end[x[0]] == x[3])]
    src = np.array([x[0] for x in moved], dtype=np.int64)
    new_country = np.array([x[1] for x in moved], dtype=np.int64)
    new_start = np.array([x[2] for x in moved], dtype="datetime64[D]")
    new_end = np.array([x[3] for x in moved], dtype="datetime64[D]")

    def cat(a: np.ndarray, added: np.ndarray | None = None) -> np.ndarray:
        return np.concatenate([a, a[src] if added is None else added])

    person = cat(batch.person)
    keep = np.concatenate([end >= start, new_end >= new_start])
    idx = np.flatnonzero(keep)
    order2 = idx[np.argsort(person[idx], kind="stable")]

    def o(a: np.ndarray) -> np.ndarray:
        return a[order2]

    return Batch(
        countries=batch.countries, birth=batch.birth, sex=batch.sex, nationality=batch.nationality,
        residence=batch.residence, evaluation=batch.evaluation, children=batch.children,
        person=o(person), country=o(cat(country, new_country)), start=o(cat(start, new_start)),
        end=o(cat(end, new_end)), activity=o(cat(batch.activity)), sector=o(cat(batch.sector)),
        documented=o(cat(batch.documented)), wage=o(cat(batch.wage)),
        home_contributions=o(cat(batch.home_contributions)), posted_from=o(cat(batch.posted_from)),
        employer_size=o(cat(batch.employer_size)), voluntary_member=o(cat(batch.voluntary_member)),
        custom_schemes=batch.custom_schemes, ids=batch.ids, child_person=batch.child_person,
        child_birth=batch.child_birth,
    )  # fmt: skip
