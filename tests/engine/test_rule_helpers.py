"""Vectorised helpers of national rules against brute-force definitions."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from migrantsp.rules.phl import years_with_months


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 2), st.integers(1200, 1300), st.integers(-3, 40)), max_size=20),
    st.integers(1, 13),
)
def test_phl_credited_years_count_calendar_years_with_enough_months(
    pieces: list[tuple[int, int, int]], need: int
) -> None:
    """SSS credited years: calendar years with at least `need` contribution months, overlaps once."""
    row = np.array([r for r, _, _ in pieces], dtype=np.int64)
    m0 = np.array([a for _, a, _ in pieces], dtype=np.int64)
    m1 = np.array([a + k for _, a, k in pieces], dtype=np.int64)
    got = years_with_months(row, m0, m1, 3, np.full(3, float(need)))
    for r in range(3):
        months = {m for rr, a, b in pieces if rr == r for m in range(a, a + b + 1)}
        years = {m // 12 for m in months}
        assert got[r] == sum(1 for y in years if sum(1 for m in months if m // 12 == y) >= need), r


def test_vnm_wages_of_some_rows_equal_the_wages_of_the_subset() -> None:
    """Viet Nam's lump sum reuses the insured wages already built instead of rebuilding them."""
    from migrantsp.domain import Branch
    from migrantsp.engine.evaluate import evaluate
    from migrantsp.engine.sample import random_batch
    from migrantsp.knowledge.base import knowledge
    from migrantsp.rules.vnm import _of_rows, _wages

    res = evaluate(random_batch(5_000, seed=4), knowledge(), [Branch.old_age])
    ctx = res.contexts[("VNM", Branch.old_age)]
    keep = np.random.default_rng(0).random(ctx.n) < 0.5
    a, b = _of_rows(_wages(ctx), keep), _wages(ctx.subset(keep))
    for name in ("row", "m0", "m1", "wage"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
