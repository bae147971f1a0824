"""Careers as columns: one row per person, one row per spell (numpy arrays), ready for the engine.

A single career is a batch of one; a synthetic population is a batch of millions built directly from
arrays (`Batch.from_arrays`), so both go down the same path.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from migrantsp.career import Career, CustomScheme, Sex
from migrantsp.domain import ACTIVITY_ORDER, ASEAN, ASEAN_CODES, SECTOR_ORDER
from migrantsp.engine.timecols import Bools, Days, Floats, Ints, age_years, month_index
from migrantsp.money import rate
from migrantsp.problems import InvalidInput, Problem

FEMALE, MALE = 0, 1


@dataclass
class Countries:
    """Country codes <-> small integers. Member states come first, in a fixed order."""

    codes: list[str] = field(default_factory=lambda: list(ASEAN_CODES))

    def index(self, code: str) -> int:
        try:
            return self.codes.index(code)
        except ValueError:
            self.codes.append(code)
            return len(self.codes) - 1


@dataclass
class Batch:
    """People and their spells as columns. Wages are in the currency of the spell country's scheme."""

    countries: Countries
    # people (n)
    birth: Days
    sex: Ints  # 0 female, 1 male
    nationality: Ints
    residence: Ints
    evaluation: Days
    children: Ints  # number of children (family branch)
    # spells (m)
    person: Ints
    country: Ints
    start: Days
    end: Days  # inclusive, clipped to the evaluation date
    activity: Ints
    sector: Ints
    documented: Bools
    wage: Floats
    home_contributions: Bools
    posted_from: Ints  # -1: not posted
    employer_size: Ints  # -1: unknown
    voluntary_member: Bools
    custom_schemes: dict[str, CustomScheme] = field(default_factory=dict)
    ids: list[str | None] = field(default_factory=list)
    # children (family and maternity rules): their parent and birth date, when the career lists them
    child_person: Ints = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    child_birth: Days = field(default_factory=lambda: np.zeros(0, dtype="datetime64[D]"))

    @property
    def size(self) -> int:
        return int(self.birth.size)

    def currency(self, country: str) -> str:
        if country in self.custom_schemes:
            return self.custom_schemes[country].currency
        return ASEAN[country][1] if country in ASEAN else "USD"

    @classmethod
    def from_careers(cls, careers: Sequence[Career], names: Sequence[str] | None = None) -> Batch:
        """Columns from validated careers (custom schemes must agree when several careers define them)."""
        countries = Countries()
        custom: dict[str, CustomScheme] = {}
        for c in careers:
            for cs in c.custom_schemes:
                custom.setdefault(cs.country, cs)
        people: dict[str, list[object]] = {k: [] for k in ("birth", "sex", "nat", "res", "eval", "kids")}
        spells: dict[str, list[object]] = {
            k: [] for k in ("person", "country", "start", "end", "act", "sec", "doc", "wage", "home", "post",
                            "size", "vol")
        }  # fmt: skip
        problems: list[Problem] = []
        for i, c in enumerate(careers):
            when = c.evaluation_date
            people["birth"].append(c.person.birth_date)
            people["sex"].append(FEMALE if c.person.sex is Sex.female else MALE)
            people["nat"].append(countries.index(c.person.nationality))
            people["res"].append(countries.index(c.residence))
            people["eval"].append(when)
            people["kids"].append(len(c.person.children))
            for j, s in enumerate(c.spells):
                end = min(s.end or when, when)
                scheme_currency = (
                    custom[s.country].currency if s.country in custom
                    else ASEAN[s.country][1] if s.country in ASEAN
                    else s.currency or "USD"
                )  # fmt: skip
                given = s.currency or scheme_currency
                factor = rate(given, scheme_currency, s.start.year)
                if factor is None:
                    name = names[i] if names else "career"
                    problems.append(
                        Problem(
                            name,
                            None,
                            f"spells[{j}].currency",
                            f"no exchange rate from {given} "
                            f"to {scheme_currency}; give monthly_wage in {scheme_currency}",
                        )
                    )
                    factor = 1.0
                spells["person"].append(i)
                spells["country"].append(countries.index(s.country))
                spells["start"].append(s.start)
                spells["end"].append(end)
                spells["act"].append(ACTIVITY_ORDER.index(s.activity))
                spells["sec"].append(SECTOR_ORDER.index(s.sector))
                spells["doc"].append(s.documented)
                spells["wage"].append(s.monthly_wage * factor)
                spells["home"].append(s.home_contributions)
                spells["post"].append(countries.index(s.posted_from) if s.posted_from else -1)
                spells["size"].append(s.employer_size or -1)
                spells["vol"].append(s.voluntary_member)
        if problems:
            raise InvalidInput(problems)
        d = "datetime64[D]"
        return cls(
            countries=countries,
            birth=np.array(people["birth"], dtype=d),
            sex=np.array(people["sex"], dtype=np.int64),
            nationality=np.array(people["nat"], dtype=np.int64),
            residence=np.array(people["res"], dtype=np.int64),
            evaluation=np.array(people["eval"], dtype=d),
            children=np.array(people["kids"], dtype=np.int64),
            person=np.array(spells["person"], dtype=np.int64),
            country=np.array(spells["country"], dtype=np.int64),
            start=np.array(spells["start"], dtype=d),
            end=np.array(spells["end"], dtype=d),
            activity=np.array(spells["act"], dtype=np.int64),
            sector=np.array(spells["sec"], dtype=np.int64),
            documented=np.array(spells["doc"], dtype=bool),
            wage=np.array(spells["wage"], dtype=np.float64),
            home_contributions=np.array(spells["home"], dtype=bool),
            posted_from=np.array(spells["post"], dtype=np.int64),
            employer_size=np.array(spells["size"], dtype=np.int64),
            voluntary_member=np.array(spells["vol"], dtype=bool),
            custom_schemes=custom,
            ids=[c.person.id for c in careers],
            child_person=np.array(
                [i for i, c in enumerate(careers) for _ in c.person.children], dtype=np.int64
            ),
            child_birth=np.array([d for c in careers for d in c.person.children], dtype="datetime64[D]"),
        )

    # Per-spell columns derived once per batch (a batch is never changed once built) and shared by every
    # country and branch that reads them.
    def modelled(self, code: int) -> bool:
        """Is the country a member state or a custom scheme (whose rules the engine has)?"""
        c = self.countries.codes[code]
        return c in ASEAN or c in self.custom_schemes

    @cached_property
    def rows(self) -> tuple[Ints, Ints]:
        """(person, country) per engine row: one row per person and modelled country they worked in
        (order of first spell) and for their nationality."""
        n_codes, m = len(self.countries.codes), self.person.size
        posted = np.flatnonzero(self.posted_from >= 0)
        person = np.concatenate([self.person, self.person[posted], np.arange(self.size)])
        country = np.concatenate([self.country, self.posted_from[posted], self.nationality])
        # a spell's country, then the country it is posted from, then the nationality (last)
        order = np.concatenate([2 * np.arange(m), 2 * posted + 1, np.full(self.size, 2 * m + 2)])
        keep = np.array([self.modelled(c) for c in range(n_codes)], dtype=bool)[country]
        person, country, order = person[keep], country[keep], order[keep]
        # stable sorts of nearly sorted keys (spells are stored person by person): cheap
        by_order = np.argsort(person * (2 * m + 3) + order, kind="stable")
        person, country = person[by_order], country[by_order]
        key = person * n_codes + country
        longest = int(np.bincount(person).max()) if person.size else 0
        if longest <= 16:  # a few entries per person: compare each with the entries just before it
            seen = np.zeros(key.size, dtype=bool)
            for j in range(1, longest):
                seen[j:] |= key[j:] == key[:-j]
            return person[~seen], country[~seen]
        by_key = np.argsort(key, kind="stable")  # within a key, in order: the first is its first appearance
        first = np.ones(by_key.size, dtype=bool)
        first[1:] = key[by_key][1:] != key[by_key][:-1]
        row = np.zeros(key.size, dtype=bool)
        row[by_key[first]] = True
        return person[row], country[row]

    @cached_property
    def spell_nationality(self) -> Ints:
        return self.nationality[self.person]

    @cached_property
    def start_month(self) -> Ints:
        return month_index(self.start)

    @cached_property
    def end_month(self) -> Ints:
        return month_index(self.end)

    @cached_property
    def entry_age(self) -> Ints:
        """Age in completed years when each spell starts."""
        return age_years(self.birth[self.person], self.start)

    def take(self, people: Ints) -> Batch:
        """Some people and their spells, renumbered from 0 (used to check batch invariance)."""
        remap = -np.ones(self.size, dtype=np.int64)
        remap[people] = np.arange(people.size)
        keep = remap[self.person] >= 0
        order = np.argsort(remap[self.person[keep]], kind="stable")

        def s(a: np.ndarray) -> np.ndarray:
            return a[keep][order]

        return Batch(
            countries=self.countries,
            birth=self.birth[people],
            sex=self.sex[people],
            nationality=self.nationality[people],
            residence=self.residence[people],
            evaluation=self.evaluation[people],
            children=self.children[people],
            person=remap[self.person[keep]][order],
            country=s(self.country),
            start=s(self.start),
            end=s(self.end),
            activity=s(self.activity),
            sector=s(self.sector),
            documented=s(self.documented),
            wage=s(self.wage),
            home_contributions=s(self.home_contributions),
            posted_from=s(self.posted_from),
            employer_size=s(self.employer_size),
            voluntary_member=s(self.voluntary_member),
            custom_schemes=self.custom_schemes,
            ids=[self.ids[i] for i in people] if self.ids else [],
            child_person=remap[self.child_person][remap[self.child_person] >= 0],
            child_birth=self.child_birth[remap[self.child_person] >= 0],
        )
