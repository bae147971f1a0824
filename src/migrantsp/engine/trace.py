"""The explanation: what each rule decided for each row and why, with every parameter it read.

Tracing is off for populations (a no-op) and on for single careers, where it yields the `reasons`
of the result and the step-by-step text of `--explain`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from migrantsp.domain import Branch
from migrantsp.engine.timecols import Bools, Ints


@dataclass(frozen=True)
class Step:
    kind: str  # "reason" (a decisive statement, cited) | "parameter" | "value"
    code: str
    message: str
    sources: tuple[str, ...] = ()
    # parameter reads
    path: str | None = None
    value: float | None = None
    unit: str | None = None
    since: date | None = None


def _fmt(v: Any) -> str:
    if isinstance(v, float | np.floating):
        x = float(v)
        if x != x:
            return "n/a"
        return f"{x:,.2f}" if x != round(x) else f"{x:,.0f}"
    if isinstance(v, np.datetime64):
        return str(v.astype("datetime64[D]"))
    if isinstance(v, int | np.integer):
        return f"{int(v):,}"
    return str(v)


class _Value:
    """A row value in a message: plain `{x}` reads naturally, `{x:.1%}` formats as asked."""

    def __init__(self, v: Any) -> None:
        self.v = v

    def __format__(self, spec: str) -> str:
        if not spec:
            return _fmt(self.v)
        v = self.v.item() if isinstance(self.v, np.generic) else self.v
        return format(v, spec)


@dataclass
class Trace:
    enabled: bool = False
    steps: dict[tuple[int, Branch], list[Step]] = field(default_factory=dict)
    prefix: str = ""  # says which run a reason comes from (e.g. the totalised one, under coordination)

    def add(self, rows: Ints, branch: Branch, step: Step) -> None:
        for r in rows.tolist():
            bucket = self.steps.setdefault((r, branch), [])
            if step not in bucket:
                bucket.append(step)

    def reason(
        self,
        rows: Ints,
        branch: Branch,
        mask: Bools,
        code: str,
        template: str,
        sources: tuple[str, ...],
        values: Mapping[str, Any],
    ) -> None:
        """Record a cited statement for the rows where `mask` holds, formatting `{name}` from row values."""
        if not self.enabled:
            return
        for i in np.flatnonzero(mask).tolist():
            row_values = {
                k: _Value(v[i] if isinstance(v, np.ndarray) and v.ndim else v) for k, v in values.items()
            }
            message = self.prefix + template.format(**row_values)
            self.add(rows[i : i + 1], branch, Step("reason", code, message, sources))

    def for_row(self, row: int, branch: Branch) -> list[Step]:
        return self.steps.get((row, branch), [])
