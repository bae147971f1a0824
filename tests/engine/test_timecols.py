"""The date columns' fast paths (lookup tables, integer days) agree with numpy's calendar arithmetic."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from migrantsp.engine.timecols import (
    add_months,
    add_years,
    count_at_or_before,
    merge_intervals,
    month_index,
    month_start,
    split_at,
    union_length,
)

days = st.integers(min_value=-60_000, max_value=120_000)  # 1805-1970 .. 2298: inside and at the table's edge


def calendar_add_months(d: np.ndarray, k: np.ndarray) -> np.ndarray:
    m = d.astype("datetime64[M]")
    return (m + k.astype("timedelta64[M]")).astype("datetime64[D]") + (d - m.astype("datetime64[D]"))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(days, st.integers(-1200, 1200)), min_size=1, max_size=30))
def test_add_months_is_calendar_arithmetic(pairs: list[tuple[int, int]]) -> None:
    d = np.array([p[0] for p in pairs], dtype="datetime64[D]")
    k = np.array([p[1] for p in pairs], dtype=np.int64)
    assert (add_months(d, k) == calendar_add_months(d, k)).all()
    assert (add_years(d, k // 12) == calendar_add_months(d, (k // 12) * 12)).all()


def test_dates_outside_the_table_fall_back_to_the_calendar() -> None:
    d = np.array(["1750-01-31", "2350-02-28", "9999-01-15"], dtype="datetime64[D]")
    k = np.array([1, 12, -12])
    assert (add_months(d, k) == calendar_add_months(d, k)).all()
    assert str(add_years(np.array(["2000-02-29"], dtype="datetime64[D]"), 1)[0]) == "2001-03-01"
    months = np.array([-2400, 0, 1, 6000], dtype=np.int64)  # 1700-01, 1900-01, 1900-02, 2400-01
    expected = (months + np.datetime64("1900-01", "M").astype(np.int64)).astype("datetime64[M]")
    assert (month_start(months) == expected.astype("datetime64[D]")).all()
    assert (month_index(month_start(months[1:3])) == months[1:3]).all()


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(days, st.integers(0, 4000)), min_size=0, max_size=20),
    st.lists(days, min_size=0, max_size=8),
)
def test_split_at_cuts_every_interval_at_every_cut_inside(
    intervals: list[tuple[int, int]], cuts: list[int]
) -> None:
    start = np.array([a for a, _ in intervals], dtype="datetime64[D]")
    end = np.array([a + n for a, n in intervals], dtype="datetime64[D]")
    c = np.array(cuts, dtype="datetime64[D]")
    idx, s, e = split_at(start, end, c)
    expected = []
    for i, (a, n) in enumerate(intervals):
        bounds = [a, *sorted({x for x in cuts if a < x <= a + n}), a + n + 1]
        expected += [(i, lo, hi - 1) for lo, hi in pairwise(bounds)]
    got = list(zip(idx.tolist(), s.view(np.int64).tolist(), e.view(np.int64).tolist(), strict=True))
    assert got == expected
    mi, ms, me = split_at(month_index(start), month_index(end), month_index(c))  # integer months too
    assert ms.dtype == np.int64 and (mi.size == 0 or (ms <= me).all())


@settings(max_examples=200, deadline=None)
@given(st.lists(days, min_size=0, max_size=12, unique=True), st.lists(days, min_size=0, max_size=30))
def test_count_at_or_before_is_a_right_sided_search(points: list[int], xs: list[int]) -> None:
    p = np.array(sorted(points), dtype="datetime64[D]")
    for x in (np.array(xs, dtype="datetime64[D]"), np.array(xs * 20, dtype="datetime64[D]")):  # both paths
        assert count_at_or_before(p, x).tolist() == np.searchsorted(p, x, side="right").tolist()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 200), st.integers(-5, 60)), max_size=25))
def test_merged_intervals_are_the_union(items: list[tuple[int, int, int]]) -> None:
    group = np.array([g for g, _, _ in items], dtype=np.int64)
    start = np.array([a for _, a, _ in items], dtype=np.int64)
    end = np.array([a + n for _, a, n in items], dtype=np.int64)
    g, s, e = merge_intervals(group, start, end)
    for k in range(4):
        want = {m for gg, a, b in zip(group, start, end, strict=True) if gg == k for m in range(a, b + 1)}
        got = [m for gg, a, b in zip(g, s, e, strict=True) if gg == k for m in range(a, b + 1)]
        assert sorted(got) == sorted(want) and len(got) == len(set(got))  # the union, each month once
    assert all(s[i + 1] > e[i] + 1 for i in range(g.size - 1) if g[i + 1] == g[i])  # disjoint, apart
    assert union_length(group, start, end, 4).sum() == (e - s + 1).sum()
