"""Dated parameter resolution, at and around every boundary, for one date and for a column of dates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from migrantsp.knowledge.base import load_knowledge
from migrantsp.knowledge.parameters import NoValueAtDate, Parameter


@pytest.fixture
def months(min_knowledge: Path) -> Parameter:
    kb, problems = load_knowledge(min_knowledge)
    assert problems == []
    return kb.parameters["THA.si.old_age.qualifying_months"]


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (date(2000, 1, 1), 240),  # first day in force
        (date(2025, 6, 30), 240),  # last day of the old value
        (date(2025, 7, 1), 180),  # the amendment's first day
        (date(2029, 12, 31), 180),
    ],
)
def test_value_at_boundaries(months: Parameter, when: date, expected: float) -> None:
    assert months.value_at(when) == expected


@pytest.mark.parametrize("when", [date(1999, 12, 31), date(2030, 1, 1), date(2040, 1, 1)])
def test_no_value_before_first_date_or_after_null(months: Parameter, when: date) -> None:
    with pytest.raises(NoValueAtDate):
        months.value_at(when)


def test_vectorised_lookup_matches_scalar(months: Parameter) -> None:
    days = np.array(
        ["1999-12-31", "2000-01-01", "2025-06-30", "2025-07-01", "2030-01-01"], dtype="datetime64[D]"
    )
    got = months.values_at(days)
    assert np.isnan(got[0]) and np.isnan(got[-1])
    assert got[1:4].tolist() == [240, 240, 180]


def test_each_value_keeps_its_own_source(months: Parameter) -> None:
    assert [r.source for r in months.references_at(date(2001, 1, 1))] == ["SRC-LAW"]
    assert [r.source for r in months.references_at(date(2026, 1, 1))] == ["SRC-SEC"]
    assert months.start_of(date(2026, 1, 1)) == date(2025, 7, 1)
