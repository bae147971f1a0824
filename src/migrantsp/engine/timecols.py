"""Dates and months as numpy columns: day-level spells, calendar-month counting, ages, interval unions.

Months are counted from January 1900 (month 0), so every career date maps to a small positive integer.
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast

import numpy as np
import numpy.typing as npt

Days = npt.NDArray[np.datetime64]
Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
AnyArray = npt.NDArray[Any]  # integer months or datetime64 days

_EPOCH_MONTH = np.datetime64("1900-01", "M").astype(np.int64)
_GROUP = np.int64(1 << 20)  # > any month index we use; separates groups in running maxima

# Calendar arithmetic on datetime64 is slow; a lookup table from day number to (month, day of month)
# over 1800-2299 makes month indices and ages plain integer indexing.
_T0 = np.datetime64("1800-01-01", "D").astype(np.int64)
_T_DAYS = np.arange(np.datetime64("1800-01-01", "D"), np.datetime64("2300-01-01", "D"))
_T_MONTH = (_T_DAYS.astype("datetime64[M]").astype(np.int64) - _EPOCH_MONTH).astype(np.int32)
_T_DOM = (_T_DAYS - _T_DAYS.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int8)
_T_LAST = _T_DAYS.size - 1
_M_LO = int(_T_MONTH[0])  # first month of the table (January 1800), counted from January 1900
_M_FIRST = np.flatnonzero(_T_DOM == 0).astype(np.int64)  # day number of each month's first day


def _day_number(days: Days) -> Ints:
    n = np.atleast_1d(np.asarray(days, dtype="datetime64[D]")).view(np.int64) - _T0
    np.minimum(np.maximum(n, 0, out=n), _T_LAST, out=n)  # np.clip costs 5x more on small arrays
    return cast(Ints, n.reshape(np.shape(days)))


def day(d: date | str) -> np.datetime64:
    return np.datetime64(d, "D")


def month_index(days: Days) -> Ints:
    """Calendar month of each date, counted from January 1900."""
    return _T_MONTH[_day_number(days)].astype(np.int64)


def month_start(months: Ints) -> Days:
    m = np.asarray(months, dtype=np.int64) - _M_LO
    if m.size and (m.min() < 0 or m.max() >= _M_FIRST.size):  # outside 1800-2299: calendar arithmetic
        return (months + _EPOCH_MONTH).astype("datetime64[M]").astype("datetime64[D]")
    return cast(Days, (_M_FIRST[m] + _T0).view("datetime64[D]"))


def _shift_months(days: Days, months: npt.ArrayLike) -> Days:
    """The same day of the month `months` later; a day the target month lacks runs into the next one
    (31 January + 1 month = 3 March, or 2 in a leap year), as datetime64 arithmetic does."""
    raw = np.asarray(days, dtype="datetime64[D]").view(np.int64) - _T0
    k = np.asarray(months, dtype=np.int64)
    if raw.size and (raw.min() >= 0 and raw.max() <= _T_LAST):
        m = _T_MONTH[raw] - _M_LO + k
        if not m.size or (m.min() >= 0 and m.max() < _M_FIRST.size):
            return cast(Days, (_M_FIRST[m] + _T_DOM[raw] + _T0).view("datetime64[D]"))
    month = days.astype("datetime64[M]")  # outside the table: calendar arithmetic
    offset = days - month.astype("datetime64[D]")
    return cast(Days, (month + k.astype("timedelta64[M]")).astype("datetime64[D]") + offset)


def add_years(days: Days, years: npt.ArrayLike) -> Days:
    """The anniversary `years` after each date (29 February falls on 1 March)."""
    return _shift_months(days, np.asarray(years, dtype=np.int64) * 12)


def add_months(days: Days, months: npt.ArrayLike) -> Days:
    return _shift_months(days, months)


def age_years(birth: Days, on: Days) -> Ints:
    """Age in completed years on each date."""
    b, o = _day_number(birth), _day_number(on)
    months = _T_MONTH[o].astype(np.int64) - _T_MONTH[b]
    before_birthday = _T_DOM[o] < _T_DOM[b]
    return cast(Ints, (months - before_birthday) // 12)


def union_length(group: Ints, start: Ints, end: Ints, n_groups: int) -> Ints:
    """Per group, the number of integer points covered by the inclusive intervals [start, end].

    Overlapping intervals count once: this is how insured months of overlapping spells are counted.
    Empty intervals (end < start) count nothing.
    """
    group, start, end = merge_intervals(group, start, end)
    return np.bincount(group, weights=end - start + 1, minlength=n_groups).astype(np.int64)


def count_at_or_before(points: AnyArray, x: AnyArray) -> Ints:
    """For each x, how many of the ascending `points` are <= x (`searchsorted(..., side="right")`).

    Over many elements, a few points (dated parameters and rules have one to a handful) are compared one
    by one: several times faster than a binary search per element. Integers or dates."""
    if np.size(x) < 256 or np.size(points) > 8 or np.asarray(x).dtype.kind == "f":  # one call is cheaper
        return np.asarray(np.searchsorted(points, x, side="right"), dtype=np.int64)
    p, v = _ints(np.asarray(points)), _ints(np.asarray(x))
    out = np.zeros(v.shape, dtype=np.int64)
    for point in p.tolist():
        out += v >= point
    return out


def merge_intervals(group: Ints, start: Ints, end: Ints) -> tuple[Ints, Ints, Ints]:
    """Per group, the union of inclusive integer intervals as disjoint, non-adjacent intervals, in order.

    Overlapping or touching intervals ([1, 3] and [4, 6]) become one; empty ones (end < start) vanish."""
    keep = end >= start
    group, start, end = group[keep], start[keep], end[keep]
    if group.size == 0:
        return group, start, end
    key = group * _GROUP + start
    if not np.all(key[1:] >= key[:-1]):
        order = np.argsort(key, kind="stable")
        group, start, end = group[order], start[order], end[order]
    running = np.maximum.accumulate(end + group * _GROUP) - group * _GROUP  # furthest end so far, per group
    new = np.ones(group.size, dtype=bool)
    new[1:] = (group[1:] != group[:-1]) | (start[1:] > running[:-1] + 1)
    first = np.flatnonzero(new)
    last = np.r_[first[1:] - 1, group.size - 1]
    return group[first], start[first], running[last]


def split_at(start: AnyArray, end: AnyArray, cuts: AnyArray) -> tuple[Ints, AnyArray, AnyArray]:
    """Split inclusive intervals at sorted cut points (a cut c starts a new piece at c).

    Returns (index of the source interval, piece start, piece end) for every non-empty piece, in order.
    Works for integer months or datetime64 days; the cost grows with the pieces made, not with the cuts.
    """
    cuts = np.unique(cuts)
    if cuts.size == 0 or start.size == 0:
        return np.arange(start.size), start.copy(), end.copy()
    kind = start.dtype
    s, e, c = _ints(start), _ints(end), _ints(cuts.astype(kind))  # dates as day numbers
    first = count_at_or_before(c, s)  # cuts strictly after the start...
    inner = np.maximum(count_at_or_before(c, e) - first, 0)  # ...and on or before the end
    if not inner.any():  # the common case: no interval crosses a cut
        return np.arange(start.size), start.copy(), end.copy()
    count = inner + 1
    idx = np.repeat(np.arange(start.size), count)
    first_piece = np.cumsum(count) - count  # where each interval's pieces begin
    # piece j (0-based) of interval i starts at cut first[i] + j - 1 (j > 0), i.e. at position p of the
    # output, cut p - first_piece[i] + first[i] - 1
    cut = np.arange(idx.size) + (first - first_piece - 1)[idx]
    piece_start = c[np.clip(cut, 0, c.size - 1)]
    piece_start[first_piece] = s
    piece_end = np.empty_like(piece_start)
    piece_end[:-1] = piece_start[1:] - 1  # a piece ends where the next begins...
    piece_end[first_piece + inner] = e  # ...except an interval's last piece
    return idx, _back(piece_start, kind), _back(piece_end, kind)


def _ints(a: AnyArray) -> Ints:
    return a.view(np.int64) if a.dtype.kind == "M" else a.astype(np.int64, copy=False)


def _back(a: Ints, kind: np.dtype[Any]) -> AnyArray:
    return a.view(kind) if kind.kind == "M" else a.astype(kind, copy=False)
