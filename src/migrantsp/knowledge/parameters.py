"""Dated parameters (OpenFisca's file format): resolution at a date, for one date or a column of dates.

A parameter is a step function of time. `value_at` answers for a scalar date or, vectorised, for an
array of dates (numpy datetime64[D]), so one worker and ten million read parameters the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np
import numpy.typing as npt

from migrantsp.engine.timecols import count_at_or_before
from migrantsp.knowledge.schema import Reference

DayArray = npt.NDArray[np.datetime64]


class ParameterNotFound(KeyError):
    pass


class NoValueAtDate(ValueError):
    pass


@dataclass(frozen=True)
class Parameter:
    path: str  # e.g. THA.ssf.old_age.qualifying_months
    description: str
    unit: str
    starts: npt.NDArray[np.datetime64]  # ascending start dates, datetime64[D]
    values: npt.NDArray[np.float64]  # NaN where the parameter stops applying
    references: tuple[tuple[Reference, ...], ...]  # per value: the references that support it
    file: str = ""
    notes: tuple[str | None, ...] = field(default=())

    def index_at(self, when: date | DayArray) -> npt.NDArray[np.intp] | int:
        """Index of the value in force on `when` (-1 before the first date)."""
        if isinstance(when, date | np.datetime64):
            return int(np.searchsorted(self.starts, np.datetime64(when, "D"), side="right")) - 1
        return count_at_or_before(self.starts, when.astype("datetime64[D]")) - 1

    def value_at(self, when: date) -> float:
        i = self.index_at(when)
        assert isinstance(i, int)
        if i < 0 or np.isnan(self.values[i]):
            raise NoValueAtDate(f"{self.path} has no value on {when}")
        return float(self.values[i])

    def values_at(self, days: DayArray) -> npt.NDArray[np.float64]:
        """Vectorised lookup; NaN where no value is in force."""
        idx = np.asarray(self.index_at(days))
        out = np.where(idx >= 0, self.values[np.maximum(idx, 0)], np.nan)
        return np.asarray(out, dtype=np.float64)

    def start_of(self, when: date) -> date | None:
        i = self.index_at(when)
        assert isinstance(i, int)
        return None if i < 0 else self.starts[i].astype(date)

    def patched(self, values: dict[date, float | None], reference: Reference) -> Parameter:
        """A reform: from each patched date on, the patched value applies (later original values drop).

        Values before the first patched date are kept as they were, so history is unchanged.
        """
        first = np.datetime64(min(values), "D")
        keep = self.starts < first
        new_starts = np.array(sorted(values), dtype="datetime64[D]")
        new_values = np.array([np.nan if (v := values[d]) is None else float(v) for d in sorted(values)])
        return replace(
            self,
            starts=np.concatenate([self.starts[keep], new_starts]),
            values=np.concatenate([self.values[keep], new_values]),
            references=tuple(r for r, k in zip(self.references, keep, strict=True) if k)
            + tuple((reference,) for _ in new_starts),
            notes=tuple(n for n, k in zip(self.notes, keep, strict=True) if k)
            + ("scenario patch",) * new_starts.size,
        )

    def references_at(self, when: date) -> tuple[Reference, ...]:
        i = self.index_at(when)
        assert isinstance(i, int)
        return () if i < 0 else self.references[i]


@dataclass(frozen=True)
class ParameterTree:
    """All parameters by dotted path."""

    parameters: dict[str, Parameter]

    def __getitem__(self, path: str) -> Parameter:
        try:
            return self.parameters[path]
        except KeyError:
            close = [p for p in self.parameters if p.startswith(path.rsplit(".", 1)[0])][:5]
            hint = f"; parameters nearby: {', '.join(close)}" if close else ""
            raise ParameterNotFound(f"no parameter {path!r}{hint}") from None

    def under(self, prefix: str) -> list[Parameter]:
        return [
            p
            for path, p in sorted(self.parameters.items())
            if path == prefix or path.startswith(prefix + ".")
        ]

    def __len__(self) -> int:
        return len(self.parameters)
