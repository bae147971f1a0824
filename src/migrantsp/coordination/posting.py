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
    )
